"""Payment runs (PAY-13): plan a run into chunks, process each chunk in one transaction,
and finish runs — idempotently, whatever is retried or run twice.

- ``payment_run_start`` creates the run for a date (or returns the existing one: the run
  date is unique), plans chunks of ``settings.PAYMENT_RUN_CHUNK_SIZE`` active cases by id
  range, and after commit enqueues a Celery group with one task per chunk.
- ``payment_chunk_process`` claims a chunk with ``SELECT … FOR UPDATE SKIP LOCKED`` and, in
  that same transaction, locks the chunk's cases, reads them set-based, computes every
  period due on the run date after each case's last paid period, writes all rows with
  bulk statements, marks the chunk done and counts the run's progress with ``F()``. A
  crash anywhere rolls all of it back; the chunk stays pending and a retry starts over.
  A payment can never be created twice: the retry sees the committed payments of an
  earlier attempt as "last paid", and unique constraints hold whatever code runs.
- ``payment_runs_reconcile`` (celery beat, every minute) completes runs whose chunks are
  all done, re-enqueues failed or stalled chunks (also chunks never enqueued, e.g. when the
  process died between the commit and the enqueue), and fails a run whose chunk keeps
  failing.

Limits: a run date at most ``settings.PAYMENT_RUN_MAX_DAYS_AHEAD`` days after today, and
at most ``settings.PAYMENT_RUN_MAX_PERIODS_PER_CASE`` periods per case in one run (a case
with more is left out and reported, like a case with inconsistent data).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q, QuerySet
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cases.models import CaseStatus, ProductDeliveryCase
from config.exceptions import ValidationFailed

from .. import selectors
from ..models import (
    PaymentChunk,
    PaymentChunkStatus,
    PaymentRun,
    PaymentRunStatus,
    PaymentRunTrigger,
)
from .calculation import case_results
from .ledger import LedgerCounts, LedgerWriter

logger = logging.getLogger(__name__)

# A chunk that failed this many times fails its run (the reconciler stops retrying it).
MAX_CHUNK_ATTEMPTS = 3
# A chunk still pending this long after it was enqueued is enqueued again (its message was
# lost, or its worker died without the broker redelivering it). Above the task time limit.
# A chunk never enqueued counts as stalled this long after its run was created.
STALLED_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class ChunkOutcome:
    chunk_id: int
    processed: bool  # False: already done, or being processed by another worker
    counts: LedgerCounts | None = None
    failed: bool = False


def payment_run_start(
    *,
    run_date: date,
    user=None,
    trigger: str = PaymentRunTrigger.MANUAL,
    enqueue: bool = True,
) -> tuple[PaymentRun, bool]:
    """Start the payment run for ``run_date``; returns ``(run, created)``.

    A run for that date that already exists is returned as it is (PAY-13: a date is run
    once); if it failed, its unfinished chunks are reset and enqueued again (resume); if it
    is pending or running, its chunks that were never enqueued or have stalled are enqueued
    again (a second message for a chunk is harmless: claiming skips a locked or done one).
    ``enqueue=False`` leaves the processing to the caller (the management command, tests).

    A run date more than ``PAYMENT_RUN_MAX_DAYS_AHEAD`` days after today is refused
    (``ValidationFailed`` on ``run_date``).
    """
    payment_run_check_date(run_date=run_date)
    existing = PaymentRun.objects.filter(run_date=run_date).first()
    if existing is not None:
        return _existing(existing, enqueue=enqueue), False
    try:
        with transaction.atomic():
            run = PaymentRun.objects.create(
                run_date=run_date,
                trigger=trigger,
                started_by=user if getattr(user, "is_authenticated", False) else None,
            )
            chunks = _plan_chunks(run)
    except IntegrityError:  # another request created it a moment ago
        return _existing(PaymentRun.objects.get(run_date=run_date), enqueue=enqueue), False
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
            % {"days": days, "latest": formats.date_format(latest, "SHORT_DATE_FORMAT")},
            field="run_date",
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


def _existing(run: PaymentRun, *, enqueue: bool) -> PaymentRun:
    if run.status == PaymentRunStatus.FAILED:
        _resume(run, enqueue=enqueue)
        run.refresh_from_db()
    elif enqueue and run.status in (PaymentRunStatus.PENDING, PaymentRunStatus.RUNNING):
        # Chunks whose message never left (the process died between the commit and the
        # enqueue) or was lost: starting the run again sends them again.
        chunk_ids = list(
            _stalled_chunks(run.chunks.all(), now=timezone.now(), unqueued=True).values_list(
                "pk", flat=True
            )
        )
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


def _resume(run: PaymentRun, *, enqueue: bool) -> None:
    with transaction.atomic():
        PaymentChunk.objects.filter(run=run, status=PaymentChunkStatus.FAILED).update(
            status=PaymentChunkStatus.PENDING, attempts=0, error=""
        )
        PaymentRun.objects.filter(pk=run.pk, status=PaymentRunStatus.FAILED).update(
            status=PaymentRunStatus.RUNNING, finished_at=None, error=""
        )
        chunk_ids = list(
            run.chunks.exclude(status=PaymentChunkStatus.DONE).values_list("pk", flat=True)
        )
        if enqueue and chunk_ids:
            transaction.on_commit(lambda: enqueue_chunks(chunk_ids))


def enqueue_chunks(chunk_ids: list[int]) -> None:
    """One Celery task per chunk, as a group (called after commit)."""
    from celery import group

    from ..tasks import payment_chunk_process as chunk_task

    PaymentChunk.objects.filter(pk__in=chunk_ids).update(enqueued_at=timezone.now())
    group(chunk_task.si(chunk_id) for chunk_id in chunk_ids).apply_async()


def payment_chunk_process(*, chunk_id: int) -> ChunkOutcome:
    """Process one chunk completely in one transaction, or not at all (see module doc)."""
    run_id = PaymentChunk.objects.filter(pk=chunk_id).values_list("run_id", flat=True).first()
    if run_id is None:
        return ChunkOutcome(chunk_id, processed=False)
    PaymentRun.objects.filter(pk=run_id, status=PaymentRunStatus.PENDING).update(
        status=PaymentRunStatus.RUNNING, started_at=timezone.now()
    )
    try:
        with transaction.atomic():
            # of=self and no ordering: a join (e.g. ordering by the run) would lock the
            # run row too, and every other worker would then skip its own chunk.
            chunk = (
                PaymentChunk.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=chunk_id)
                .exclude(status=PaymentChunkStatus.DONE)
                .order_by()
                .first()
            )
            if chunk is None:
                return ChunkOutcome(chunk_id, processed=False)
            _relax_commit_durability()
            run_date = PaymentRun.objects.values_list("run_date", flat=True).get(pk=run_id)
            counts, errors = _compute_and_write(chunk, run_id=run_id, run_date=run_date)
            chunk.status = PaymentChunkStatus.DONE
            chunk.payments_created = counts.payments + counts.third_party_payments
            chunk.finished_at = timezone.now()
            chunk.error = _describe_case_errors(errors)
            chunk.save(update_fields=["status", "payments_created", "finished_at", "error"])
            PaymentRun.objects.filter(pk=run_id).update(
                done_cases=F("done_cases") + chunk.case_count,
                done_chunks=F("done_chunks") + 1,
                payments_created=F("payments_created") + chunk.payments_created,
            )
    except Exception as exc:  # noqa: BLE001 - recorded on the chunk; the reconciler retries
        logger.exception("Payment chunk %s failed", chunk_id)
        PaymentChunk.objects.filter(pk=chunk_id).exclude(status=PaymentChunkStatus.DONE).update(
            status=PaymentChunkStatus.FAILED,
            attempts=F("attempts") + 1,
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return ChunkOutcome(chunk_id, processed=False, failed=True)
    _complete_if_done(run_id)
    return ChunkOutcome(chunk_id, processed=True, counts=counts)


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
        for result in case_results(data, periods, outstanding):
            writer.add(case_id, result)
    return writer.flush(), errors


def _too_many_periods(limit: int, start: date) -> str:
    """The reason stored on the chunk, in German (the source language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "mehr als %(n)s Zahlungszeiträume in einem Lauf fällig (Fallbeginn %(start)s); "
            "bitte das Beginndatum des Falls prüfen."
        ) % {"n": limit, "start": formats.date_format(start, "SHORT_DATE_FORMAT")}


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


def _complete_if_done(run_id: int) -> bool:
    """Mark the run completed once every chunk is done (compare-and-set)."""
    return bool(
        PaymentRun.objects.filter(
            pk=run_id,
            status__in=[PaymentRunStatus.PENDING, PaymentRunStatus.RUNNING],
            done_chunks=F("total_chunks"),
        ).update(status=PaymentRunStatus.COMPLETED, finished_at=timezone.now())
    )


def payment_runs_reconcile(*, enqueue: bool = True) -> dict[str, int]:
    """Finish runs whose chunks are all done; retry failed and stalled chunks; fail a run
    whose chunk failed ``MAX_CHUNK_ATTEMPTS`` times. Idempotent; run by celery beat."""
    summary = {"completed": 0, "failed": 0, "requeued": 0}
    now = timezone.now()
    for run in PaymentRun.objects.filter(
        status__in=[PaymentRunStatus.PENDING, PaymentRunStatus.RUNNING]
    ):
        chunks = run.chunks.exclude(status=PaymentChunkStatus.DONE)
        if not chunks.exists():
            # Recount from the chunks: the F() counters are the fast path, this the truth.
            done = list(run.chunks.values_list("case_count", "payments_created"))
            PaymentRun.objects.filter(pk=run.pk, status=run.status).update(
                status=PaymentRunStatus.COMPLETED,
                done_chunks=len(done),
                done_cases=sum(count for count, _ in done),
                payments_created=sum(created for _, created in done),
                finished_at=now,
            )
            summary["completed"] += 1
            continue
        exhausted = chunks.filter(
            status=PaymentChunkStatus.FAILED, attempts__gte=MAX_CHUNK_ATTEMPTS
        ).first()
        if exhausted is not None:
            PaymentRun.objects.filter(pk=run.pk, status=run.status).update(
                status=PaymentRunStatus.FAILED,
                finished_at=now,
                error=f"Paket {exhausted.number}: {exhausted.error}"[:2000],
            )
            summary["failed"] += 1
            continue
        retry = list(
            chunks.filter(status=PaymentChunkStatus.FAILED).values_list("pk", flat=True)
        ) + list(_stalled_chunks(chunks, now=now, unqueued=False).values_list("pk", flat=True))
        if retry and enqueue:
            enqueue_chunks(retry)
            summary["requeued"] += len(retry)
    return summary


def payment_run_process_inline(*, run: PaymentRun, progress=None) -> PaymentRun:
    """Process every unfinished chunk of ``run`` in this process, one after the other
    (``manage.py payment_run``, the benchmark). ``progress(run)`` is called after each."""
    for _attempt in range(MAX_CHUNK_ATTEMPTS):
        pending = list(
            run.chunks.exclude(status=PaymentChunkStatus.DONE)
            .filter(attempts__lt=MAX_CHUNK_ATTEMPTS)
            .values_list("pk", flat=True)
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
