"""Lists of payments, payment runs and agency account totals for the API and pages; what
cases and products ask of a case's or product's benefit payments (through their hooks)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, QuerySet, Sum

from cases.models import ProductDeliveryCase
from config.paging import KeysetPage, keyset_page
from participants.models import Participant

from ..models import (
    AgencyAccountEntry,
    Payment,
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


def agency_account_totals(*, by: str) -> list[dict]:
    """LI-2: unapplied amounts credited to the agency's account, per deduction type (a
    handful of rows). Per case see :func:`agency_account_case_page`."""
    if by == "case":
        keys = ("case_id", "case__reference")
    elif by == "type":
        keys = ("deduction_type_id", "deduction_type__name")
    else:
        raise ValueError(f"unknown grouping {by!r}")
    return list(
        AgencyAccountEntry.objects.values(*keys)
        .annotate(total=Sum("amount"), entries=Count("id"))
        .order_by(keys[1])
    )


def agency_account_grand_total() -> dict:
    """LI-2: everything credited to the agency's account, summed by the database:
    ``{"total": Decimal, "entries": int}`` (total 0.00 without entries)."""
    totals = AgencyAccountEntry.objects.aggregate(total=Sum("amount"), entries=Count("id"))
    return {"total": totals["total"] or Decimal("0.00"), "entries": totals["entries"]}


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
