"""Lists of payments, payment runs and agency account totals for the API and pages; what
cases and products ask of a case's or product's benefit payments (through their hooks)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Max, QuerySet, Sum

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
    """LI-2: unapplied amounts credited to the agency's account, per case or per type."""
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
