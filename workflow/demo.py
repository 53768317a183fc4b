"""Demo data of the workflow app (idempotent): the default event mappings (in case the
database was flushed after migrating) and a notification for the demo administrator when
a deduction settles a liability."""

from django.contrib.auth.models import User

from .models import EventProcessMapping, EventType, ProcessKind

DEFAULTS = [
    (EventType.THIRD_PARTY_PARTICIPANT_ENDED, ProcessKind.CREATE_SUPERVISOR_TASK),
    (EventType.DEDUCTION_SKIPPED, ProcessKind.CREATE_SUPERVISOR_TASK),
]


def ensure_default_mappings() -> None:
    for event_type, process in DEFAULTS:
        EventProcessMapping.objects.get_or_create(
            event_type=event_type,
            process=process,
            user=None,
            defaults={"description": "Standardzuordnung", "active": True},
        )


def seed(*, stdout) -> None:
    ensure_default_mappings()
    admin = User.objects.filter(username="admin").first()
    if admin is not None:
        EventProcessMapping.objects.get_or_create(
            event_type=EventType.LIABILITY_SETTLED,
            process=ProcessKind.NOTIFY_USER,
            user=admin,
            defaults={
                "description": "Demo: Administration über beglichene Verbindlichkeiten "
                "benachrichtigen",
                "active": True,
            },
        )
    stdout.write("Workflow: Ereigniszuordnungen angelegt.")
