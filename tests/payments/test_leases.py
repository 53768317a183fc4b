"""Chunk leases of payment runs (PAY-13, issue 11 item 3): every claim is an attempt, a lease
is renewed while its worker works and reclaimed once it expired, a chunk that fails or
loses its worker PAYMENT_CHUNK_MAX_ATTEMPTS times fails alone, its run ends "completed
with failures", and an operator retries it. Fast tests (SQLite is enough); the real
workers killed with SIGKILL are in test_runs_workers.py."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from payments.models import Payment, PaymentChunk, PaymentRun
from payments.services import (
    payment_chunk_lease_renew,
    payment_chunk_process,
    payment_run_process_inline,
    payment_run_retry,
    payment_run_start,
    payment_runs_reconcile,
)
from payments.services import runs as runs_module
from payments.tasks import payment_chunk_process as chunk_task
from tests.payments.builders import add_deduction, build_case

pytestmark = pytest.mark.django_db

RUN_DATE = date(2026, 1, 12)  # one weekly period due per case
LOST = "Worker verloren / Lease abgelaufen"


class WorkerKilled(BaseException):
    """Stands in for kill -9 after the claim: nothing after it runs, no except clause."""


@pytest.fixture
def three_cases(settings):
    """Three cases of one payment each, one per chunk."""
    settings.PAYMENT_RUN_CHUNK_SIZE = 1
    settings.PAYMENT_CHUNK_MAX_ATTEMPTS = 3
    for number in range(3):
        setup = build_case(components=(("c1", "thomas", "100"),))
        add_deduction(setup, name=f"Strom {number}", amount="20", nominee="thomas")
    run, _ = payment_run_start(run_date=RUN_DATE, enqueue=False)
    return run


def _chunk(run, number):
    return run.chunks.get(number=number)


def _expire(chunk):
    PaymentChunk.objects.filter(pk=chunk.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


def _sabotage(monkeypatch, number, exc):
    """Chunk ``number`` raises ``exc`` inside its writing transaction, after its claim."""
    real = runs_module._compute_and_write

    def compute_and_write(chunk, **kwargs):
        if chunk.number == number:
            raise exc
        return real(chunk, **kwargs)

    monkeypatch.setattr(runs_module, "_compute_and_write", compute_and_write)


def test_claim_takes_a_lease_and_counts_the_attempt_even_if_the_worker_dies_PAY_13(
    three_cases, monkeypatch
):
    """PAY-13: a claim commits lease owner, expiry and attempts + 1 before any work, so a
    worker killed right after it leaves the attempt counted and the chunk leased; while the
    lease is valid nobody else processes the chunk."""
    chunk = _chunk(three_cases, 1)
    _sabotage(monkeypatch, 1, WorkerKilled())
    with pytest.raises(WorkerKilled):
        payment_chunk_process(chunk_id=chunk.pk)
    chunk.refresh_from_db()
    assert (chunk.status, chunk.attempts) == ("running", 1)
    assert chunk.lease_owner and chunk.lease_expires_at > timezone.now()
    assert chunk.claimed_at is not None
    assert Payment.objects.count() == 0  # the writing transaction rolled back

    monkeypatch.undo()
    outcome = payment_chunk_process(chunk_id=chunk.pk)  # e.g. the message redelivered
    assert not outcome.processed and not outcome.failed
    chunk.refresh_from_db()
    assert (chunk.status, chunk.attempts) == ("running", 1)
    assert payment_runs_reconcile() == {
        "completed": 0,
        "completed_with_failures": 0,
        "failed": 0,
        "requeued": 0,
        "expired": 0,
    }


def test_an_expired_lease_is_reclaimed_by_the_reconciler_at_once_PAY_13(three_cases, monkeypatch):
    """PAY-13: once the lease has expired the reconciler marks the chunk "worker lost /
    lease expired" and sends it again (eager here: processed at once); the run completes
    with each payment exactly once and the chunk shows its two attempts."""
    chunk = _chunk(three_cases, 1)
    _sabotage(monkeypatch, 1, WorkerKilled())
    with pytest.raises(WorkerKilled):
        payment_chunk_process(chunk_id=chunk.pk)
    monkeypatch.undo()
    _expire(chunk)
    summary = payment_runs_reconcile()
    assert summary["expired"] == 1
    assert summary["requeued"] == 1  # chunks never sent of a young run are left alone
    chunk.refresh_from_db()
    assert (chunk.status, chunk.attempts, chunk.lease_owner) == ("done", 2, "")
    assert chunk.lease_expires_at is None
    run = payment_run_process_inline(run=three_cases)  # the other two
    assert (run.status, run.done_chunks, run.payments_created) == ("completed", 3, 3)
    assert Payment.objects.count() == 3
    assert Payment.objects.values("case", "period_start").distinct().count() == 3


def test_a_worker_looking_for_work_reclaims_an_expired_lease_of_its_run_PAY_13(
    three_cases, monkeypatch
):
    """PAY-13: after its own chunk, a worker (the Celery task) expires the run's dead
    leases and sends those chunks again, without waiting for the reconciler; a message
    for a chunk whose lease expired is taken up by whichever worker receives it."""
    first, second = _chunk(three_cases, 1), _chunk(three_cases, 2)
    _sabotage(monkeypatch, 1, WorkerKilled())
    with pytest.raises(WorkerKilled):
        payment_chunk_process(chunk_id=first.pk)
    monkeypatch.undo()
    _expire(first)
    chunk_task.delay(second.pk)  # eager: chunk 2, then the sweep sends chunk 1 again
    first.refresh_from_db()
    assert (first.status, first.attempts) == ("done", 2)
    assert Payment.objects.count() == 2
    assert payment_run_process_inline(run=three_cases).status == "completed"
    assert Payment.objects.count() == 3

    # A redelivered message for an expired lease reclaims it directly.
    other = PaymentRun.objects.get(pk=payment_run_start(run_date=date(2026, 1, 19))[0].pk)
    chunk = other.chunks.order_by("number").first()
    _sabotage(monkeypatch, chunk.number, WorkerKilled())
    with pytest.raises(WorkerKilled):
        payment_chunk_process(chunk_id=chunk.pk)
    monkeypatch.undo()
    _expire(chunk)
    assert payment_chunk_process(chunk_id=chunk.pk).processed
    chunk.refresh_from_db()
    assert (chunk.status, chunk.attempts, chunk.error) == ("done", 2, "")


def test_renewing_extends_only_the_holders_lease_PAY_13(three_cases, monkeypatch, settings):
    """PAY-13: the holder's renewal moves the expiry forward by the lease time; a renewal
    with another token (a worker whose lease was taken over) changes nothing and says so."""
    settings.PAYMENT_CHUNK_LEASE_SECONDS = 600
    chunk = _chunk(three_cases, 1)
    _sabotage(monkeypatch, 1, WorkerKilled())
    with pytest.raises(WorkerKilled):
        payment_chunk_process(chunk_id=chunk.pk)
    chunk.refresh_from_db()
    PaymentChunk.objects.filter(pk=chunk.pk).update(
        lease_expires_at=timezone.now() + timedelta(seconds=5)
    )
    assert payment_chunk_lease_renew(chunk_id=chunk.pk, token=chunk.lease_owner)
    renewed = PaymentChunk.objects.get(pk=chunk.pk).lease_expires_at
    assert renewed > timezone.now() + timedelta(seconds=300)
    assert not payment_chunk_lease_renew(chunk_id=chunk.pk, token="elsewhere:1:abc")
    assert PaymentChunk.objects.get(pk=chunk.pk).lease_expires_at == renewed


def test_a_worker_that_lost_its_lease_writes_nothing_PAY_13(three_cases, monkeypatch):
    """PAY-13: exactly once with leases: a worker whose lease was taken over while it
    computed finds this out inside its writing transaction (chunk row locked) and rolls
    back everything it wrote; the new holder's work stands."""
    chunk = _chunk(three_cases, 1)
    real = runs_module._compute_and_write

    def reclaimed_meanwhile(chunk, **kwargs):
        result = real(chunk, **kwargs)  # the payments are written in this transaction
        assert Payment.objects.count() == 1
        PaymentChunk.objects.filter(pk=chunk.pk).update(lease_owner="elsewhere:2:def")
        return result

    monkeypatch.setattr(runs_module, "_compute_and_write", reclaimed_meanwhile)
    outcome = payment_chunk_process(chunk_id=chunk.pk)
    assert outcome.lost and not outcome.processed and not outcome.failed
    assert Payment.objects.count() == 0
    chunk.refresh_from_db()
    assert chunk.status == "running" and chunk.attempts == 1  # still the other's


def test_a_chunk_failing_max_times_fails_alone_and_the_run_completes_with_failures_PAY_13(
    three_cases, monkeypatch, admin_api
):
    """PAY-13: a chunk that raises on every attempt is failed for good after
    PAYMENT_CHUNK_MAX_ATTEMPTS claims, with its last error; the other chunks are paid and
    the run ends "completed_with_failures", with the failed chunk in the API."""
    _sabotage(monkeypatch, 2, RuntimeError("Fall kaputt"))
    run = payment_run_process_inline(run=three_cases)
    assert run.status == "completed_with_failures"
    assert (run.done_chunks, run.done_cases, run.payments_created) == (2, 2, 2)
    assert run.finished_at is not None
    assert "Paket 2: RuntimeError: Fall kaputt" in run.error
    chunk = _chunk(run, 2)
    assert (chunk.status, chunk.attempts) == ("failed", 3)
    assert chunk.error == "RuntimeError: Fall kaputt"
    assert Payment.objects.count() == 2
    assert payment_runs_reconcile()["requeued"] == 0  # a finished run is left alone

    body = admin_api.get(f"/api/v1/payment-runs/{run.pk}/").json()
    assert body["status"] == "completed_with_failures"
    assert body["status_display"] == "Abgeschlossen mit Fehlern"
    assert body["chunks"] == {"done": 2, "total": 3}
    assert body["failed_chunks"] == [
        {
            "number": 2,
            "first_case_id": chunk.first_case_id,
            "last_case_id": chunk.last_case_id,
            "case_count": 1,
            "attempts": 3,
            "error": "RuntimeError: Fall kaputt",
            "will_retry": False,
        }
    ]
    listed = admin_api.get("/api/v1/payment-runs/?status=completed_with_failures").json()
    assert [r["id"] for r in listed["results"]] == [run.pk]


def test_a_chunk_that_loses_its_worker_max_times_is_failed_as_worker_lost_PAY_13(
    three_cases, monkeypatch
):
    """PAY-13: a chunk whose worker dies on every claim (kill -9: no error recorded by the
    worker) is reclaimed after each expired lease until its attempts reach the maximum,
    then failed with "worker lost / lease expired"; the others are paid and the run ends
    "completed_with_failures" instead of being retried forever."""
    _sabotage(monkeypatch, 3, WorkerKilled())
    chunk = _chunk(three_cases, 3)
    for attempt in range(1, 4):
        with pytest.raises(WorkerKilled):
            payment_chunk_process(chunk_id=chunk.pk)
        chunk.refresh_from_db()
        assert (chunk.status, chunk.attempts) == ("running", attempt)
        _expire(chunk)
        payment_runs_reconcile(enqueue=False)
    payment_run_process_inline(run=three_cases)  # the other two chunks
    chunk.refresh_from_db()
    assert (chunk.status, chunk.attempts, chunk.error) == ("failed", 3, LOST)
    assert payment_chunk_process(chunk_id=chunk.pk).processed is False  # no 4th claim
    run = PaymentRun.objects.get(pk=three_cases.pk)
    assert run.status == "completed_with_failures"
    assert f"Paket 3: {LOST}" in run.error
    assert Payment.objects.count() == 2


def test_a_run_whose_every_chunk_failed_is_failed_PAY_13(three_cases, monkeypatch):
    """PAY-13: when no chunk could be paid the run is "failed" (not "completed with
    failures"); it can be retried like one."""
    real = runs_module._compute_and_write

    def always(chunk, **kwargs):
        raise RuntimeError("Datenbank weg")

    monkeypatch.setattr(runs_module, "_compute_and_write", always)
    run = payment_run_process_inline(run=three_cases)
    assert (run.status, run.done_chunks) == ("failed", 0)
    assert run.can_retry
    monkeypatch.setattr(runs_module, "_compute_and_write", real)
    run = payment_run_process_inline(run=payment_run_retry(run=run, enqueue=False))
    assert (run.status, run.payments_created) == ("completed", 3)


def test_retry_over_the_api_processes_only_the_failed_chunks_PAY_13_RO_1(
    three_cases, monkeypatch, admin_api, api, django_capture_on_commit_callbacks
):
    """PAY-13, RO-1: POST /api/v1/payment-runs/{id}/retry/ (administrators) gives the failed
    chunks their attempts again and processes them (eager Celery); done chunks are not
    touched and nothing is paid twice. Caseworkers get 403; a run that is not finished with
    failures gets 409."""
    _sabotage(monkeypatch, 2, RuntimeError("Fall kaputt"))
    run = payment_run_process_inline(run=three_cases)
    monkeypatch.undo()
    done_before = dict(run.chunks.filter(status="done").values_list("pk", "finished_at"))
    url = f"/api/v1/payment-runs/{run.pk}/retry/"
    assert api.post(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(url)
    assert response.status_code == 200, response.content
    run.refresh_from_db()
    assert (run.status, run.payments_created, run.error) == ("completed", 3, "")
    chunk = _chunk(run, 2)
    assert (chunk.status, chunk.attempts, chunk.error) == ("done", 1, "")
    assert dict(run.chunks.filter(pk__in=done_before).values_list("pk", "finished_at")) == (
        done_before
    )
    assert Payment.objects.count() == 3
    again = admin_api.post(url)
    assert again.status_code == 409
    assert "erneut versucht" in again.json()["detail"]


def test_run_page_and_admin_show_failed_chunks_and_retry_them_PAY_13(
    three_cases, monkeypatch, client, administrator, django_capture_on_commit_callbacks
):
    """PAY-13: the run page shows "Abgeschlossen mit Fehlern", each failed chunk with its
    attempts and last error, and a retry button; admin lists the failed chunks and its
    action retries them."""
    _sabotage(monkeypatch, 2, RuntimeError("Fall kaputt"))
    run = payment_run_process_inline(run=three_cases)
    monkeypatch.undo()
    client.force_login(administrator)
    html = client.get(reverse("payments:run-detail", args=[run.pk])).content.decode()
    assert "Abgeschlossen mit Fehlern" in html
    assert 'data-testid="failed-chunks"' in html
    assert "RuntimeError: Fall kaputt" in html and "3 / 3" in html
    assert reverse("payments:run-retry", args=[run.pk]) in html
    assert 'hx-trigger="every 2s"' not in html  # finished: no more polling

    admin_html = client.get(
        reverse("admin:payments_paymentrun_change", args=[run.pk])
    ).content.decode()
    assert "Fall kaputt" in admin_html and "Fehlgeschlagene Pakete" in admin_html
    listing = client.get(reverse("admin:payments_paymentrun_changelist")).content.decode()
    assert "Abgeschlossen mit Fehlern" in listing
    assert "Fehlgeschlagene Pakete erneut versuchen" in listing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:payments_paymentrun_changelist"),
            {"action": "resume_runs", "_selected_action": [run.pk], "index": "0"},
        )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "completed" and Payment.objects.count() == 3


def test_run_page_retry_button_retries_and_refuses_a_completed_run_PAY_13(
    three_cases, monkeypatch, client, administrator, django_capture_on_commit_callbacks
):
    """PAY-13: the run page's button retries the failed chunks; posting it for a run that
    completed shows the 409 message instead, and changes nothing."""
    _sabotage(monkeypatch, 1, RuntimeError("Fall kaputt"))
    run = payment_run_process_inline(run=three_cases)
    monkeypatch.undo()
    client.force_login(administrator)
    url = reverse("payments:run-retry", args=[run.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "werden erneut versucht" in response.content.decode()
    run.refresh_from_db()
    assert run.status == "completed"
    response = client.post(url, follow=True)
    assert "kann erneut versucht werden" in response.content.decode()
    assert client.get(url).status_code == 405


def test_lease_and_reconciler_come_from_settings_PAY_13(settings):
    """PAY-13: beat runs the reconciler every PAYMENT_RUN_RECONCILE_SECONDS: the beat entry
    from settings becomes the reconciler's periodic task in django-celery-beat."""
    from django_celery_beat.models import PeriodicTask
    from django_celery_beat.schedulers import DatabaseScheduler

    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["Zahlungsläufe abgleichen"]
    assert entry["task"] == "payments.tasks.payment_runs_reconcile"
    assert entry["schedule"] == settings.PAYMENT_RUN_RECONCILE_SECONDS == 60
    DatabaseScheduler.Entry.from_entry("Zahlungsläufe abgleichen", app=app, **entry)
    task = PeriodicTask.objects.get(task="payments.tasks.payment_runs_reconcile")
    assert (task.interval.every, task.interval.period) == (60, "seconds")
    assert (settings.PAYMENT_CHUNK_LEASE_SECONDS, settings.PAYMENT_CHUNK_MAX_ATTEMPTS) == (60, 3)
    assert settings.PAYMENT_CHUNK_LEASE_RENEW_SECONDS < settings.PAYMENT_CHUNK_LEASE_SECONDS
