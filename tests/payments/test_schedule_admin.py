"""The nightly payment run's time of day in admin (issue 14, item 8): the schedule row and
django-celery-beat's cron entry change together, with history."""

from datetime import time

import pytest
from django_celery_beat.models import PeriodicTask

from payments.models import PaymentRunSchedule

pytestmark = pytest.mark.django_db

NIGHTLY = "payments.tasks.payment_run_nightly"


def test_schedule_starts_at_the_migrated_time_admin():
    schedule = PaymentRunSchedule.objects.get()
    task = PeriodicTask.objects.get(task=NIGHTLY)
    assert schedule.run_time == time(1, 0) and schedule.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("1", "0")


def test_admin_changes_time_and_cron_entry_with_history_admin(administrator_client):
    schedule = PaymentRunSchedule.objects.get()
    url = f"/admin/payments/paymentrunschedule/{schedule.pk}/change/"
    # The list is one row: it opens that row.
    listing = administrator_client.get("/admin/payments/paymentrunschedule/")
    assert listing.status_code == 302 and listing.url == url
    page = administrator_client.get(url).content.decode()
    assert 'type="time"' in page
    assert "Uhrzeit (Europe/Berlin), zu der der Zahlungslauf jede Nacht startet." in page
    response = administrator_client.post(url, {"run_time": "23:45", "enabled": "on"})
    assert response.status_code == 302, response.content.decode()
    task = PeriodicTask.objects.get(task=NIGHTLY)
    assert (task.crontab.hour, task.crontab.minute) == ("23", "45")
    assert task.enabled
    # Another task at 01:00 (if any) keeps its entry: the old row was not edited in place.
    assert PeriodicTask.objects.filter(crontab__hour="2").exists()  # the expiry check
    administrator_client.post(url, {"run_time": "02:30"})
    task.refresh_from_db()
    assert not task.enabled
    history = administrator_client.get(f"{url.removesuffix('change/')}history/").content.decode()
    assert "Uhrzeit in der Administration geändert" in history
    assert "adm" in history
    assert PaymentRunSchedule.history.count() == 2


def test_schedule_cannot_be_added_or_deleted_admin(administrator_client):
    schedule = PaymentRunSchedule.objects.get()
    assert administrator_client.get("/admin/payments/paymentrunschedule/add/").status_code == 403
    delete = f"/admin/payments/paymentrunschedule/{schedule.pk}/delete/"
    assert administrator_client.get(delete).status_code == 403
