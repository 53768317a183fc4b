"""Saved simulations: lists and side-by-side comparison (SIM-3)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from cases.models import ProductDeliveryCase

from ..models import Simulation
from ..results import compare_payments


def simulation_list(*, case_id: int | None = None) -> QuerySet[Simulation]:
    qs = Simulation.objects.select_related("created_by", "case")
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    return qs


def simulation_list_light(*, case_id: int) -> QuerySet[Simulation]:
    """A case's saved simulations for lists: name, dates, user and the stored totals,
    without the payments themselves."""
    return simulation_list(case_id=case_id).defer("payments")


def case_expected_end(*, case_id: int) -> date | None:
    """The case's expected end date (``Voraussichtliches Fall-Enddatum``), None if open."""
    return (
        ProductDeliveryCase.objects.filter(pk=case_id)
        .values_list("expected_end_date", flat=True)
        .first()
    )


def simulation_compare(*, a: Simulation, b: Simulation) -> dict:
    """SIM-3: two saved simulations side by side, with the differences named."""
    rows = compare_payments(a.payments, b.payments)
    return {
        "a": a.pk,
        "b": b.pk,
        "identical": all(row["identical"] for row in rows),
        "payments": rows,
    }
