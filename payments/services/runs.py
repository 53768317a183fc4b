"""Payment runs (PAY-13): plan a run into chunks, process each chunk in one transaction
under a lease, and finish runs — idempotently, whatever is retried, run twice or killed.

- ``payment_run_start`` creates the run for a date (or returns the existing one: the run
  date is unique), plans chunks of ``settings.PAYMENT_RUN_CHUNK_SIZE`` active cases by id
  range, and after commit enqueues a Celery group with one task per chunk.
- ``payment_chunk_process`` claims the chunk with a lease in a short transaction of its
  own (``SELECT … FOR UPDATE SKIP LOCKED``; owner token, expiry by the database clock,
  ``attempts + 1`` — committed at once, so even a ``kill -9`` counts). A thread with its
  own connection renews the lease while the chunk's one writing transaction locks the
  chunk's cases, computes every period due and writes all rows set-based. At its end that
  transaction locks the chunk row and commits only if the lease is still its own: a worker
  that lost its lease (it hung or was paused, and the chunk was reclaimed) rolls back, so
  a reclaimed chunk is never paid twice. Unique constraints hold whatever code runs.
- A lease that expired means its worker is gone: the chunk is marked failed ("worker lost
  / lease expired") and sent again — by the reconciler, or at once by the next worker that
  finishes a chunk of the same run. A chunk claimed ``PAYMENT_CHUNK_MAX_ATTEMPTS`` times
  without success stays failed with its last error; the run finishes its other chunks and
  ends "completed with failures" (or "failed" when no chunk was paid).
  ``payment_run_retry`` gives its failed chunks their attempts again.
- ``payment_runs_reconcile`` (celery beat, every ``PAYMENT_RUN_RECONCILE_SECONDS``) expires
  leases, finishes runs whose chunks have all ended, and re-sends chunks whose message was
  lost (also chunks never enqueued, e.g. when the process died between commit and enqueue).

Limits: a run date at most ``settings.PAYMENT_RUN_MAX_DAYS_AHEAD`` days after today, and
at most ``settings.PAYMENT_RUN_MAX_PERIODS_PER_CASE`` periods per case in one run (a case
with more is left out and reported, like a case with inconsistent data).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Now
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import CaseStatus, ProductDeliveryCase
from config.celery import enqueue_each
from config.dates import format_date
from config.exceptions import IllegalTransition, ValidationFailed

from .. import selectors
from ..errors import PaymentError as E
from ..models import (
    RUN_RETRYABLE,
    PaymentChunk,
    PaymentChunkStatus,
    PaymentRun,
    PaymentRunStatus,
    PaymentRunTrigger,
)
from .calculation import case_results
from .leases import (
    LeaseKeeper,
    LeaseLost,
    _claim,
    _expire_leases,
    _hold_lease,
    _lease_token,
    max_chunk_attempts,
)
from .ledger import LedgerCounts, LedgerWriter

logger = logging.getLogger(__name__)

# The Celery task that processes one chunk (payments/tasks.py), sent by name.
CHUNK_TASK = "payments.tasks.payment_chunk_process"

# A chunk still pending this long after it was enqueued is enqueued again (its message was
# lost). A chunk never enqueued counts as stalled this long after its run was created.
# Workers that die are noticed by their lease, long before this.
STALLED_AFTER = timedelta(minutes=30)


ACTIVE = (PaymentRunStatus.PENDING, PaymentRunStatus.RUNNING)


@dataclass(frozen=True)
class ChunkOutcome:
    chunk_id: int
    processed: bool  # False: already done, leased by another worker, or lease lost
    counts: LedgerCounts | None = None
    failed: bool = False
    lost: bool = False  # the lease was taken over while this worker computed: rolled back
    run_id: int | None = None


def payment_run_start(
    *,
    run_date: date,
    user: User | None = None,
    trigger: str = PaymentRunTrigger.MANUAL,
    enqueue: bool = True,
) -> tuple[PaymentRun, bool]:
    """Start the payment run for ``run_date``; returns ``(run, created)``.

    A run for that date that already exists is returned as it is (PAY-13: a date is run
    once); if it ended with failed chunks, they are retried (``payment_run_retry``); if it
    is pending or running, its chunks that were never enqueued, have stalled or lost their
    worker are enqueued again (a second message for a chunk is harmless: claiming skips a
    leased or done one). ``enqueue=False`` leaves the processing to the caller (the
    management command, tests).

    A run date more than ``PAYMENT_RUN_MAX_DAYS_AHEAD`` days after today is refused
    (``ValidationFailed`` on ``run_date``).
    """
    payment_run_check_date(run_date=run_date)
    existing = PaymentRun.objects.filter(run_date=run_date).first()
    if existing is not None:
        return _existing(existing, user=user, enqueue=enqueue), False
    try:
        with transaction.atomic():
            run = PaymentRun.objects.create(
                run_date=run_date,
                trigger=trigger,
                started_by=user if getattr(user, "is_authenticated", False) else None,
            )
            chunks = _plan_chunks(run)
    except IntegrityError:  # another request created it a moment ago
        run = PaymentRun.objects.get(run_date=run_date)
        return _existing(run, user=user, enqueue=enqueue), False
    if enqueue and chunks:
        chunk_ids = [chunk.pk for chunk in chunks]
        transaction.on_commit(lambda: enqueue_chunks(chunk_ids))
    return run, True


def payment_run_check_date(*, run_date: date) -> None:
    """Refuse a run date too far ahead: a run pays every period due up to its date, so a
    date in the future issues real payments for periods that have not happened yet."""
    days = max(0, int(settings.PAYMENT_RUN_MAX_DAYS_AHEAD))
    latest = timezone.localdate() + timedelta(days=days)
    if run_date > latest:
        raise ValidationFailed(
            _(
                "Der Stichtag darf höchstens %(days)s Tage nach dem heutigen Tag liegen, "
                "also spätestens am %(latest)s."
            )
            % {"days": days, "latest": format_date(latest)},
            field="run_date",
            code=E.RUN_DATE_TOO_FAR,
        )


def _plan_chunks(run: PaymentRun) -> list[PaymentChunk]:
    """Split the active cases that can have a payment due into id ranges."""
    size = max(1, int(settings.PAYMENT_RUN_CHUNK_SIZE))
    ids = list(
        ProductDeliveryCase.objects.filter(status=CaseStatus.ACTIVE, start_date__lt=run.run_date)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chunks = [
        PaymentChunk(
            run=run,
            number=number,
            first_case_id=part[0],
            last_case_id=part[-1],
            case_count=len(part),
        )
        for number, part in enumerate(
            (ids[i : i + size] for i in range(0, len(ids), size)), start=1
        )
    ]
    PaymentChunk.objects.bulk_create(chunks, batch_size=1000)
    run.total_cases = len(ids)
    run.total_chunks = len(chunks)
    fields = ["total_cases", "total_chunks"]
    if not chunks:
        now = timezone.now()
        run.status = PaymentRunStatus.COMPLETED
        run.started_at = run.finished_at = now
        fields += ["status", "started_at", "finished_at"]
    run.save(update_fields=fields)
    return chunks


def _existing(run: PaymentRun, *, user: User, enqueue: bool) -> PaymentRun:
    if run.status in RUN_RETRYABLE:
        return payment_run_retry(run=run, user=user, enqueue=enqueue)
    if enqueue and run.status in ACTIVE:
        # Chunks whose message never left (the process died between the commit and the
        # enqueue), was lost, or whose worker died: starting the run again sends them.
        _expire_leases(run_id=run.pk)
        chunk_ids = _chunks_to_send(run, now=timezone.now(), unqueued=True)
        if chunk_ids:
            transaction.on_commit(lambda: enqueue_chunks(chunk_ids))
    return run


def _stalled_chunks(chunks: QuerySet, *, now, unqueued: bool) -> QuerySet:
    """Pending chunks enqueued more than ``STALLED_AFTER`` ago, plus those never enqueued:
    all of them when ``unqueued`` is true, otherwise those of runs created more than
    ``STALLED_AFTER`` ago (a run just created is still being enqueued)."""
    cutoff = now - STALLED_AFTER
    never = Q(enqueued_at__isnull=True)
    if not unqueued:
        never &= Q(run__created_at__lt=cutoff)
    return chunks.filter(Q(enqueued_at__lt=cutoff) | never, status=PaymentChunkStatus.PENDING)


def _chunks_to_send(run: PaymentRun, *, now, unqueued: bool) -> list[int]:
    """Chunks of ``run`` that need a message: stalled or never enqueued pending ones, and
    failed ones with attempts left that were not sent since they failed (or whose message
    was lost)."""
    retry = run.chunks.filter(
        Q(enqueued_at__isnull=True)
        | Q(enqueued_at__lte=F("finished_at"))
        | Q(enqueued_at__lt=now - STALLED_AFTER),
        status=PaymentChunkStatus.FAILED,
        attempts__lt=max_chunk_attempts(),
    )
    stalled = _stalled_chunks(run.chunks.all(), now=now, unqueued=unqueued)
    return sorted(
        set(retry.values_list("pk", flat=True)) | set(stalled.values_list("pk", flat=True))
    )


def payment_run_retry(
    *, run: PaymentRun, user: User | None = None, enqueue: bool = True
) -> PaymentRun:
    """Retry a run that ended "completed with failures" or "failed": its failed chunks get
    ``PAYMENT_CHUNK_MAX_ATTEMPTS`` attempts again and are enqueued after commit; its done
    chunks (their payments) stay as they are. Any other status: ``IllegalTransition``."""
    with transaction.atomic():
        locked = PaymentRun.objects.select_for_update().get(pk=run.pk)
        if locked.status not in RUN_RETRYABLE:
            raise IllegalTransition(
                _(
                    "Nur ein fehlgeschlagener oder mit Fehlern abgeschlossener Zahlungslauf "
                    "kann erneut versucht werden (Status: %(status)s)."
                )
                % {"status": locked.get_status_display()},
                code=E.RUN_NOT_RETRYABLE,
            )
        PaymentChunk.objects.filter(run=locked, status=PaymentChunkStatus.FAILED).update(
            status=PaymentChunkStatus.PENDING, attempts=0, error="", finished_at=None
        )
        PaymentRun.objects.filter(pk=locked.pk).update(
            status=PaymentRunStatus.RUNNING, finished_at=None, error=""
        )
        chunk_ids = list(
            locked.chunks.exclude(status=PaymentChunkStatus.DONE).values_list("pk", flat=True)
        )
        if enqueue and chunk_ids:
            transaction.on_commit(lambda: enqueue_chunks(chunk_ids))
    logger.info(
        "Payment run %s: %s failed chunk(s) retried by %s",
        run.pk,
        len(chunk_ids),
        getattr(user, "username", None) or "-",
    )
    run.refresh_from_db()
    return run


def enqueue_chunks(chunk_ids: list[int]) -> None:
    """One Celery task per chunk, as a group (called after commit)."""
    PaymentChunk.objects.filter(pk__in=chunk_ids).update(enqueued_at=Now())
    enqueue_each(CHUNK_TASK, [(chunk_id,) for chunk_id in chunk_ids])


def payment_run_reclaim(*, run_id: int, enqueue: bool = True) -> list[int]:
    """What a worker does after each chunk: expire the run's dead leases and send every
    chunk of the run that needs a message again (so a dead worker's chunk is taken up as
    soon as its lease has expired, without waiting for the reconciler)."""
    run = PaymentRun.objects.filter(pk=run_id, status__in=ACTIVE).first()
    if run is None:
        return []
    _expire_leases(run_id=run_id)
    if _settle_run(run_id):
        return []
    chunk_ids = _chunks_to_send(run, now=timezone.now(), unqueued=False)
    if enqueue and chunk_ids:
        enqueue_chunks(chunk_ids)
    return chunk_ids


def payment_chunk_process(*, chunk_id: int) -> ChunkOutcome:
    """Claim the chunk, process it completely in one transaction, or not at all (see the
    module doc)."""
    run_id = PaymentChunk.objects.filter(pk=chunk_id).values_list("run_id", flat=True).first()
    if run_id is None:
        return ChunkOutcome(chunk_id, processed=False)
    token = _lease_token()
    chunk = _claim(chunk_id, token)
    if chunk is None:
        return ChunkOutcome(chunk_id, processed=False, run_id=run_id)
    PaymentRun.objects.filter(pk=run_id, status=PaymentRunStatus.PENDING).update(
        status=PaymentRunStatus.RUNNING, started_at=timezone.now()
    )
    try:
        with transaction.atomic():
            _relax_commit_durability()
            run_date = PaymentRun.objects.values_list("run_date", flat=True).get(pk=run_id)
            with LeaseKeeper(chunk_id=chunk.pk, token=token), _without_cycle_collection():
                counts, errors = _compute_and_write(chunk, run_id=run_id, run_date=run_date)
            _hold_lease(chunk.pk, token)
            chunk.status = PaymentChunkStatus.DONE
            chunk.payments_created = counts.payments + counts.third_party_payments
            chunk.finished_at = timezone.now()
            chunk.error = _describe_case_errors(errors)
            chunk.lease_owner, chunk.lease_expires_at = "", None
            chunk.save(
                update_fields=[
                    "status",
                    "payments_created",
                    "finished_at",
                    "error",
                    "lease_owner",
                    "lease_expires_at",
                ]
            )
            PaymentRun.objects.filter(pk=run_id).update(
                done_cases=F("done_cases") + chunk.case_count,
                done_chunks=F("done_chunks") + 1,
                payments_created=F("payments_created") + chunk.payments_created,
            )
    except LeaseLost:
        logger.warning("Payment chunk %s: lease lost to another worker; rolled back", chunk_id)
        return ChunkOutcome(chunk_id, processed=False, lost=True, run_id=run_id)
    except Exception as exc:  # noqa: BLE001 - recorded on the chunk; retried while attempts last
        logger.exception("Payment chunk %s failed", chunk_id)
        PaymentChunk.objects.filter(
            pk=chunk_id, status=PaymentChunkStatus.RUNNING, lease_owner=token
        ).update(
            status=PaymentChunkStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            lease_owner="",
            lease_expires_at=None,
            finished_at=Now(),
        )
        _settle_run(run_id)
        return ChunkOutcome(chunk_id, processed=False, failed=True, run_id=run_id)
    _settle_run(run_id)
    return ChunkOutcome(chunk_id, processed=True, counts=counts, run_id=run_id)


def _compute_and_write(chunk: PaymentChunk, *, run_id: int, run_date: date):
    batch = selectors.case_batch(
        id_range=(chunk.first_case_id, chunk.last_case_id), active_only=True, lock=True
    )
    writer = LedgerWriter(batch=batch, run_id=run_id, run_date=run_date)
    # Shared by the chunk's cases: a liability paid from several cases is reduced by each
    # in case order; the engine updates it, the writer writes what the engine left.
    outstanding = batch.outstanding()
    errors = dict(batch.errors)
    limit = max(1, int(settings.PAYMENT_RUN_MAX_PERIODS_PER_CASE))
    for case_id, data in batch.cases.items():
        periods = data.periods_due(run_date, limit=limit + 1)
        if len(periods) > limit:
            # Most likely a wrong case start date: refuse to pay years at once. The case
            # is left out and reported, as a case with inconsistent data is.
            errors[case_id] = _too_many_periods(limit, data.case.start_date)
            continue
        for result in case_results(data=data, periods=periods, outstanding=outstanding):
            writer.add(case_id, result)
    return writer.flush(), errors


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a chunk is computed and written.

    A chunk allocates a few hundred thousand short-lived objects (rows, Decimals, engine
    results) that reference counting frees; they hardly ever form cycles (a few thousand
    objects per chunk). Yet the allocations trigger ~200 young and a couple of full
    collections per chunk, each scanning every object the worker holds: ~25 % of the
    worker's CPU per case (docs/performance.md). Paused, the few cycles are collected
    at the next collection after the chunk; memory stays bounded by one chunk. The
    previous state is restored (a caller that paused it keeps it paused)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _too_many_periods(limit: int, start: date) -> str:
    """The reason stored on the chunk, in German (the source language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "mehr als %(n)s Zahlungszeiträume in einem Lauf fällig (Fallbeginn %(start)s); "
            "bitte das Beginndatum des Falls prüfen."
        ) % {"n": limit, "start": format_date(start)}


def _relax_commit_durability() -> None:
    """PostgreSQL: do not wait for the WAL flush at this chunk's commit.

    Safe here because a chunk commits whole, its "done" status included: should the server
    crash right after the commit, the chunk is lost whole, stays pending and is processed
    again by the reconciler — never half there, never twice."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _describe_case_errors(errors: dict[int, str]) -> str:
    if not errors:
        return ""
    for case_id, reason in errors.items():
        logger.error("Payment run: case %s left out: %s", case_id, reason)
    lines = [f"Fall {case_id}: {reason}" for case_id, reason in sorted(errors.items())]
    return "\n".join(lines)[:2000]


def _settle_run(run_id: int) -> str | None:
    """Give the run its final status once none of its chunks can still be processed (none
    pending or in work, none failed with attempts left); returns that status, or None.

    Counts are taken from the chunks (the F() counters are the fast path, this the truth).
    Every chunk done: "completed"; some failed for good: "completed with failures"; none
    done: "failed". Compare-and-set, so concurrent callers finish a run once."""
    open_chunks = PaymentChunk.objects.filter(run_id=run_id).filter(
        Q(status__in=[PaymentChunkStatus.PENDING, PaymentChunkStatus.RUNNING])
        | Q(status=PaymentChunkStatus.FAILED, attempts__lt=max_chunk_attempts())
    )
    if open_chunks.exists():
        return None
    done = Q(status=PaymentChunkStatus.DONE)
    totals = PaymentChunk.objects.filter(run_id=run_id).aggregate(
        done=Count("pk", filter=done),
        failed=Count("pk", filter=Q(status=PaymentChunkStatus.FAILED)),
        cases=Sum("case_count", filter=done),
        payments=Sum("payments_created", filter=done),
    )
    if not totals["failed"]:
        status, error = PaymentRunStatus.COMPLETED, ""
    else:
        status = (
            PaymentRunStatus.COMPLETED_WITH_FAILURES if totals["done"] else PaymentRunStatus.FAILED
        )
        failed = PaymentChunk.objects.filter(
            run_id=run_id, status=PaymentChunkStatus.FAILED
        ).order_by("number")
        error = "\n".join(f"Paket {c.number}: {c.error}" for c in failed[:20])[:2000]
    settled = PaymentRun.objects.filter(pk=run_id, status__in=ACTIVE).update(
        status=status,
        done_chunks=totals["done"],
        done_cases=totals["cases"] or 0,
        payments_created=totals["payments"] or 0,
        finished_at=timezone.now(),
        error=error,
    )
    return status if settled else None


def payment_runs_reconcile(*, enqueue: bool = True) -> dict[str, int]:
    """For every pending or running run: expire dead leases, finish the run if all its
    chunks have ended, else re-send the chunks that need a message. Idempotent; run by
    celery beat every ``PAYMENT_RUN_RECONCILE_SECONDS``."""
    summary = {"completed": 0, "completed_with_failures": 0, "failed": 0, "requeued": 0}
    summary["expired"] = 0
    now = timezone.now()
    for run in PaymentRun.objects.filter(status__in=ACTIVE):
        summary["expired"] += len(_expire_leases(run_id=run.pk))
        status = _settle_run(run.pk)
        if status is not None:
            summary[status] += 1
            continue
        retry = _chunks_to_send(run, now=now, unqueued=False)
        if retry and enqueue:
            enqueue_chunks(retry)
            summary["requeued"] += len(retry)
    return summary


def payment_run_process_inline(
    *, run: PaymentRun, progress: Callable[[PaymentRun], object] | None = None
) -> PaymentRun:
    """Process every unfinished chunk of ``run`` in this process, one after the other
    (``manage.py payment_run``, the benchmark). ``progress(run)`` is called after each."""
    for _attempt in range(max_chunk_attempts()):
        _expire_leases(run_id=run.pk)
        pending = list(
            run.chunks.filter(
                status__in=[PaymentChunkStatus.PENDING, PaymentChunkStatus.FAILED],
                attempts__lt=max_chunk_attempts(),
            ).values_list("pk", flat=True)
        )
        if not pending:
            break
        for chunk_id in pending:
            payment_chunk_process(chunk_id=chunk_id)
            if progress is not None:
                run.refresh_from_db()
                progress(run)
    payment_runs_reconcile(enqueue=False)
    run.refresh_from_db()
    return run
