"""The demo data, paid twice for the same date (PAY-13)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from payments.models import DeductionProcessing, Payment, PaymentRun
from payments.services import payment_run_process_inline, payment_run_start

pytestmark = pytest.mark.django_db


def test_payment_run_over_demo_data_twice_creates_each_payment_once_PAY_13(capsys, settings):
    """PAY-13: a payment run over the demo data, started twice for the same date (and the
    demo seeded twice), creates each payment and processing row exactly once."""
    settings.PAYMENT_RUN_MAX_DAYS_AHEAD = 35  # the demo's periods lie ahead of today
    call_command("seed_demo")
    run_date = timezone.localdate() + timedelta(days=35)
    first, created = payment_run_start(run_date=run_date, enqueue=False)
    assert created
    first = payment_run_process_inline(run=first)
    assert first.status == "completed"
    counts = (Payment.objects.count(), DeductionProcessing.objects.count())
    assert counts[0] > 0 and counts[1] > 0
    again, created = payment_run_start(run_date=run_date, enqueue=False)
    assert not created and again.pk == first.pk
    payment_run_process_inline(run=again)
    call_command("seed_demo")
    assert (Payment.objects.count(), DeductionProcessing.objects.count()) == counts
    assert PaymentRun.objects.filter(run_date=run_date).count() == 1
    keys = Payment.objects.filter(kind="benefit").values_list("case", "nominee", "period_start")
    assert len(set(keys)) == len(keys)


def test_demo_run_skips_the_rent_and_a_simulation_is_saved_PAY_13_SIM_1_WF_2(
    django_capture_on_commit_callbacks,
):
    """The demo shows a case with skips: its payment run two weeks after the case start
    skips the rent (50,00 is more than the 30 % limit leaves of 100,00) and processes
    electricity and the overpayment; the skip opens a task for the case supervisor; a
    saved simulation is there to open. Seeding again adds nothing."""
    from deductions.models import Deduction
    from payments.models import Simulation
    from workflow.models import Task

    with django_capture_on_commit_callbacks(execute=True):  # the events' task creation
        call_command("seed_demo", stdout=io.StringIO())
    run = PaymentRun.objects.get()
    assert run.status == "completed"
    rows = DeductionProcessing.objects.filter(payment__payment_run_id=run.pk)
    skipped = rows.filter(status="skipped")
    assert set(skipped.values_list("deduction__deduction_type__name", flat=True)) == {"Miete"}
    assert skipped.exclude(reason="").count() == skipped.count() > 0
    assert {"Strom", "Überzahlung"} <= set(
        rows.filter(status="processed").values_list("deduction__deduction_type__name", flat=True)
    )
    rent = Deduction.objects.get(deduction_type__name="Miete")
    task = Task.objects.get(deduction=rent)
    assert task.assignee.username == "supervisor" and task.status == "open"
    simulation = Simulation.objects.get()
    assert simulation.case_id == rent.case_id
    counts = (Payment.objects.count(), Task.objects.count(), Simulation.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert (Payment.objects.count(), Task.objects.count(), Simulation.objects.count()) == counts
