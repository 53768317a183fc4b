"""The demo data, paid twice for the same date (PAY-13)."""

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
