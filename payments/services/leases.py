"""Leases on payment chunks (PAY-13): claim a chunk for one worker, keep the lease alive
while it works, check it before commit, expire the leases of workers that are gone."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q
from django.db.models.functions import Now
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import PaymentChunk, PaymentChunkStatus

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """The chunk's lease is no longer this worker's: its writes must not commit."""


def max_chunk_attempts() -> int:
    return max(1, int(settings.PAYMENT_CHUNK_MAX_ATTEMPTS))


def _lease_seconds() -> int:
    return max(1, int(settings.PAYMENT_CHUNK_LEASE_SECONDS))


def _lease_expiry() -> ExpressionWrapper:
    """Now plus the lease time, by the database's clock (workers' clocks may differ)."""
    return ExpressionWrapper(
        Now() + timedelta(seconds=_lease_seconds()), output_field=DateTimeField()
    )


def _lost_worker_message() -> str:
    """The error stored on a chunk whose lease expired, in German (the source language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Worker verloren / Lease abgelaufen")


def _lease_token() -> str:
    """Who holds a lease: host and process (for the operator) and a random part (so even
    the same process claiming the chunk again holds a different lease)."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _claim(chunk_id: int, token: str) -> PaymentChunk | None:
    """Take the chunk's lease if it is free: pending, failed with attempts left, or in work
    under a lease that has expired (its worker is gone). Commits at once: the attempt counts
    even if this process is killed a moment later."""
    with transaction.atomic():
        # of=self and no ordering: a join (e.g. ordering by the run) would lock the run
        # row too, and every other worker would then skip its own chunk.
        chunk = (
            PaymentChunk.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=chunk_id, attempts__lt=max_chunk_attempts())
            .filter(
                Q(status__in=[PaymentChunkStatus.PENDING, PaymentChunkStatus.FAILED])
                | Q(status=PaymentChunkStatus.RUNNING, lease_expires_at__lt=Now())
            )
            .order_by()
            .first()
        )
        if chunk is None:
            return None
        changes = {
            "status": PaymentChunkStatus.RUNNING,
            "lease_owner": token,
            "lease_expires_at": _lease_expiry(),
            "claimed_at": Now(),
            "attempts": F("attempts") + 1,
        }
        if chunk.status == PaymentChunkStatus.RUNNING:
            changes["error"] = _lost_worker_message()  # the previous attempt's end
        PaymentChunk.objects.filter(pk=chunk.pk).update(**changes)
    chunk.status, chunk.lease_owner = PaymentChunkStatus.RUNNING, token
    chunk.attempts += 1
    return chunk


def payment_chunk_lease_renew(*, chunk_id: int, token: str) -> bool:
    """Extend the lease by ``PAYMENT_CHUNK_LEASE_SECONDS`` from now; False when it is no
    longer ``token``'s (reclaimed after it expired, or the chunk ended)."""
    return bool(
        PaymentChunk.objects.filter(
            pk=chunk_id, status=PaymentChunkStatus.RUNNING, lease_owner=token
        ).update(lease_expires_at=_lease_expiry())
    )


class LeaseKeeper:
    """Renews a chunk's lease every ``PAYMENT_CHUNK_LEASE_RENEW_SECONDS`` from a thread with
    its own database connection, for as long as the ``with`` block runs.

    A thread rather than heartbeats between stages: one stage (a lock wait on a liability
    another chunk holds, a large COPY) can outlast the lease, and the chunk's transaction
    cannot commit a heartbeat of its own. The thread dies with its process, so a killed
    worker's lease simply expires. A hung worker would keep renewing: the thread stops
    after ``CELERY_TASK_TIME_LIMIT`` seconds, the lease then expires and the chunk is
    reclaimed (the hung worker, should it wake, finds its lease gone and rolls back).

    PostgreSQL only: SQLite has one writer at a time, so while a chunk writes nobody can
    reclaim it anyway (and a second connection would wait for the chunk's write lock)."""

    def __init__(self, *, chunk_id: int, token: str):
        self.chunk_id, self.token = chunk_id, token
        self.interval = float(settings.PAYMENT_CHUNK_LEASE_RENEW_SECONDS)
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LeaseKeeper:
        if connection.vendor == "postgresql" and self.interval > 0:
            self._thread = threading.Thread(
                target=self._renew, name=f"lease-chunk-{self.chunk_id}", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _renew(self) -> None:
        give_up = time.monotonic() + float(settings.CELERY_TASK_TIME_LIMIT)
        try:
            while not self._stop.wait(self.interval):
                if time.monotonic() > give_up:
                    logger.error(
                        "Chunk %s: still working after the task time limit; "
                        "the lease is left to expire",
                        self.chunk_id,
                    )
                    return
                try:
                    held = payment_chunk_lease_renew(chunk_id=self.chunk_id, token=self.token)
                except Exception:  # noqa: BLE001 - a failed renewal is retried next interval
                    logger.exception("Chunk %s: lease renewal failed", self.chunk_id)
                    continue
                if not held:
                    self.lost.set()
                    logger.warning("Chunk %s: lease lost while working", self.chunk_id)
                    return
        finally:
            connections.close_all()  # this thread's connection only


def _hold_lease(chunk_id: int, token: str) -> None:
    """Inside the writing transaction: lock the chunk row and make sure the lease is still
    ours. From here to the commit nobody can reclaim the chunk (reclaiming updates this
    row); if it was reclaimed already, ``LeaseLost`` rolls everything back."""
    held = (
        PaymentChunk.objects.select_for_update(of=("self",))
        .filter(pk=chunk_id, status=PaymentChunkStatus.RUNNING, lease_owner=token)
        .order_by()
        .values_list("pk", flat=True)
        .first()
    )
    if held is None:
        raise LeaseLost(chunk_id)


def _expire_leases(*, run_id: int) -> list[int]:
    """Chunks of the run whose lease expired: their worker died (or hung). They are marked
    failed with "worker lost / lease expired" and, with attempts left, sent again by the
    caller; a chunk being finished right now (row locked) is skipped."""
    with transaction.atomic():
        chunk_ids = list(
            PaymentChunk.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(run_id=run_id, status=PaymentChunkStatus.RUNNING, lease_expires_at__lt=Now())
            .order_by()
            .values_list("pk", flat=True)
        )
        if chunk_ids:
            PaymentChunk.objects.filter(pk__in=chunk_ids).update(
                status=PaymentChunkStatus.FAILED,
                error=_lost_worker_message(),
                lease_owner="",
                lease_expires_at=None,
                finished_at=Now(),
            )
            logger.warning("Payment run %s: leases expired on chunks %s", run_id, chunk_ids)
    return chunk_ids
