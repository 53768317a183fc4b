"""Payment runs with real Celery worker processes on PostgreSQL and Redis (PAY-13, issue 11
acceptance 3): a worker killed with SIGKILL mid-chunk costs the run no more than the lease
time plus one reconciler period, and pays nothing twice; a chunk that kills its worker on
every attempt is failed after PAYMENT_CHUNK_MAX_ATTEMPTS claims and the run ends
"completed with failures" with the other chunks paid.

The workers run ``celery worker`` with tests/payments/celery_faults.py (the project's app
plus injected faults) against pytest-django's test database, on a queue of their own.
Lease 3 s renewed every 1 s, reconciler every 2 s (run by this test in a loop instead of
beat). Skipped without PostgreSQL or without a broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.models import Count

from config.celery import app
from payments.models import Payment, PaymentChunk, PaymentRun
from payments.services import payment_run_start, payment_runs_reconcile
from tests.payments.builders import add_deduction, build_case

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.celery_broker,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.skipif(not django_settings.CELERY_BROKER_URL, reason="needs a broker"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
LEASE = 3  # seconds
RENEW = 1
RECONCILE = 2
MAX_ATTEMPTS = 3
RUN_DATE = date(2026, 1, 12)  # one weekly period due per case
LOST = "Worker verloren / Lease abgelaufen"


def _database_url() -> str:
    db = connection.settings_dict  # the test database the workers must use
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{auth}@{host}/{db['NAME']}"


class Workers:
    """Worker processes on one queue of their own; every one is killed in ``stop``."""

    def __init__(self, tmp_path: Path, **faults: str):
        self.queue = f"lease-test-{uuid.uuid4().hex[:12]}"
        self.tmp_path = tmp_path
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
            "PAYMENT_CHUNK_LEASE_SECONDS": str(LEASE),
            "PAYMENT_CHUNK_LEASE_RENEW_SECONDS": str(RENEW),
            "PAYMENT_CHUNK_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
            "PAYMENT_RUN_RECONCILE_SECONDS": str(RECONCILE),
            "LEASE_TEST_QUEUE": self.queue,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **faults,
        }
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def start(self, name: str, *, pool: str) -> subprocess.Popen:
        log = self.tmp_path / f"worker-{name}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.payments.celery_faults",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "--loglevel=INFO",
            f"--hostname={name}-{self.queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self.processes[name], self.logs[name] = process, log
        return process

    def wait_ready(self, patience: float = 90.0) -> None:
        """Until every worker logged "ready" (Django set up, queue consumed)."""
        give_up = time.monotonic() + patience
        while time.monotonic() < give_up:
            if all(b" ready." in self.logs[name].read_bytes() for name in self.processes):
                return
            for name, process in self.processes.items():
                assert process.poll() is None, f"worker {name} exited:\n{self.log_text()}"
            time.sleep(0.2)
        raise AssertionError(f"workers not ready after {patience} s:\n{self.log_text()}")

    def log_text(self) -> str:
        return "\n".join(
            f"--- {name}\n{log.read_text(errors='replace')[-4000:]}"
            for name, log in self.logs.items()
        )

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:  # pragma: no cover - already SIGKILLed
                pass
            # prefork children left behind by a killed parent exit when their pipe closes
        try:
            with app.connection_for_write() as conn:
                conn.default_channel.queue_delete(self.queue)
        except Exception:  # noqa: BLE001 - a leftover empty queue is harmless
            pass


@pytest.fixture
def workers(tmp_path, settings):
    settings.PAYMENT_CHUNK_LEASE_SECONDS = LEASE
    settings.PAYMENT_CHUNK_LEASE_RENEW_SECONDS = RENEW
    settings.PAYMENT_CHUNK_MAX_ATTEMPTS = MAX_ATTEMPTS
    settings.PAYMENT_RUN_RECONCILE_SECONDS = RECONCILE
    settings.PAYMENT_RUN_CHUNK_SIZE = 1
    assert not app.conf.task_always_eager
    made: list[Workers] = []
    # Celery builds its queue table from the default queue on first use: build it now, with
    # the usual default, so that later tests' workers in this process still consume it.
    assert app.conf.task_default_queue in app.amqp.queues
    previous_queue = app.conf.task_default_queue

    def make(**faults: str) -> Workers:
        group = Workers(tmp_path, **faults)
        made.append(group)
        app.conf.task_default_queue = group.queue  # this process sends there too
        return group

    try:
        yield make
    finally:
        app.conf.task_default_queue = previous_queue
        for group in made:
            group.stop()
            app.amqp.queues.pop(group.queue, None)


def _cases(count: int) -> None:
    for number in range(count):
        setup = build_case(components=(("c1", "thomas", "100"),))
        add_deduction(setup, name=f"Strom {number}", amount="20", nominee="thomas")


def _reconcile_until_finished(run: PaymentRun, *, deadline: float) -> PaymentRun:
    """The reconciler every RECONCILE seconds (beat's job), until the run has ended or
    the deadline (time.monotonic()) has passed."""
    while time.monotonic() < deadline:
        payment_runs_reconcile()
        run.refresh_from_db()
        if run.is_finished:
            break
        time.sleep(min(RECONCILE, max(0.0, deadline - time.monotonic())))
    run.refresh_from_db()
    return run


def _chunks(run: PaymentRun) -> list:
    """The chunks' state, for a failure message."""
    return list(
        run.chunks.order_by("number").values_list(
            "number", "status", "attempts", "lease_owner", "lease_expires_at", "error"
        )
    )


def _assert_each_payment_once() -> None:
    duplicates = (
        Payment.objects.values("case", "nominee", "period_start", "kind")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()


def test_killed_worker_costs_the_run_one_lease_and_pays_nothing_twice_PAY_13(workers):
    """PAY-13: two workers; one is killed with SIGKILL while it holds a chunk. Its lease
    expires, the reconciler (or the other worker) reclaims the chunk, and the run completes
    within lease + one reconciler period (+ that chunk's own processing time and a margin
    for a loaded machine) — not after Redis' visibility timeout of 2 hours — with every
    payment exactly once. Chunks take longer than the lease, so the others survive only
    because their workers renew their leases."""
    chunk_seconds = LEASE + 1.0
    _cases(2)  # one chunk per worker: after the kill the other worker is free at once
    group = workers(LEASE_TEST_CHUNK_SECONDS=str(chunk_seconds))
    victim = group.start("a", pool="solo")  # solo: the task runs in the worker process
    group.start("b", pool="solo")
    group.wait_ready()
    run, created = payment_run_start(run_date=RUN_DATE)  # enqueued after commit
    assert created and run.total_chunks == 2

    give_up = time.monotonic() + 60
    killed_chunk = None
    while killed_chunk is None and time.monotonic() < give_up:
        killed_chunk = (
            PaymentChunk.objects.filter(
                run=run, status="running", lease_owner__contains=f":{victim.pid}:"
            )
            .values_list("pk", flat=True)
            .first()
        )
        if killed_chunk is None:
            time.sleep(0.05)
    assert killed_chunk is not None, group.log_text()
    victim.send_signal(signal.SIGKILL)
    killed_at = time.monotonic()
    victim.wait(timeout=10)

    budget = LEASE + RECONCILE + chunk_seconds + 8.0  # 8 s: a busy shared machine
    run = _reconcile_until_finished(run, deadline=killed_at + budget)
    elapsed = time.monotonic() - killed_at
    print(f"run completed {elapsed:.1f} s after the kill (budget {budget:.0f} s)")
    assert run.status == "completed", (run.status, elapsed, _chunks(run), group.log_text())
    assert elapsed < budget
    assert (run.done_chunks, run.payments_created) == (2, 2)
    assert Payment.objects.count() == 2
    _assert_each_payment_once()
    attempts = dict(run.chunks.values_list("pk", "attempts"))
    assert attempts.pop(killed_chunk) == 2  # claimed by the killed worker, then reclaimed
    assert set(attempts.values()) == {1}  # renewed leases: no live chunk was taken away


def test_chunk_that_kills_its_worker_every_time_fails_alone_PAY_13(workers):
    """PAY-13: chunk 2 kills the worker process that processes it, on every attempt
    (SIGKILL: the worker records nothing). Each claim counts, so after MAX_ATTEMPTS the
    chunk is failed with "worker lost / lease expired"; the run finishes the other chunks
    and ends "completed_with_failures" with them paid, instead of retrying forever."""
    _cases(3)
    group = workers(LEASE_TEST_CHUNK_SECONDS="0.2", LEASE_TEST_KILL_CHUNK="2")
    # prefork: the chunk kills the pool process; its parent starts a new one
    group.start("a", pool="prefork")
    group.start("b", pool="prefork")
    group.wait_ready()
    run, _ = payment_run_start(run_date=RUN_DATE)

    budget = MAX_ATTEMPTS * (LEASE + RECONCILE + 3) + 20
    run = _reconcile_until_finished(run, deadline=time.monotonic() + budget)
    assert run.status == "completed_with_failures", (run.status, _chunks(run), group.log_text())
    chunks = {c.number: c for c in run.chunks.all()}
    assert (chunks[2].status, chunks[2].attempts, chunks[2].error) == (
        "failed",
        MAX_ATTEMPTS,
        LOST,
    )
    assert [chunks[n].status for n in (1, 3)] == ["done", "done"]
    assert f"Paket 2: {LOST}" in run.error
    assert (run.done_chunks, run.payments_created) == (2, 2)
    assert not Payment.objects.filter(
        case_id__gte=chunks[2].first_case_id, case_id__lte=chunks[2].last_case_id
    ).exists()
    assert Payment.objects.count() == 2
    _assert_each_payment_once()
