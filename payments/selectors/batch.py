"""Engine inputs for a batch of product delivery cases (one case for a simulation, a chunk
of ~1,000 for a payment run), read in a fixed number of set-based queries, never a
query per case."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Max, Q

from cases.models import (
    CaseComponent,
    CaseStatus,
    FinancialComponent,
    Liability,
    Nominee,
    ProductDeliveryCase,
)
from deductions.models import IN_FORCE_STATUSES, Deduction
from products.models import ComponentType, DeductionCategory, DeductionType, Product

from ..engine import CaseInput, ComponentInput, DeductionInput, ProductLimits
from ..models import Payment, PaymentKind
from .inputs import (
    CaseBatch,
    CaseData,
    ComponentSource,
    DeductionInfo,
    DeductionRow,
    LiabilityState,
)


def case_batch(
    *,
    case_ids: Iterable[int] | None = None,
    id_range: tuple[int, int] | None = None,
    active_only: bool = False,
    lock: bool = False,
    components: str = ComponentSource.FINANCIAL,
) -> CaseBatch:
    """Engine inputs for the cases given by ``case_ids`` or an inclusive ``id_range``.

    ``lock`` (payment runs, inside the caller's transaction): the cases and then the
    liabilities their deductions pay are locked ``FOR UPDATE`` in primary-key order, so a
    case is processed by one worker at a time and a liability shared by cases in different
    chunks is never reduced from a stale outstanding amount (design rule 8).

    Ten queries whatever the number of cases.
    """
    case_rows, child_filter = _case_rows(
        case_ids=case_ids, id_range=id_range, active_only=active_only, lock=lock
    )
    if not case_rows:
        return CaseBatch({}, {}, {}, {}, {})
    wanted = {row["id"] for row in case_rows}
    products = _products(case_rows)
    nominees = _nominees(child_filter)
    slices = _component_slices(child_filter, wanted, components=components)
    deduction_rows, by_case = _deduction_rows(child_filter, wanted, lock=lock)
    types = _deduction_types(deduction_rows)
    liabilities = _liabilities(deduction_rows, lock=lock)
    last_paid = _last_paid(child_filter)

    cases: dict[int, CaseData] = {}
    errors: dict[int, str] = {}
    deductions: dict[int, DeductionInfo] = {}
    for row in case_rows:
        case_id = row["id"]
        product = products[row["product_id"]]
        case_deductions = by_case.get(case_id, [])
        try:
            case_input = _case_input(
                row,
                product,
                nominees.get(case_id, []),
                slices.get(case_id, []),
                case_deductions,
                types,
            )
        except (ValueError, TypeError) as exc:
            # The engine refuses inconsistent data (it validates its inputs); the case is
            # left out of this run and reported, rather than failing its whole chunk.
            errors[case_id] = str(exc)
            continue
        for deduction in case_deductions:
            deductions[deduction.pk] = DeductionInfo(
                id=deduction.pk,
                case_id=case_id,
                deduction_type_id=deduction.deduction_type_id,
                category=deduction.category,
                liability_id=deduction.liability_id,
                third_party_id=deduction.third_party_id,
                account_number=deduction.third_party_account_number,
                reference=deduction.third_party_reference,
            )
        cases[case_id] = CaseData(
            case=case_input,
            status=row["status"],
            last_paid_end=last_paid.get(case_id),
            liability_ids=tuple(_applied_liability_ids(case_deductions)),
        )
    return CaseBatch(cases, deductions, liabilities, deduction_rows, errors)


def _case_rows(
    *,
    case_ids: Iterable[int] | None,
    id_range: tuple[int, int] | None,
    active_only: bool,
    lock: bool,
) -> tuple[list[dict], Q]:
    """The batch's case rows in primary-key order (locked with ``lock``), and the filter
    that selects their child rows (nominees, components, deductions, payments)."""
    cases_qs = ProductDeliveryCase.objects.all()
    if case_ids is not None:
        case_ids = list(case_ids)
        cases_qs = cases_qs.filter(pk__in=case_ids)
        child_filter = Q(case_id__in=case_ids)
    elif id_range is not None:
        cases_qs = cases_qs.filter(pk__gte=id_range[0], pk__lte=id_range[1])
        child_filter = Q(case_id__gte=id_range[0], case_id__lte=id_range[1])
    else:
        raise ValueError("case_batch needs case_ids or id_range")
    if active_only:
        cases_qs = cases_qs.filter(status=CaseStatus.ACTIVE)
    cases_qs = cases_qs.order_by("pk")
    if lock:
        cases_qs = cases_qs.select_for_update()
    case_rows = list(
        cases_qs.values(
            "id",
            "status",
            "start_date",
            "primary_client_id",
            "override_max_deduction_rate",
            "product_id",
        )
    )
    return case_rows, child_filter


def _products(case_rows: list[dict]) -> dict[int, dict]:
    """The products of the cases (frequency and deduction limits), by id."""
    return {
        row["id"]: row
        for row in Product.objects.filter(pk__in={r["product_id"] for r in case_rows}).values(
            "id",
            "payment_frequency",
            "max_deduction_rate",
            "min_deduction_amount",
            "min_payment_amount",
            "tax_rate",
        )
    }


def _nominees(child_filter: Q) -> dict[int, list[int]]:
    """Per case, its nominees' participant ids."""
    nominees: dict[int, list[int]] = defaultdict(list)
    for case_id, participant_id in Nominee.objects.filter(child_filter).values_list(
        "case_id", "participant_id"
    ):
        nominees[case_id].append(participant_id)
    return nominees


def _deduction_rows(
    child_filter: Q, wanted: set[int], *, lock: bool
) -> tuple[dict[int, DeductionRow], dict[int, list[DeductionRow]]]:
    """The deductions in force of the cases, by id and per case, in primary-key order."""
    deduction_rows: dict[int, DeductionRow] = {}
    by_case: dict[int, list[DeductionRow]] = defaultdict(list)
    deductions_qs = Deduction.objects.filter(child_filter, status__in=IN_FORCE_STATUSES).order_by(
        "pk"
    )
    if lock:
        # The run moves their status and totals: nobody may deactivate one meanwhile.
        deductions_qs = deductions_qs.select_for_update()
    for values in deductions_qs.values_list(*DeductionRow._fields):
        deduction = DeductionRow._make(values)
        if deduction.case_id in wanted:
            deduction_rows[deduction.pk] = deduction
            by_case[deduction.case_id].append(deduction)
    return deduction_rows, by_case


def _deduction_types(deduction_rows: dict[int, DeductionRow]) -> dict[int, dict]:
    """The types of the deductions (name, limits, action on insufficient balance), by id."""
    return {
        row["id"]: row
        for row in DeductionType.objects.filter(
            pk__in={d.deduction_type_id for d in deduction_rows.values()}
        ).values("id", "name", "min_amount", "max_amount", "insufficient_balance_action")
    }


def _applied_liability_ids(deductions: Iterable[DeductionRow]) -> list[int]:
    """The liabilities that applied deductions among ``deductions`` pay, ascending."""
    return sorted(
        {
            d.liability_id
            for d in deductions
            if d.liability_id is not None and d.category == DeductionCategory.APPLIED
        }
    )


def _liabilities(
    deduction_rows: dict[int, DeductionRow], *, lock: bool
) -> dict[int, LiabilityState]:
    """The liabilities the deductions pay, locked in primary-key order with ``lock``."""
    liabilities_qs = Liability.objects.filter(
        pk__in=_applied_liability_ids(deduction_rows.values())
    ).order_by("pk")
    if lock:
        liabilities_qs = liabilities_qs.select_for_update()
    return {
        row["id"]: LiabilityState(
            row["outstanding_amount"],
            row["original_amount"],
            row["status"],
            row["liability_case_id"],
        )
        for row in liabilities_qs.values(
            "id", "outstanding_amount", "original_amount", "status", "liability_case_id"
        )
    }


def _last_paid(child_filter: Q) -> dict[int, date]:
    """Per case, the end of its last benefit period paid (cases never paid are absent)."""
    return dict(
        Payment.objects.filter(child_filter, kind=PaymentKind.BENEFIT)
        .values("case_id")
        .annotate(last=Max("period_end"))
        .values_list("case_id", "last")
    )


def _component_slices(
    child_filter: Q, wanted: set[int], *, components: str
) -> dict[int, list[tuple]]:
    """Per case, its financial components (IC-9) as rows in the field order of the engine's
    ``ComponentInput``, by case component and date.

    ``ComponentSource.AUTO`` falls back to the case components for a case that has no
    financial component yet (simulating before activation, SIM-1)."""
    slices: dict[int, list[tuple]] = defaultdict(list)
    # (case id, case component id, component type id, nominee, amount, start, end)
    rows = list(
        FinancialComponent.objects.filter(child_filter)
        .order_by("case_id", "component_id", "start_date", "pk")
        .values_list(
            "case_id",
            "component_id",
            "component__component_type_id",
            "nominee_id",
            "amount",
            "start_date",
            "end_date",
        )
    )
    if components == ComponentSource.AUTO:
        with_financial = {row[0] for row in rows}
        rows += [
            row
            for row in CaseComponent.objects.filter(child_filter)
            .order_by("case_id", "pk")
            .values_list(
                "case_id",
                "pk",
                "component_type_id",
                "nominee_id",
                "amount",
                "start_date",
                "end_date",
            )
            if row[0] not in with_financial
        ]
    component_types = {
        pk: (name, deductible, taxable)
        for pk, name, deductible, taxable in ComponentType.objects.filter(
            pk__in={row[2] for row in rows}
        ).values_list("id", "name", "deductible", "taxable")
    }
    for case_id, component_id, type_id, nominee_id, amount, start, end in rows:
        if case_id in wanted:
            name, deductible, taxable = component_types[type_id]
            slices[case_id].append(
                (component_id, name, nominee_id, amount, start, end, deductible, taxable)
            )
    return slices


def _case_input(
    row: dict,
    product: dict,
    nominee_ids: list[int],
    slices: list[tuple],
    deductions: list[DeductionRow],
    types: dict[int, dict],
) -> CaseInput:
    components = tuple(
        ComponentInput(
            id=component_id,
            name=name,
            nominee_id=nominee_id,
            amount=amount,
            start_date=start,
            end_date=end,
            deductible=deductible,
            taxable=taxable,
        )
        for component_id, name, nominee_id, amount, start, end, deductible, taxable in slices
    )
    with_slices = {component.id for component in components}
    deduction_inputs = []
    for deduction in deductions:
        deduction_type = types[deduction.deduction_type_id]
        deduction_inputs.append(
            DeductionInput(
                id=deduction.pk,
                name=deduction_type["name"],
                category=deduction.category,
                priority=deduction.priority,
                start_date=deduction.start_date,
                end_date=deduction.end_date,
                action=deduction_type["insufficient_balance_action"],
                amount=deduction.amount,
                percentage=deduction.percentage,
                nominee_id=deduction.nominee_id,
                component_id=deduction.component_id,
                all_nominees=deduction.all_nominees,
                type_min_amount=deduction_type["min_amount"],
                type_max_amount=deduction_type["max_amount"],
                liability_id=(
                    deduction.liability_id
                    if deduction.category == DeductionCategory.APPLIED
                    else None
                ),
            )
        )
    return CaseInput(
        case_id=row["id"],
        start_date=row["start_date"],
        frequency=product["payment_frequency"],
        limits=ProductLimits(
            max_deduction_rate=product["max_deduction_rate"],
            min_deduction_amount=product["min_deduction_amount"],
            min_payment_amount=product["min_payment_amount"],
            tax_rate=product["tax_rate"],
        ),
        primary_client_id=row["primary_client_id"],
        nominee_ids=tuple(nominee_ids),
        components=components,
        deductions=tuple(deduction_inputs),
        override_max_deduction_rate=row["override_max_deduction_rate"],
        # Case components a deduction names that have no financial component (yet).
        pending_component_ids=tuple(
            sorted(
                {
                    d.component_id
                    for d in deductions
                    if d.component_id is not None and d.component_id not in with_slices
                }
            )
        ),
    )


def case_data(*, case_id: int, components: str = ComponentSource.AUTO) -> CaseData | None:
    """One case's engine input (simulation), or None when the case does not exist."""
    batch = case_batch(case_ids=[case_id], components=components)
    if case_id in batch.errors:
        raise ValueError(batch.errors[case_id])
    return batch.cases.get(case_id)


def case_liabilities(*, case_id: int) -> dict[int, Decimal]:
    """Outstanding amounts of the liabilities a case's deductions in force pay."""
    return dict(
        Liability.objects.filter(
            deductions__case_id=case_id,
            deductions__status__in=IN_FORCE_STATUSES,
            deductions__category=DeductionCategory.APPLIED,
        )
        .distinct()
        .values_list("pk", "outstanding_amount")
    )
