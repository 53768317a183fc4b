"""PAY-13: the nightly payment run (01:00, Europe/Berlin) and the reconciler (every minute)
as django-celery-beat periodic tasks, so administrators can change the time in admin."""

from django.db import migrations

NIGHTLY = "Nächtlicher Zahlungslauf"
RECONCILE = "Zahlungsläufe abgleichen"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="1",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Berlin",
    )
    PeriodicTask.objects.get_or_create(
        name=NIGHTLY,
        defaults={
            "task": "payments.tasks.payment_run_nightly",
            "crontab": crontab,
            "enabled": True,
            "description": "Startet jede Nacht den Zahlungslauf für den aktuellen Tag (PAY-13).",
        },
    )
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=RECONCILE,
        defaults={
            "task": "payments.tasks.payment_runs_reconcile",
            "interval": every_minute,
            "enabled": True,
            "description": (
                "Schließt Zahlungsläufe ab, deren Pakete alle erledigt sind, und reiht "
                "fehlgeschlagene oder liegen gebliebene Pakete erneut ein."
            ),
        },
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[NIGHTLY, RECONCILE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0002_runs_simulations_agency_account"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
