"""Reads about payment runs for the home page: the latest run and the cases it skipped
deductions of."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from cases.models import ProductDeliveryCase

from ..models import DeductionProcessing, PaymentRun, ProcessingStatus


def last_payment_run() -> PaymentRun | None:
    """The run with the latest run date (the nightly run, or a manual one), if any."""
    return PaymentRun.objects.select_related("started_by").order_by("-run_date").first()


def skipped_case_rows(*, run_id: int) -> QuerySet:
    """One row per case with skipped deduction lines in the run: case id and the number of
    skipped lines, by case id. Page it; `with_cases` then loads the page's cases."""
    return (
        DeductionProcessing.objects.filter(
            status=ProcessingStatus.SKIPPED, payment__payment_run_id=run_id
        )
        .values("payment__case_id")
        .annotate(skips=Count("id"))
        .order_by("payment__case_id")
    )


def with_cases(rows) -> list[dict]:
    """The rows with their cases (reference, client, product) in one query."""
    rows = list(rows)
    cases = ProductDeliveryCase.objects.select_related("primary_client", "product").in_bulk(
        [row["payment__case_id"] for row in rows]
    )
    return [
        {"case": cases[row["payment__case_id"]], "skips": row["skips"]}
        for row in rows
        if row["payment__case_id"] in cases
    ]
