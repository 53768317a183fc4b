"""Running a workflow process (WF-2, WF-4): what a mapped event does.

A process row (built-in or defined by the agency) says what to do — a task, an in-app
notification, both, or only a log line — for whom, and with which texts. Each runs
inside the dispatcher's transaction, together with the `HandledProcess` row that records
it, and is idempotent on its own too: tasks are unique per event, mapping, deduction and
assignee, notifications per event, mapping and recipient. A process raises to report a
failure; the dispatcher records the error and retries."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from .context import EventContext, Target, date_text, event_context
from .models import (
    EventProcessMapping,
    Notification,
    ProcessAction,
    ProcessKind,
    ProcessRecipient,
    Task,
    WorkflowEvent,
    WorkflowProcess,
)
from .templates import render_template
from .texts import reason_text, render, summary_params, task_text_params

logger = logging.getLogger("workflow")


class NoRecipient(Exception):
    """The process names a user nobody chose (a misconfigured mapping)."""


def template_values(context: EventContext, target: Target | None = None) -> dict[str, str]:
    """The placeholder values of an event, for one of its targets or for all of them."""
    event = context.event
    payload = context.payload
    targets = [target] if target is not None else context.targets
    names = [t.deduction_name or "?" for t in targets if t.deduction_id]
    return {
        "event": str(event.get_event_type_display()),
        "deduction": ", ".join(names),
        "deduction_id": ", ".join(str(t.deduction_id) for t in targets if t.deduction_id),
        "case": ", ".join(dict.fromkeys(t.case_reference for t in targets if t.case_reference)),
        "participant": context.participant_name,
        "reason": reason_text(context),
        "period_start": _date(payload.get("period_start")),
        "period_end": _date(payload.get("period_end")),
        "end_date": _date(payload.get("end_date")),
        "liability": str(payload.get("liability_case_id") or payload.get("liability") or ""),
    }


def _date(value) -> str:
    return date_text(value) if value else ""


def _recipients(
    process: WorkflowProcess, mapping: EventProcessMapping, target: Target | None
) -> list[int]:
    if process.recipient == ProcessRecipient.CASE_SUPERVISOR:
        return [target.supervisor_id] if target and target.supervisor_id else []
    if process.recipient == ProcessRecipient.CASE_OWNER:
        return [target.owner_id] if target and target.owner_id else []
    if process.recipient == ProcessRecipient.ROLE_GROUP:
        return list(
            get_user_model()
            .objects.filter(groups=process.group_id, is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    user_id = process.user_id or mapping.user_id
    if user_id is None:
        raise NoRecipient("Die Zuordnung nennt keinen Benutzer für die Benachrichtigung.")
    return [user_id]


def _targets(context: EventContext) -> list[Target | None]:
    """The event's targets that exist; an event about nothing in particular has one
    target-less run (reaching a role group or a named user)."""
    for target in context.targets:
        if target.missing:
            logger.warning(
                "Workflow event %s names unknown deduction %s",
                context.event.pk,
                target.deduction_id,
            )
    found = context.found_targets
    if found:
        return list(found)
    return [] if context.targets else [None]


def create_tasks(*, event: WorkflowEvent, mapping: EventProcessMapping) -> int:
    """A task per target (deduction, or the event's case) and recipient. Returns the
    number of new tasks."""
    process = mapping.process
    context = event_context(event)
    due = timezone.localdate(event.created_at) + timedelta(days=mapping.effective_due_in_days)
    created = 0
    targets = _targets(context)
    for target in targets:
        recipients = _recipients(process, mapping, target)
        if not recipients:
            if target is None:
                logger.warning(
                    "Workflow event %s names neither a deduction nor a case: no task", event.pk
                )
            else:
                logger.warning(
                    "Workflow event %s: process %s finds no recipient", event.pk, process.code
                )
            continue
        if process.subject_template:
            values = template_values(context, target)
            code, params = "", {}
            subject = render_template(process.subject_template, values)
            description = render_template(process.text_template, values)
        else:
            code, params = task_text_params(context, target) if target else ("", {})
            text = render(code, params) if code else None
            subject = text.subject if text else str(event.get_event_type_display())
            description = text.description if text else ""
        for assignee_id in recipients:
            _task, was_created = Task.objects.get_or_create(
                event=event,
                mapping=mapping,
                deduction_id=target.deduction_id if target else None,
                assignee_id=assignee_id,
                defaults={
                    "subject": subject[:300],
                    "description": description,
                    "text_code": code,
                    "text_params": params,
                    "case_id": target.case_id if target else None,
                    "participant_id": context.participant_id if context.participant_found else None,
                    "link": target.link(event.event_type) if target else "",
                    "due_date": due,
                    "priority": process.priority,
                },
            )
            created += was_created
    return created


def send_notifications(*, event: WorkflowEvent, mapping: EventProcessMapping) -> int:
    """One in-app notification per recipient for the whole event."""
    process = mapping.process
    context = event_context(event)
    recipients: list[int] = []
    for target in _targets(context) or [None]:
        for pk in _recipients(process, mapping, target):
            if pk not in recipients:
                recipients.append(pk)
    found = context.found_targets
    link = found[0].link(event.event_type) if found else ""
    if not found and context.targets:
        link = context.targets[0].link(event.event_type)
    if process.subject_template:
        values = template_values(context)
        code, params = "", {}
        message = render_template(process.subject_template, values)
        body = render_template(process.text_template, values)
    else:
        code, params = "summary", summary_params(context)
        message, body = render(code, params).subject, ""
    created = 0
    for recipient_id in recipients:
        _notification, was_created = Notification.objects.get_or_create(
            event=event,
            mapping=mapping,
            recipient_id=recipient_id,
            defaults={
                "message": message[:500],
                "body": body,
                "link": link,
                "text_code": code,
                "text_params": params,
            },
        )
        created += was_created
    return created


def tasks_and_notifications(*, event: WorkflowEvent, mapping: EventProcessMapping) -> int:
    return create_tasks(event=event, mapping=mapping) + send_notifications(
        event=event, mapping=mapping
    )


def log_only(*, event: WorkflowEvent, mapping: EventProcessMapping) -> int:
    logger.info("Workflow event #%s %s payload=%s", event.pk, event.event_type, event.payload or {})
    return 0


# What each action does.
ACTIONS: dict[str, Callable[..., int]] = {
    ProcessAction.TASK: create_tasks,
    ProcessAction.NOTIFICATION: send_notifications,
    ProcessAction.TASK_AND_NOTIFICATION: tasks_and_notifications,
    ProcessAction.LOG: log_only,
}


def run_action(*, event: WorkflowEvent, mapping: EventProcessMapping) -> int:
    """Do what the process row says (its action, recipient and templates)."""
    return ACTIONS[mapping.process.action](event=event, mapping=mapping)


# The built-in processes by code: each does what its row says, like any process; a code
# missing here (the agency's own processes) runs the same way.
PROCESSES: dict[str, Callable[..., int]] = {
    ProcessKind.CREATE_SUPERVISOR_TASK: run_action,
    ProcessKind.NOTIFY_USER: run_action,
    ProcessKind.LOG_ONLY: run_action,
    ProcessKind.NOTIFY_CASE_SUPERVISOR: run_action,
}


def process_run(*, event: WorkflowEvent, mapping: EventProcessMapping) -> int:
    """Run the mapping's process; texts are stored in the source language (German)."""
    handler = PROCESSES.get(mapping.process_id, run_action)
    with translation.override(settings.LANGUAGE_CODE):
        return handler(event=event, mapping=mapping)


def process_preview(*, process: WorkflowProcess, event: WorkflowEvent | None) -> tuple[str, str]:
    """The subject and text a process would write, from a real event or from sample values
    (WF-4, admin preview)."""
    from .templates import SAMPLE_VALUES

    if event is None:
        values = dict(SAMPLE_VALUES)
    else:
        context = event_context(event)
        found = context.found_targets
        values = template_values(context, found[0] if len(found) == 1 else None)
    if process.subject_template:
        return (
            render_template(process.subject_template, values),
            render_template(process.text_template, values),
        )
    return "", ""
