"""Saved simulations: lists and side-by-side comparison (SIM-3)."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import Simulation
from ..results import compare_payments


def simulation_list(*, case_id: int | None = None) -> QuerySet[Simulation]:
    qs = Simulation.objects.select_related("created_by", "case")
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    return qs


def simulation_compare(*, a: Simulation, b: Simulation) -> dict:
    """SIM-3: two saved simulations side by side, with the differences named."""
    rows = compare_payments(a.payments, b.payments)
    return {
        "a": a.pk,
        "b": b.pk,
        "identical": all(row["identical"] for row in rows),
        "payments": rows,
    }
