"""Two workers handling the same event at once (WF-1): the handled-process row, locked and
unique, lets only one of them run the process. PostgreSQL only (row locks)."""

import threading

import pytest
from django.db import connection, connections

from tests import factories
from workflow import services
from workflow.models import EventType, HandledProcess, Task

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_concurrent_dispatch_handles_once_WF_1(utility_scenario, default_mappings):
    """WF-1: two simultaneous dispatches of one event create each task once and record one
    attempt."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    event = factories.WorkflowEventFactory(
        event_type=EventType.THIRD_PARTY_PARTICIPANT_ENDED,
        payload={
            "participant": utility_scenario.utility.pk,
            "deductions": [d.pk for d in utility_scenario.deductions],
        },
    )
    barrier = threading.Barrier(4)
    errors = []

    def work():
        try:
            barrier.wait()
            services.event_handle(event_id=event.pk)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Task.objects.filter(event=event).count() == 2
    row = HandledProcess.objects.get(event=event)
    assert row.status == "succeeded" and row.attempts == 1
    event.refresh_from_db()
    assert event.handled_at is not None
