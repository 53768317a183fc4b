"""Writes of the workflow app.

- The outbox (WF-1): `event_record` / `events_record_bulk` are called inside the caller's
  atomic block, so the event row commits or rolls back with the change that raised it;
  dispatch is scheduled after commit.
- Dispatch: `event_handle` runs every active mapped process of an event at most once
  (a `HandledProcess` row, written in the same transaction as the process's effect).
- Re-dispatch of unhandled or failed events, the daily "deduction expired" check, and
  closing tasks / reading notifications (WF-3).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import enqueue
from config.transitions import transition

from .errors import WorkflowError
from .exceptions import NotAssignee
from .models import (
    EventProcessMapping,
    EventType,
    HandledProcess,
    HandledStatus,
    Notification,
    Task,
    WorkflowEvent,
)
from .processes import process_run

logger = logging.getLogger("workflow")

# The Celery task that dispatches one event (workflow/tasks.py), sent by name.
EVENT_DISPATCH_TASK = "workflow.tasks.event_dispatch"

# Longest error text kept on a handled process (the end of the traceback matters most).
_ERROR_MAX_CHARS = 4000


# --- outbox ---------------------------------------------------------------------------------


def event_record(
    *,
    event_type: EventType | str,
    payload: dict | None = None,
    case_id: int | None = None,
    deduction_id: int | None = None,
    participant_id: int | None = None,
    triggered_by_id: int | None = None,
) -> WorkflowEvent:
    """Record one event in the outbox and schedule its dispatch after commit."""
    event = WorkflowEvent.objects.create(
        event_type=EventType(event_type),
        payload=payload or {},
        case_id=case_id,
        deduction_id=deduction_id,
        participant_id=participant_id,
        triggered_by_id=triggered_by_id,
    )
    transaction.on_commit(lambda: _dispatch(event.pk))
    return event


def events_record_bulk(*, events: list[WorkflowEvent]) -> list[WorkflowEvent]:
    """Record many events at once (payment runs); dispatch is scheduled per event after commit."""
    created = WorkflowEvent.objects.bulk_create(events)
    ids = [e.pk for e in created if e.pk]
    if ids:
        transaction.on_commit(lambda: [_dispatch(pk) for pk in ids])
    return created


def _dispatch(event_id: int) -> None:
    """Hand the event to Celery. A failure to enqueue (broker down) must not break the
    request that raised the event: the event stays unhandled and the beat sweeper
    (`events_redispatch_unhandled`) picks it up."""
    try:
        enqueue(EVENT_DISPATCH_TASK, event_id)
    except Exception:  # noqa: BLE001 - logged; the sweeper re-dispatches
        logger.exception("Could not dispatch workflow event %s; the sweeper will retry", event_id)


# --- dispatch -------------------------------------------------------------------------------


@dataclass
class DispatchOutcome:
    event_id: int
    missing: bool = False
    already_handled: bool = False
    handled: bool = False
    ran: list[int] = field(default_factory=list)  # mapping ids run successfully now
    failed: dict[int, str] = field(default_factory=dict)  # mapping id → error


def _process_handle(*, event: WorkflowEvent, mapping: EventProcessMapping) -> str | None:
    """Run one mapped process unless it is already recorded as handled. The success row
    and the process's effect commit together; a failure rolls the effect back and
    records the error and the attempt. Returns the error text or None."""
    now = timezone.now()
    with transaction.atomic():
        handled, _created = HandledProcess.objects.select_for_update().get_or_create(
            event=event, mapping=mapping, defaults={"status": HandledStatus.FAILED}
        )
        if handled.status == HandledStatus.SUCCEEDED:
            return None
        handled.attempts += 1
        handled.last_attempt_at = now
        try:
            with transaction.atomic():
                process_run(event=event, mapping=mapping)
        except Exception as exc:  # noqa: BLE001 - one failing process must not stop the others
            logger.exception(
                "Workflow process %s failed for event %s (attempt %s)",
                mapping.process,
                event.pk,
                handled.attempts,
            )
            text = "".join(traceback.format_exception(exc))
            handled.status = HandledStatus.FAILED
            handled.error = f"{exc.__class__.__name__}: {exc}\n\n{text[-_ERROR_MAX_CHARS:]}"
            handled.save(update_fields=["status", "attempts", "last_attempt_at", "error"])
            return handled.error
        handled.status = HandledStatus.SUCCEEDED
        handled.error = ""
        handled.handled_at = now
        handled.save(update_fields=["status", "attempts", "last_attempt_at", "error", "handled_at"])
    return None


def event_handle(*, event_id: int) -> DispatchOutcome:
    """Run every active mapped process of the event once (WF-1, WF-2). Idempotent: a
    handled event, or a process already recorded as handled, is left alone. The event
    is marked handled when all its active mapped processes have succeeded (at once when
    none is mapped)."""
    outcome = DispatchOutcome(event_id=event_id)
    event = WorkflowEvent.objects.filter(pk=event_id).first()
    if event is None:
        outcome.missing = True
        return outcome
    if event.handled_at is not None:
        outcome.already_handled = True
        return outcome
    mappings = list(
        EventProcessMapping.objects.filter(event_type=event.event_type, active=True).order_by("id")
    )
    for mapping in mappings:
        error = _process_handle(event=event, mapping=mapping)
        if error is None:
            outcome.ran.append(mapping.pk)
        else:
            outcome.failed[mapping.pk] = error
    if not outcome.failed:
        # Mark handled only if every currently active mapping has a success row; a
        # mapping added meanwhile is picked up by the next dispatch.
        succeeded = HandledProcess.objects.filter(
            event=event, status=HandledStatus.SUCCEEDED
        ).values("mapping_id")
        pending = (
            EventProcessMapping.objects.filter(event_type=event.event_type, active=True)
            .exclude(pk__in=succeeded)
            .exists()
        )
        if not pending:
            WorkflowEvent.objects.filter(pk=event.pk, handled_at__isnull=True).update(
                handled_at=timezone.now(), failed_at=None
            )
            outcome.handled = True
    return outcome


def event_mark_failed(*, event_id: int) -> None:
    """After the last retry: the event is left unhandled and flagged, so the sweeper stops
    and an administrator sees it (admin filter "fehlgeschlagen")."""
    WorkflowEvent.objects.filter(pk=event_id, handled_at__isnull=True).update(
        failed_at=timezone.now()
    )


def events_redispatch(*, event_ids: Iterable[int]) -> int:
    """Send unhandled events to the dispatcher again (admin action, management command,
    beat sweeper). Handled events are left alone. Returns how many were scheduled."""
    ids = list(
        WorkflowEvent.objects.filter(pk__in=list(event_ids), handled_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        return 0
    with transaction.atomic():
        WorkflowEvent.objects.filter(pk__in=ids).update(failed_at=None)
        transaction.on_commit(lambda: [_dispatch(pk) for pk in ids])
    return len(ids)


def events_redispatch_unhandled(
    *,
    now: datetime | None = None,
    older_than: timedelta = timedelta(minutes=5),
    limit: int = 1000,
) -> int:
    """Beat sweeper: re-dispatch events still unhandled some minutes after they were
    recorded (a message lost between commit and broker), but not those given up after
    their last retry nor those waiting for a retry."""
    from .selectors import events_due_for_redispatch

    ids = list(
        events_due_for_redispatch(now=now or timezone.now(), older_than=older_than).values_list(
            "pk", flat=True
        )[:limit]
    )
    return events_redispatch(event_ids=ids)


# --- expiry (CD-16) -------------------------------------------------------------------------

# The daily "deduction expired" check belongs to the app that knows deductions; it
# registers it here (DeductionsConfig.ready), and the beat task and command run it.
_expiry_checks: list[Callable[..., int]] = []


def register_expiry_check(check: Callable[..., int]) -> None:
    if check not in _expiry_checks:
        _expiry_checks.append(check)


def deductions_expired_raise(*, today: date, batch_size: int = 500) -> int:
    """Run the registered expiry checks (CD-16, WF-1); returns the number of events."""
    return sum(check(today=today, batch_size=batch_size) for check in _expiry_checks)


# --- tasks and notifications (WF-3) ---------------------------------------------------------


def task_close(*, task: Task, user: User) -> Task:
    """Close a task. Only its assignee may; closing twice is an illegal transition (409)."""
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.assignee_id != user.pk:
            raise NotAssignee(
                _("Nur die zuständige Person kann die Aufgabe schließen."),
                code=WorkflowError.NOT_TASK_ASSIGNEE,
            )
        transition(
            locked,
            "close",
            _("Die Aufgabe ist bereits geschlossen."),
            by=user,
            at=timezone.now(),
            code=WorkflowError.TASK_CLOSED,
        )
        locked.save(update_fields=["status", "closed_by", "closed_at"])
    return locked


def notification_mark_read(*, notification: Notification, user: User) -> Notification:
    """Mark one of the user's notifications as read (idempotent)."""
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if locked.recipient_id != user.pk:
            raise NotAssignee(
                _("Diese Benachrichtigung ist nicht für Sie bestimmt."),
                code=WorkflowError.NOT_NOTIFICATION_RECIPIENT,
            )
        if locked.read_at is None:
            locked.read_at = timezone.now()
            locked.save(update_fields=["read_at"])
    return locked
