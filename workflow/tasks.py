"""Celery tasks of the workflow app. Thin: each takes ids or nothing and calls a service.

- `event_dispatch(event_id)`: runs the event's mapped processes (idempotent); failures are
  retried with exponential backoff and, after the last try, flagged on the event.
- `events_redispatch_unhandled`: beat sweeper for events whose message was lost.
- `deductions_expired_check`: daily beat task raising "deduction expired" once each.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from . import services

logger = logging.getLogger("workflow")

MAX_RETRIES = 5
RETRY_BASE_SECONDS = 30


def retry_countdown(retries: int) -> int:
    """Exponential backoff: 30 s, 1 min, 2 min, 4 min, 8 min."""
    return RETRY_BASE_SECONDS * 2**retries


@shared_task(
    name=services.EVENT_DISPATCH_TASK,
    bind=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
    ignore_result=True,
)
def event_dispatch(self, event_id: int) -> None:
    outcome = services.event_handle(event_id=event_id)
    if self.request.is_eager:
        # No broker (development, tests): Celery cannot schedule a retry, so retry in
        # place, without the backoff wait, as often as a worker would.
        for _attempt in range(self.max_retries):
            if not outcome.failed:
                break
            outcome = services.event_handle(event_id=event_id)
        if outcome.failed:
            services.event_mark_failed(event_id=event_id)
        return
    if not outcome.failed:
        return
    if self.request.retries >= self.max_retries:
        logger.error(
            "Workflow event %s: processes %s still failing after %s tries; giving up",
            event_id,
            sorted(outcome.failed),
            self.request.retries + 1,
        )
        services.event_mark_failed(event_id=event_id)
        return
    raise self.retry(countdown=retry_countdown(self.request.retries))


@shared_task(ignore_result=True)
def events_redispatch_unhandled() -> int:
    return services.events_redispatch_unhandled()


@shared_task(ignore_result=True, acks_late=True)
def deductions_expired_check() -> int:
    return services.deductions_expired_raise(today=timezone.localdate())
