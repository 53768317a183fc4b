"""Celery tasks of the payments app: thin, idempotent, taking ids (design rule 7)."""

from celery import shared_task
from django.utils import timezone

from .models import PaymentRunTrigger
from .services import runs


@shared_task(name=runs.CHUNK_TASK, acks_late=True)
def payment_chunk_process(chunk_id: int) -> None:
    """Process one chunk of a payment run (PAY-13). Safe to run twice or concurrently.

    Then, as a worker looking for work, reclaim the run's chunks whose lease expired (their
    worker died) and send them again, without waiting for the reconciler."""
    outcome = runs.payment_chunk_process(chunk_id=chunk_id)
    if outcome.run_id is not None:
        runs.payment_run_reclaim(run_id=outcome.run_id)


@shared_task(name="payments.tasks.payment_run_nightly")
def payment_run_nightly() -> None:
    """The nightly payment run for today (celery beat, 01:00 by default, editable in admin)."""
    runs.payment_run_start(run_date=timezone.localdate(), trigger=PaymentRunTrigger.SCHEDULED)


@shared_task(name="payments.tasks.payment_runs_reconcile")
def payment_runs_reconcile() -> None:
    """Expire dead chunk leases, finish runs whose chunks have all ended, re-send chunks
    (celery beat, every ``PAYMENT_RUN_RECONCILE_SECONDS``)."""
    runs.payment_runs_reconcile()
