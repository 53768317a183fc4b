"""Reads of the workflow app: a user's tasks and notifications, events for the API and the
re-dispatch sweeper."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from .models import (
    HandledProcess,
    HandledStatus,
    Notification,
    Task,
    TaskStatus,
    WorkflowEvent,
)

# A failed process waits for its Celery retry (backoff 30 s … 8 min, ~16 min in all);
# the sweeper leaves such events alone meanwhile.
RETRY_WINDOW = timedelta(minutes=20)


def tasks_for_user(*, user, status: str | None = None) -> QuerySet[Task]:
    """The user's own tasks (WF-3), newest due first within the status."""
    qs = Task.objects.filter(assignee=user).select_related(
        "case", "deduction__deduction_type", "participant", "assignee"
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def task_open_count(*, user) -> int:
    """The header badge: one COUNT over the (assignee, status) index."""
    if not user.is_authenticated:
        return 0
    return Task.objects.filter(assignee=user, status=TaskStatus.OPEN).count()


def notifications_for_user(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def events_list() -> QuerySet[WorkflowEvent]:
    return WorkflowEvent.objects.all()


def events_due_for_redispatch(*, now: datetime, older_than: timedelta) -> QuerySet[WorkflowEvent]:
    """Unhandled events recorded before `now - older_than`, not given up after their last
    retry, and not in the middle of Celery's retry backoff."""
    retrying = HandledProcess.objects.filter(
        event=OuterRef("pk"),
        status=HandledStatus.FAILED,
        last_attempt_at__gt=now - RETRY_WINDOW,
    )
    return (
        WorkflowEvent.objects.filter(
            handled_at__isnull=True,
            failed_at__isnull=True,
            created_at__lt=now - older_than,
        )
        .exclude(Exists(retrying))
        .order_by("pk")
    )
