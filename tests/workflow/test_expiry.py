"""The daily "deduction expired" check (CD-16, WF-1): raised once per deduction whose end
date has passed, never for cancelled ones, in batches, from a beat schedule."""

from datetime import date

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from deductions.models import Deduction
from tests import factories
from workflow import services
from workflow.models import EventType, WorkflowEvent

pytestmark = pytest.mark.django_db

TODAY = date(2026, 7, 1)


@pytest.fixture
def deductions(db):
    case = factories.ProductDeliveryCaseFactory()
    return {
        "expired": factories.DeductionFactory(
            case=case, end_date=date(2026, 6, 30), status="active"
        ),
        "expired_inactive": factories.DeductionFactory(case=case, end_date=date(2026, 5, 31)),
        "ends_today": factories.DeductionFactory(case=case, end_date=TODAY, status="active"),
        "running": factories.DeductionFactory(case=case, end_date=date(2026, 12, 31)),
        "cancelled": factories.DeductionFactory(
            case=case, end_date=date(2026, 6, 1), status="cancelled"
        ),
    }


def test_expired_raised_once_per_deduction_WF_1(deductions, django_capture_on_commit_callbacks):
    """WF-1 (CD-16): deductions past their end date, not cancelled and ever active, get
    one "deduction expired" event each; running again raises nothing new. (Changed with
    seed 2.4 / issue 10: a deduction that never ran raises nothing.)"""
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deductions_expired_raise(today=TODAY, batch_size=1) == 1
    events = WorkflowEvent.objects.filter(event_type=EventType.DEDUCTION_EXPIRED)
    expected = {deductions["expired"].pk}
    assert set(events.values_list("deduction_id", flat=True)) == expected
    assert all(e.handled_at is not None for e in events)  # unmapped: recorded and handled
    assert (
        set(Deduction.objects.filter(expired_notified_on=TODAY).values_list("pk", flat=True))
        == expected
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.deductions_expired_raise(today=TODAY) == 0
    assert events.count() == 1
    # Forbidden side effects: nothing for running, ending today, cancelled or never active
    # deductions.
    for key in ("ends_today", "running", "cancelled", "expired_inactive"):
        assert not WorkflowEvent.objects.filter(deduction_id=deductions[key].pk).exists()


def test_expired_event_carries_case_and_payload_WF_1(deductions):
    """WF-1: the expired event names its deduction and case."""
    services.deductions_expired_raise(today=TODAY)
    event = WorkflowEvent.objects.get(deduction_id=deductions["expired"].pk)
    assert event.case_id == deductions["expired"].case_id
    assert event.payload == {"deduction": deductions["expired"].pk, "end_date": "2026-06-30"}


def test_expired_check_command_and_beat_schedule_WF_1(deductions):
    """WF-1: the daily beat task is installed by migration; the command runs the same check."""
    beat = PeriodicTask.objects.get(task="workflow.tasks.deductions_expired_check")
    assert beat.enabled and beat.crontab.hour == "2" and beat.crontab.minute == "0"
    assert PeriodicTask.objects.filter(
        task="workflow.tasks.events_redispatch_unhandled", enabled=True
    ).exists()
    call_command("workflow_check_expired", "--today", "2026-07-01")
    assert WorkflowEvent.objects.filter(event_type=EventType.DEDUCTION_EXPIRED).count() == 1


def test_expired_mapped_to_task_links_to_edit_page_WF_2(
    deductions, django_capture_on_commit_callbacks
):
    """WF-2: when an administrator maps "deduction expired" to a supervisor task, the task
    links to the deduction's edit page."""
    factories.EventProcessMappingFactory(
        event_type=EventType.DEDUCTION_EXPIRED, process="create_supervisor_task"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.deductions_expired_raise(today=TODAY)
    from workflow.models import Task

    task = Task.objects.get(deduction=deductions["expired"])
    assert task.link == f"/deductions/{deductions['expired'].pk}/edit/"
    assert task.assignee == deductions["expired"].case.case_supervisor


def test_expired_only_for_deductions_ever_active_WF_1(db, django_capture_on_commit_callbacks):
    """WF-1 (seed 2.4): "deduction expired" is raised for a deduction that was active and
    has since been deactivated, never for one that was never active."""
    case = factories.ProductDeliveryCaseFactory()
    was_active = factories.DeductionFactory(
        case=case, end_date=date(2026, 6, 30), activated_on=date(2026, 1, 1)
    )
    never_active = factories.DeductionFactory(case=case, end_date=date(2026, 6, 30))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deductions_expired_raise(today=TODAY) == 1
    assert WorkflowEvent.objects.filter(deduction_id=was_active.pk).exists()
    assert not WorkflowEvent.objects.filter(deduction_id=never_active.pk).exists()


def test_expired_notifies_case_supervisor_by_default_WF_2_WF_4(
    deductions, django_capture_on_commit_callbacks
):
    """WF-2, WF-4 (seed 2.4): by default "deduction expired" gives the case supervisor one
    in-app notification naming the deduction and linking to its edit page."""
    from workflow.demo import ensure_default_mappings
    from workflow.models import Notification

    ensure_default_mappings()
    with django_capture_on_commit_callbacks(execute=True):
        services.deductions_expired_raise(today=TODAY)
    expired = deductions["expired"]
    note = Notification.objects.get(event__deduction_id=expired.pk)
    assert note.recipient == expired.case.case_supervisor
    assert expired.deduction_type.name in note.message
    assert note.link == f"/deductions/{expired.pk}/edit/"
    assert not Notification.objects.filter(event__deduction_id=deductions["expired_inactive"].pk)
