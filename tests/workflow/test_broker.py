"""With a broker configured (CI sets Redis), an outbox event travels the production path:
after commit its message goes through the broker to a real (embedded) worker, which runs
the mapped process (WF-1, WF-2, TP-1). Skipped where no broker is configured."""

import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from config.celery import app
from workflow.models import EventType, Task, WorkflowEvent

pytestmark = [pytest.mark.celery_broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set: tasks run eagerly, there is no broker")
    assert not app.conf.task_always_eager
    app.control.purge()  # messages of earlier, aborted runs point at rows that are gone
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False) as embedded:
        yield embedded


def _wait_until_handled(event: WorkflowEvent, *, patience: float = 60.0) -> WorkflowEvent:
    """Polls until the worker has handled the event (or patience runs out)."""
    give_up = time.monotonic() + patience
    while time.monotonic() < give_up:
        event.refresh_from_db()
        if event.handled_at is not None:
            break
        time.sleep(0.2)
    return event


def test_event_dispatched_through_broker_to_worker_WF_1_WF_2_TP_1(
    worker, utility_scenario, default_mappings, api
):
    """WF-1 / WF-2 / TP-1: ending a utility over the API commits an outbox event whose
    message the worker receives through the broker; it creates one task per deduction."""
    end = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = api.patch(
        f"/api/v1/participants/{utility_scenario.utility.pk}/", {"end_date": end}, format="json"
    )
    assert response.status_code == 200, response.content
    event = WorkflowEvent.objects.get(event_type=EventType.THIRD_PARTY_PARTICIPANT_ENDED)
    assert _wait_until_handled(event).handled_at is not None
    tasks = Task.objects.filter(assignee=utility_scenario.supervisor)
    assert {t.deduction_id for t in tasks} == {d.pk for d in utility_scenario.deductions}
