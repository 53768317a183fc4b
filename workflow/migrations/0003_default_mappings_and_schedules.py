"""Default event mappings (WF-2) and the beat schedules of the workflow app.

- third-party participant ended → a task per deduction for the case supervisor (TP-1);
- deduction skipped → a task for the case supervisor;
- daily 02:00 (Europe/Berlin): raise "deduction expired" for deductions past their end date;
- every 5 minutes: re-dispatch events left unhandled (a lost message is not lost work).
"""

from django.db import migrations

DEFAULT_MAPPINGS = [
    (
        "third_party_participant_ended",
        "create_supervisor_task",
        "Standard: je Abzug eine Aufgabe für den Fall-Supervisor (Abzug beenden).",
    ),
    (
        "deduction_skipped",
        "create_supervisor_task",
        "Standard: Aufgabe für den Fall-Supervisor.",
    ),
]

EXPIRY_TASK_NAME = "Workflow: abgelaufene Abzüge melden"
REDISPATCH_TASK_NAME = "Workflow: unverarbeitete Ereignisse erneut verarbeiten"


def install(apps, schema_editor):
    Mapping = apps.get_model("workflow", "EventProcessMapping")
    for event_type, process, description in DEFAULT_MAPPINGS:
        Mapping.objects.get_or_create(
            event_type=event_type,
            process=process,
            user=None,
            defaults={"description": description, "active": True, "due_in_days": 7},
        )

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="2",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Berlin",
    )
    PeriodicTask.objects.get_or_create(
        name=EXPIRY_TASK_NAME,
        defaults={
            "task": "workflow.tasks.deductions_expired_check",
            "crontab": crontab,
            "enabled": True,
            "description": "Löst „Abzug abgelaufen“ je Abzug einmal aus (CD-16, WF-1).",
        },
    )
    interval, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=REDISPATCH_TASK_NAME,
        defaults={
            "task": "workflow.tasks.events_redispatch_unhandled",
            "interval": interval,
            "enabled": True,
            "description": "Verarbeitet Workflowereignisse, die älter als 5 Minuten und "
            "noch unverarbeitet sind, erneut (WF-1).",
        },
    )


def uninstall(apps, schema_editor):
    Mapping = apps.get_model("workflow", "EventProcessMapping")
    for event_type, process, _description in DEFAULT_MAPPINGS:
        Mapping.objects.filter(
            event_type=event_type, process=process, user=None, handled_processes=None
        ).delete()
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[EXPIRY_TASK_NAME, REDISPATCH_TASK_NAME]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0002_tasks_mappings_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
