"""Payment runs' processing rows: the LI-2 report of amounts recovered, and the rows a
deduction's history shows (CD-15, asked by deductions through its hooks)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext

from ..models import DeductionProcessing, PaymentRun, ProcessingStatus


def recovered_amounts(*, category: str | None = None, case_id: int | None = None) -> list[dict]:
    """LI-2 report: amounts recovered by processed deduction lines, per product delivery
    case and deduction type (category "unapplied" = credited to the agency account,
    "applied" = paid off liabilities). Reads the payment runs' processing history."""
    qs = DeductionProcessing.objects.filter(status=ProcessingStatus.PROCESSED)
    if category:
        qs = qs.filter(deduction__category=category)
    if case_id:
        qs = qs.filter(deduction__case_id=case_id)
    rows = (
        qs.values(
            "deduction__case_id",
            "deduction__case__reference",
            "deduction__deduction_type_id",
            "deduction__deduction_type__name",
            "deduction__category",
        )
        .annotate(total=Sum("amount"), lines=Count("id"))
        .order_by("deduction__case_id", "deduction__deduction_type__name")
    )
    return [
        {
            "case": row["deduction__case_id"],
            "case_reference": row["deduction__case__reference"],
            "deduction_type": row["deduction__deduction_type_id"],
            "deduction_type_name": row["deduction__deduction_type__name"],
            "category": row["deduction__category"],
            "total": (row["total"] or Decimal("0")).quantize(Decimal("0.01")),
            "lines": row["lines"],
        }
        for row in rows
    ]


def deduction_processings(*, deduction) -> list[DeductionProcessing]:
    """The deduction's processing rows, oldest first (CD-15). Each row also carries, for
    the history page, ``acted_by`` (the payment run that wrote it, "Zahlungslauf
    12.01.2026") and ``payment_label`` (the payment's kind and nominee), in the active
    language: people see no ids."""
    rows = list(
        DeductionProcessing.objects.filter(deduction=deduction)
        .select_related("payment__nominee")
        .order_by("created_at", "id")
    )
    run_ids = {row.payment.payment_run_id for row in rows if row.payment.payment_run_id}
    runs = {run.pk: str(run) for run in PaymentRun.objects.filter(pk__in=run_ids)}
    for row in rows:
        # A payment written outside a run (none so far) still names who wrote it.
        row.acted_by = runs.get(row.payment.payment_run_id) or gettext("Zahlungslauf")
        row.payment_label = row.payment.short_label
    return rows


def liability_processing_times(*, liability_id: int) -> list[datetime.datetime]:
    """When payment runs processed lines paying off the liability (CD-15)."""
    return list(
        DeductionProcessing.objects.filter(liability_id=liability_id).values_list(
            "created_at", flat=True
        )
    )
