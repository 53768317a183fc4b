"""Lists of payments, payment runs and agency account totals for the API and pages; what
cases and products ask of a case's or product's benefit payments (through their hooks)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.cache import cache
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    Func,
    IntegerField,
    Max,
    OuterRef,
    QuerySet,
    Sum,
)

from cases.models import ProductDeliveryCase
from config.paging import KeysetPage, keyset_page
from participants.models import Participant
from products.models import DeductionType

from ..models import (
    AgencyAccountEntry,
    Payment,
    PaymentChunk,
    PaymentChunkStatus,
    PaymentKind,
    PaymentRun,
    PaymentStatus,
)


def participant_names(ids: Iterable[int]) -> dict[int, str]:
    return dict(Participant.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


def payment_list(
    *,
    case_id: int | None = None,
    payee_id: int | None = None,
    kind: str | None = None,
) -> QuerySet[Payment]:
    qs = Payment.objects.select_related("nominee", "payee", "case")
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    if payee_id is not None:
        qs = qs.filter(payee_id=payee_id)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-effective_date", "nominee_id", "kind", "-id")


def payment_run_list() -> QuerySet[PaymentRun]:
    return PaymentRun.objects.select_related("started_by").order_by("-run_date")


class _SumOverAll(Func):
    """``SUM(<aggregate>) OVER ()``: the sum of a grouped aggregate over every group, in
    the same query (PostgreSQL and SQLite alike)."""

    template = "SUM(%(expressions)s) OVER ()"
    contains_aggregate = True  # not a GROUP BY key
    contains_over_clause = True


AGENCY_TOTALS_SECONDS = 600


def _ledger_version() -> tuple:
    """Changes whenever agency-account entries may have been added: they are written only
    by payment chunks, in the transaction that marks the chunk done (payments.services
    .runs), so the number of chunks done and the newest entry id move with every write."""
    return (
        PaymentChunk.objects.filter(status=PaymentChunkStatus.DONE).count(),
        AgencyAccountEntry.objects.aggregate(last=Max("id"))["last"],
    )


def agency_account_type_totals() -> tuple[list[dict], dict]:
    """LI-2: unapplied amounts credited to the agency's account per deduction type (rows
    ``deduction_type_id``, ``deduction_type__name``, ``total``, ``entries``), and the
    grand total ``{"total", "entries"}``, both summed by the database in one pass over
    the entries (a window sum over the type groups; no join before grouping).

    The pass reads every entry, so its result is cached until the ledger changes (a chunk
    of a payment run commits) or for 10 minutes; the names are read fresh."""
    key = "payments:agency-type-totals:{}:{}".format(*_ledger_version())
    groups = cache.get(key)
    if groups is None:
        groups = _agency_type_groups()
        cache.set(key, groups, AGENCY_TOTALS_SECONDS)
    names = dict(
        DeductionType.objects.filter(pk__in=[g["deduction_type_id"] for g in groups]).values_list(
            "pk", "name"
        )
    )
    rows = sorted(
        (
            {
                "deduction_type_id": g["deduction_type_id"],
                "deduction_type__name": names[g["deduction_type_id"]],
                "total": g["total"],
                "entries": g["entries"],
            }
            for g in groups
        ),
        key=lambda row: (row["deduction_type__name"], row["deduction_type_id"]),
    )
    grand = {
        "total": groups[0]["grand_total"] if groups else Decimal("0.00"),
        "entries": int(groups[0]["grand_entries"]) if groups else 0,
    }
    return rows, grand


def _agency_type_groups() -> list[dict]:
    return list(
        AgencyAccountEntry.objects.values("deduction_type_id")
        .annotate(
            total=Sum("amount"),
            entries=Count("id"),
            grand_total=_SumOverAll(Sum("amount"), output_field=DecimalField()),
            grand_entries=_SumOverAll(Count("id"), output_field=IntegerField()),
        )
        .order_by()
    )


def agency_account_totals(*, by: str) -> list[dict]:
    """LI-2 per deduction type (``by="type"``; a handful of rows). Per case the cases come
    a page at a time: :func:`agency_account_case_page`."""
    if by != "type":
        raise ValueError(f"unknown grouping {by!r}; per case use agency_account_case_page")
    return agency_account_type_totals()[0]


def agency_account_case_page(
    *, per_page: int, after: int | None = None, before: int | None = None
) -> KeysetPage:
    """LI-2 per case, one page: the cases with entries, by case id after ``after`` (or
    before ``before``), each with the sum and number of its entries.

    The cases of the page are found first (the primary key's index, each checked for an
    entry through the index on the entries' case), then only their entries are summed: as
    fast on the last page of millions of cases as on the first (no GROUP BY over every
    case, no OFFSET). The rows are dicts ``case_id``, ``case__reference``, ``total``,
    ``entries``."""
    cases = ProductDeliveryCase.objects.filter(
        Exists(AgencyAccountEntry.objects.filter(case_id=OuterRef("pk")))
    ).only("pk", "reference")
    page = keyset_page(cases, per_page=per_page, after=after, before=before)
    sums = {
        row["case_id"]: row
        for row in AgencyAccountEntry.objects.filter(
            case_id__in=[case.pk for case in page.object_list]
        )
        .values("case_id")
        .annotate(total=Sum("amount"), entries=Count("id"))
        .order_by()
    }
    rows = [
        {
            "case_id": case.pk,
            "case__reference": case.reference,
            "total": sums[case.pk]["total"],
            "entries": sums[case.pk]["entries"],
        }
        for case in page.object_list
        if case.pk in sums  # an entry removed between the two reads (never in practice)
    ]
    return KeysetPage(
        object_list=rows, next_after=page.next_after, previous_before=page.previous_before
    )


def benefit_paid_until(*, case_id: int) -> datetime.date | None:
    """The end of the case's last benefit period paid (payments not cancelled); the case
    closes no earlier (cases)."""
    return (
        Payment.objects.filter(case_id=case_id, kind=PaymentKind.BENEFIT)
        .exclude(status=PaymentStatus.CANCELLED)
        .aggregate(end=Max("period_end"))["end"]
    )


def benefit_paid_case_count(*, product_id: int) -> int:
    """How many cases of the product have a benefit payment; its payment frequency is then
    fixed (products)."""
    return (
        Payment.objects.filter(case__product_id=product_id, kind=PaymentKind.BENEFIT)
        .values("case_id")
        .distinct()
        .count()
    )
