"""Demo data of the workflow app (idempotent): the built-in processes and default event
mappings (in case the database was flushed after migrating) and a notification for the
demo administrator when a deduction settles a liability."""

from django.contrib.auth.models import User

from .models import (
    EventProcessMapping,
    EventType,
    ProcessAction,
    ProcessKind,
    ProcessRecipient,
    WorkflowProcess,
)

BUILTIN_PROCESSES = [
    (ProcessKind.CREATE_SUPERVISOR_TASK, ProcessAction.TASK, ProcessRecipient.CASE_SUPERVISOR),
    (ProcessKind.NOTIFY_USER, ProcessAction.NOTIFICATION, ProcessRecipient.USER),
    (ProcessKind.LOG_ONLY, ProcessAction.LOG, ProcessRecipient.CASE_SUPERVISOR),
    (
        ProcessKind.NOTIFY_CASE_SUPERVISOR,
        ProcessAction.NOTIFICATION,
        ProcessRecipient.CASE_SUPERVISOR,
    ),
]

DEFAULTS = [
    (EventType.THIRD_PARTY_PARTICIPANT_ENDED, ProcessKind.CREATE_SUPERVISOR_TASK),
    (EventType.DEDUCTION_SKIPPED, ProcessKind.CREATE_SUPERVISOR_TASK),
    (EventType.DEDUCTION_EXPIRED, ProcessKind.NOTIFY_CASE_SUPERVISOR),
]


def ensure_builtin_processes() -> None:
    for code, action, recipient in BUILTIN_PROCESSES:
        WorkflowProcess.objects.get_or_create(
            code=code,
            defaults={
                "name": str(code.label),
                "action": action,
                "recipient": recipient,
                "builtin": True,
                "description": "Eingebauter Prozess (Standardtext in der Sprache des Lesers).",
            },
        )


def ensure_default_mappings() -> None:
    ensure_builtin_processes()
    for event_type, process in DEFAULTS:
        EventProcessMapping.objects.get_or_create(
            event_type=event_type,
            process_id=process,
            user=None,
            defaults={"description": "Standardzuordnung", "active": True},
        )


def seed(*, stdout) -> None:
    ensure_default_mappings()
    admin = User.objects.filter(username="admin").first()
    if admin is not None:
        EventProcessMapping.objects.get_or_create(
            event_type=EventType.LIABILITY_SETTLED,
            process_id=ProcessKind.NOTIFY_USER,
            user=admin,
            defaults={
                "description": "Demo: Administration über beglichene Verbindlichkeiten "
                "benachrichtigen",
                "active": True,
            },
        )
    stdout.write("Workflow: Ereigniszuordnungen angelegt.")
