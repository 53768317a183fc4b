"""What-if simulation (SIM-4): the caseworker changes deductions of a case — amount,
percentage, priority, dates, processing action — or adds a draft deduction, and sees the
result beside the current plan; nothing is written until the changes are applied.

The preview makes the changes with the very services that apply them (``deduction_update``,
``deduction_create``), inside a transaction that is always rolled back, and simulates the
case from the database state inside it. So the preview is validated exactly like the real
change (the same messages), shows priorities resequenced exactly as CD-9 will resequence
them, and a draft deduction takes the priority it will get. Nothing of it outlives the
rollback: no rows, no history, no events (the outbox dispatches on commit only).

Applying runs the same changes in one transaction that commits: all or nothing, each with
its history and "modified"/"created" event as if made by hand.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import CaseComponent, Liability, ProductDeliveryCase
from config.exceptions import ApplicationError, ValidationFailed
from deductions import services as deduction_services
from deductions.models import Deduction, DeductionStatus
from participants.models import Participant
from products.models import DeductionType

from .. import selectors
from ..engine import DeductionAction
from ..results import compare_payments, payment_dict, simulation_summary
from .calculation import case_results
from .forecast import forecast_input, forecasts_from
from .simulation import MAX_SIMULATION_PERIODS, simulation_notice

EDIT_FIELDS = ("amount", "percentage", "priority", "start_date", "end_date", "action")
DRAFT_FIELDS = (
    "deduction_type",
    "amount",
    "percentage",
    "priority",
    "start_date",
    "end_date",
    "nominee",
    "component",
    "all_nominees",
    "liability",
    "third_party",
    "third_party_account_number",
    "third_party_reference",
)


@dataclass(frozen=True)
class Change:
    """One change of the what-if: ``deduction`` set edits that deduction (only the given
    ``values``); ``deduction`` None adds a draft deduction."""

    deduction: int | None
    values: dict

    @property
    def is_draft(self) -> bool:
        return self.deduction is None


def changes_from(*, items: list[dict]) -> list[Change]:
    """Changes from API/form data (already typed by a serializer or form)."""
    changes = []
    for item in items:
        deduction = item.get("deduction")
        allowed = EDIT_FIELDS if deduction is not None else DRAFT_FIELDS
        values = {key: item[key] for key in allowed if key in item}
        changes.append(Change(deduction=deduction, values=values))
    return changes


class _Rollback(Exception):
    """Leaves the preview's transaction without committing."""


def _label(index: int, change: Change, deductions: dict[int, Deduction]) -> str:
    if change.is_draft:
        return _("Entwurf %(n)s") % {"n": index + 1}
    deduction = deductions.get(change.deduction)
    name = deduction.deduction_type.name if deduction else "?"
    return _("Abzug %(name)s (Nr. %(id)s)") % {"name": name, "id": change.deduction}


def _make(case, changes: list[Change], user: User) -> tuple[list[int], dict[int, str]]:
    """Make ``changes`` with the ordinary services, in the caller's transaction; returns the
    ids of drafts created (in order) and the action overrides. Every refusal of every change
    is collected and raised together, naming the change it belongs to."""
    deductions = {
        d.pk: d for d in Deduction.objects.filter(case=case).select_related("deduction_type")
    }
    errors: dict[str, list[str]] = {}
    drafts: list[int] = []
    actions: dict[int, str] = {}

    def refuse(index: int, change: Change, exc: ApplicationError) -> None:
        label = _label(index, change, deductions)
        messages = exc.errors if isinstance(exc, ValidationFailed) else {"detail": [exc.message]}
        for field, texts in messages.items():
            for text in texts:
                errors.setdefault("changes", []).append(f"{label}: {text}")
                errors.setdefault(f"changes.{index}.{field}", []).append(text)

    for index, change in enumerate(changes):
        values = dict(change.values)
        try:
            if change.is_draft:
                drafts.append(_create(case, values, user).pk)
                continue
            deduction = deductions.get(change.deduction)
            if deduction is None or deduction.status == DeductionStatus.CANCELLED:
                raise ValidationFailed(
                    _("Diesen Abzug gibt es auf diesem Fall nicht (mehr)."), field="deduction"
                )
            action = values.pop("action", None)
            if action and action != deduction.deduction_type.insufficient_balance_action:
                actions[deduction.pk] = action
            if values:
                deduction_services.deduction_update(deduction=deduction, user=user, **values)
        except ApplicationError as exc:
            refuse(index, change, exc)
    if errors:
        raise ValidationFailed(errors=errors)
    return drafts, actions


def _create(case, values: dict, user: User) -> Deduction:
    deduction_type = values.pop("deduction_type", None)
    if deduction_type is None:
        raise ValidationFailed(_("Bitte einen Abzugstyp wählen."), field="deduction_type")
    if not isinstance(deduction_type, DeductionType):
        deduction_type = DeductionType.objects.filter(pk=deduction_type).first()
        if deduction_type is None:
            raise ValidationFailed(_("Diesen Abzugstyp gibt es nicht."), field="deduction_type")
    for key, model in (
        ("liability", Liability),
        ("nominee", Participant),
        ("third_party", Participant),
        ("component", CaseComponent),
    ):
        if key in values and values[key] is not None and not isinstance(values[key], model):
            values[key] = model.objects.filter(pk=values[key]).first()
    return deduction_services.deduction_create(
        case=case,
        deduction_type=deduction_type,
        user=user,
        activate=True,
        **values,
    )


def _plan(case_id: int, up_to: date, *, actions: dict[int, str], drafts: list[int]) -> dict:
    """The case's payments up to ``up_to`` and the forecasts of its liabilities, from the
    database state as it is now (inside the preview's transaction: with the changes)."""
    batch = selectors.case_batch(case_ids=[case_id], components=selectors.ComponentSource.AUTO)
    if case_id in batch.errors:
        raise ValidationFailed(
            _("Der Fall kann nicht simuliert werden: %(reason)s")
            % {"reason": batch.errors[case_id]}
        )
    data = batch.cases.get(case_id)
    if data is not None and actions:
        data = dataclasses.replace(
            data,
            case=dataclasses.replace(
                data.case,
                deductions=tuple(
                    dataclasses.replace(d, action=DeductionAction(actions[d.id]))
                    if d.id in actions
                    else d
                    for d in data.case.deductions
                ),
            ),
        )
    payments: list[dict] = []
    if data is not None:
        periods = data.periods_due(up_to, limit=MAX_SIMULATION_PERIODS + 1)
        if len(periods) > MAX_SIMULATION_PERIODS:
            raise ValidationFailed(
                _("Bitte ein früheres Datum wählen: höchstens %(n)s Zahlungszeiträume.")
                % {"n": MAX_SIMULATION_PERIODS},
                field="up_to",
            )
        for result in case_results(data=data, periods=periods, outstanding=batch.outstanding()):
            payments.extend(payment_dict(payment) for payment in result.payments)
    # Drafts exist only inside the preview: they are named by negative numbers (-1, -2, …).
    draft_numbers = {pk: -(index + 1) for index, pk in enumerate(drafts)}
    for payment in payments:
        for line in payment["deductions"]:
            if line["deduction"] in draft_numbers:
                line["deduction"] = draft_numbers[line["deduction"]]
                line["draft"] = True
    liability_ids = sorted(data.liability_ids) if data is not None else []
    forecasts = {}
    if liability_ids:
        source = forecast_input(liability_ids=liability_ids)
        if data is not None and case_id in source.cases:
            source.cases[case_id] = data
        statuses = dict(Liability.objects.filter(pk__in=liability_ids).values_list("pk", "status"))
        forecasts = forecasts_from(source=source, liability_ids=liability_ids, statuses=statuses)
    return {"payments": payments, "forecasts": forecasts}


def _forecast_summary(forecast) -> dict | None:
    if forecast is None:
        return None
    data = forecast.as_dict()
    data.pop("schedule")
    return data


def what_if_run(*, case_id: int, up_to: date, changes: list[Change], user: User) -> dict:
    """SIM-4: the current plan and the plan with ``changes`` side by side; writes nothing.

    Returns ``{"case", "up_to", "current", "what_if", "differences", "liabilities",
    "notice"}``: each plan has its ``payments`` (as SIM-2) and ``totals``; ``differences``
    compares them payment by payment (SIM-3's comparison); ``liabilities`` has each
    liability's forecast before and after (LI-3). Refusals raise ValidationFailed with the
    messages of the services that would apply them."""
    if not isinstance(up_to, date):
        raise ValidationFailed(_("Bitte ein gültiges Datum angeben."), field="up_to")
    case = ProductDeliveryCase.objects.get(pk=case_id)
    current = _plan(case_id, up_to, actions={}, drafts=[])
    after = None
    try:
        with transaction.atomic():
            drafts, actions = _make(case, changes, user)
            after = _plan(case_id, up_to, actions=actions, drafts=drafts)
            raise _Rollback
    except _Rollback:
        pass
    liability_ids = sorted(set(current["forecasts"]) | set(after["forecasts"]))
    names = dict(
        Liability.objects.filter(pk__in=liability_ids).values_list("pk", "liability_case_id")
    )
    return {
        "case": case_id,
        "up_to": up_to.isoformat(),
        "current": _side(current["payments"]),
        "what_if": _side(after["payments"]),
        "differences": compare_payments(current["payments"], after["payments"]),
        "liabilities": [
            {
                "liability": pk,
                "liability_case_id": names.get(pk, ""),
                "before": _forecast_summary(current["forecasts"].get(pk)),
                "after": _forecast_summary(after["forecasts"].get(pk)),
            }
            for pk in liability_ids
        ],
        "notice": simulation_notice(case_status=case.status),
    }


def _side(payments: list[dict]) -> dict:
    totals = simulation_summary(payments)["totals"]
    return {
        "payments": payments,
        "totals": {key: f"{value:.2f}" for key, value in totals.items()},
    }


@transaction.atomic
def what_if_apply(*, case_id: int, changes: list[Change], user: User) -> dict:
    """SIM-4: make the changes for real, in one transaction (all or nothing), through the
    ordinary services — the same history and events as editing by hand. A changed
    processing action cannot be applied: it is a setting of the deduction type (DT-9),
    which administrators maintain; the what-if only shows its effect."""
    case = ProductDeliveryCase.objects.get(pk=case_id)
    if not changes:
        raise ValidationFailed(_("Es gibt keine Änderungen zu übernehmen."), field="changes")
    types = dict(
        Deduction.objects.filter(case=case).values_list(
            "pk", "deduction_type__insufficient_balance_action"
        )
    )
    for change in changes:
        action = change.values.get("action")
        if not change.is_draft and action and action != types.get(change.deduction):
            raise ValidationFailed(
                _(
                    "Die Verarbeitungsaktion gehört zum Abzugstyp und wird von der "
                    "Administration gepflegt; sie lässt sich nur simulieren, nicht übernehmen."
                ),
                field="changes",
            )
    drafts, _actions = _make(case, changes, user)
    return {
        "updated": sorted({c.deduction for c in changes if not c.is_draft}),
        "created": drafts,
    }
