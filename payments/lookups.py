"""Reads of payment rows that the lower apps ask for through their hooks (cases,
products, deductions: docs/architecture.md); registered in payments/provides.py."""

from __future__ import annotations

import datetime

from django.db.models import Max

from .models import DeductionProcessing, Payment, PaymentKind, PaymentStatus


def deduction_processings(*, deduction) -> list[DeductionProcessing]:
    """The deduction's processing rows, oldest first (CD-15)."""
    return list(
        DeductionProcessing.objects.filter(deduction=deduction).order_by("created_at", "id")
    )


def liability_processing_times(*, liability_id: int) -> list[datetime.datetime]:
    """When payment runs processed lines paying off the liability (CD-15)."""
    return list(
        DeductionProcessing.objects.filter(liability_id=liability_id).values_list(
            "created_at", flat=True
        )
    )


def benefit_paid_until(*, case_id: int) -> datetime.date | None:
    """The end of the case's last benefit period paid (payments not cancelled)."""
    return (
        Payment.objects.filter(case_id=case_id, kind=PaymentKind.BENEFIT)
        .exclude(status=PaymentStatus.CANCELLED)
        .aggregate(end=Max("period_end"))["end"]
    )


def benefit_paid_case_count(*, product_id: int) -> int:
    """How many cases of the product have a benefit payment (products: the payment
    frequency is then fixed)."""
    return (
        Payment.objects.filter(case__product_id=product_id, kind=PaymentKind.BENEFIT)
        .values("case_id")
        .distinct()
        .count()
    )
