"""Concurrent creation on one case keeps priorities unique and dense (CD-9, acceptance 3).

PostgreSQL only: SQLite serialises writers itself, so the test would prove nothing there."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from deductions import services
from deductions.models import Deduction
from tests.deductions.conftest import create, make_world
from workflow.models import WorkflowEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and advisory locks)")


def _run_concurrently(world, wishes, rounds=3):
    barrier = threading.Barrier(len(wishes))
    errors: list[BaseException] = []

    def worker(priority):
        try:
            barrier.wait(timeout=30)
            for _ in range(rounds):
                services.deduction_create(
                    case=world.case,
                    deduction_type=world.unapplied,
                    user=world.user,
                    amount=Decimal("40.00"),
                    nominee=world.thomas,
                    start_date=world.case.start_date,
                    end_date=world.case.expected_end_date,
                    priority=priority,
                )
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(wish,)) for wish in wishes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def test_concurrent_creation_gives_unique_dense_priorities_CD_9(caseworker):
    """CD-9 (acceptance 3): two requests creating deductions on one case at the same time
    (automatic priority) never share a priority; the sequence stays 1..n."""
    world = make_world(caseworker)
    _run_concurrently(world, [services.AUTOMATIC, services.AUTOMATIC])
    prios = sorted(Deduction.objects.filter(case=world.case).values_list("priority", flat=True))
    assert prios == list(range(1, 7))
    assert WorkflowEvent.objects.filter(event_type="deduction_created").count() == 6


def test_concurrent_insert_at_front_resequences_safely_CD_9(caseworker):
    """CD-9: concurrent creations that each want priority 1 (moving all others) and one
    taking the link's priority end with unique, dense priorities."""
    world = make_world(caseworker)
    create(world, priority=services.AUTOMATIC)
    _run_concurrently(world, [1, 1, None])
    prios = sorted(Deduction.objects.filter(case=world.case).values_list("priority", flat=True))
    assert prios == list(range(1, 11))
