"""Demo data of the payments app: on the demo case of Thomas Schmidt ("Grundsicherung",
created by cases/demo.py, deductions by deductions/demo.py) a payment run two weeks after
the case start — when that day has come — and a saved simulation of the next eight weeks.
Idempotent: the run date is unique, and the simulation is saved once."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import CaseStatus, ProductDeliveryCase
from config.dates import format_date

from .models import PaymentRunTrigger, Simulation
from .services import payment_run_process_inline, payment_run_start, simulation_run

PRODUCT = "Grundsicherung"
CLIENT = "Thomas Schmidt"


def seed(*, stdout) -> None:
    case = (
        ProductDeliveryCase.objects.filter(product__name=PRODUCT, primary_client__name=CLIENT)
        .order_by("id")
        .first()
    )
    if case is None:
        stdout.write("  Keine Demo-Zahlungen: der Demo-Fall von Thomas Schmidt fehlt.")
        return
    user = get_user_model().objects.filter(username="caseworker").first() or case.case_supervisor
    run_date = case.start_date + timedelta(days=14)
    if case.status == CaseStatus.ACTIVE and run_date <= timezone.localdate():
        run, created = payment_run_start(
            run_date=run_date, trigger=PaymentRunTrigger.COMMAND, enqueue=False
        )
        run = payment_run_process_inline(run=run)
        if created:
            stdout.write(
                f"  Zahlungslauf {format_date(run_date)}: {run.payments_created} Zahlungen erstellt"
            )
    if not Simulation.objects.filter(case=case).exists():
        up_to = max(run_date, timezone.localdate()) + timedelta(weeks=8)
        result = simulation_run(case_id=case.pk, up_to=up_to, user=user, save=True)
        stdout.write(
            f"  Simulation bis {format_date(up_to)} gespeichert "
            f"({len(result['payments'])} Zahlungen)"
        )
