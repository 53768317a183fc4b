"""The nightly payment run's time of day (PAY-13): the schedule row and django-celery-beat's
cron entry of the nightly task change together, so beat starts the run when admin says."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from ..models import PaymentRunSchedule

NIGHTLY_TASK = "payments.tasks.payment_run_nightly"
NIGHTLY_NAME = "Nächtlicher Zahlungslauf"
DEFAULT_TIME = time(1, 0)


def nightly_task() -> PeriodicTask | None:
    return PeriodicTask.objects.filter(task=NIGHTLY_TASK).select_related("crontab").first()


def nightly_schedule_sync(*, schedule: PaymentRunSchedule) -> PeriodicTask:
    """Point the nightly task at a daily cron entry for the schedule's time (the entry is
    shared with any other task at that time, never edited in place) and switch it on/off."""
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute=str(schedule.run_time.minute),
        hour=str(schedule.run_time.hour),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    task = nightly_task()
    if task is None:
        task = PeriodicTask(name=NIGHTLY_NAME, task=NIGHTLY_TASK)
    task.crontab = crontab
    task.interval = None
    task.enabled = schedule.enabled
    task.save()  # django-celery-beat's signal tells beat the schedule changed
    return task


@transaction.atomic
def nightly_schedule_update(
    *, schedule: PaymentRunSchedule, run_time: time, enabled: bool, user, reason: str = ""
) -> PaymentRunSchedule:
    """Save the nightly run's time (minutes only) and keep beat's cron entry in step."""
    schedule.run_time = run_time.replace(second=0, microsecond=0)
    schedule.enabled = enabled
    schedule._history_user = user
    if reason:
        schedule._change_reason = reason
    schedule.save()
    nightly_schedule_sync(schedule=schedule)
    return schedule
