"""Re-dispatch (WF-1): the beat sweeper, the management command and the admin action send
unhandled events again; handled events are left alone."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from tests import factories
from workflow.models import (
    EventProcessMapping,
    EventType,
    Task,
    WorkflowEvent,
)
from workflow.tasks import events_redispatch_unhandled

pytestmark = pytest.mark.django_db


def _lost_event(deduction, *, minutes_ago=10, **extra):
    """An event whose dispatch message never arrived (recorded without on_commit)."""
    event = factories.WorkflowEventFactory(
        event_type=EventType.DEDUCTION_SKIPPED, deduction_id=deduction.pk, **extra
    )
    WorkflowEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return event


def test_sweeper_redispatches_lost_events_only_WF_1(
    utility_scenario, django_capture_on_commit_callbacks
):
    """WF-1: events unhandled for more than 5 minutes are dispatched again by the beat task;
    fresh ones, given-up ones and ones waiting for a retry are left alone."""
    first, second = utility_scenario.deductions
    lost = _lost_event(first)
    fresh = _lost_event(second, minutes_ago=1)
    gave_up = _lost_event(second, failed_at=timezone.now())
    retrying = _lost_event(second)
    factories.HandledProcessFactory(
        event=retrying,
        mapping=EventProcessMapping.objects.get(event_type=EventType.DEDUCTION_SKIPPED),
        status="failed",
        attempts=1,
        last_attempt_at=timezone.now(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert events_redispatch_unhandled.delay().get() == 1

    for event in (lost, fresh, gave_up, retrying):
        event.refresh_from_db()
    assert lost.handled_at is not None
    assert Task.objects.filter(event=lost).count() == 1
    assert fresh.handled_at is None and gave_up.handled_at is None and retrying.handled_at is None
    assert not Task.objects.exclude(event=lost).exists()


def test_redispatch_command_WF_1(utility_scenario, django_capture_on_commit_callbacks):
    """WF-1: `manage.py workflow_redispatch --failed` re-dispatches given-up events."""
    gave_up = _lost_event(utility_scenario.deductions[0], failed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("workflow_redispatch", "--failed")
    gave_up.refresh_from_db()
    assert gave_up.handled_at is not None and gave_up.failed_at is None
    assert Task.objects.filter(event=gave_up).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        call_command("workflow_redispatch", str(gave_up.pk))
    assert Task.objects.count() == 1


def test_admin_redispatch_action_and_failed_filter_WF_1(
    utility_scenario, administrator, client, django_capture_on_commit_callbacks
):
    """WF-1: in admin an administrator filters failed events, sees the error and
    re-dispatches them with "Erneut verarbeiten"."""
    event = _lost_event(utility_scenario.deductions[0], failed_at=timezone.now())
    factories.HandledProcessFactory(
        event=event,
        mapping=EventProcessMapping.objects.get(event_type=EventType.DEDUCTION_SKIPPED),
        status="failed",
        attempts=6,
        error="RuntimeError: Postfach nicht erreichbar",
        last_attempt_at=timezone.now(),
    )
    client.force_login(administrator)
    listing = client.get("/admin/workflow/workflowevent/?state=failed")
    assert listing.status_code == 200
    assert f'value="{event.pk}"' in listing.content.decode()
    handled = client.get("/admin/workflow/handledprocess/?status__exact=failed")
    assert "Postfach nicht erreichbar" in handled.content.decode()
    found = client.get(f"/admin/workflow/workflowevent/?q={utility_scenario.deductions[0].pk}")
    assert f'value="{event.pk}"' in found.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/workflow/workflowevent/",
            {"action": "redispatch_events", "_selected_action": [event.pk]},
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.handled_at is not None
    assert Task.objects.filter(event=event).count() == 1


def test_admin_pages_render_WF_2(administrator, client, utility_scenario):
    """WF-2: administrators maintain mappings in admin; the workflow admin pages render."""
    factories.TaskFactory(assignee=utility_scenario.supervisor)
    client.force_login(administrator)
    for url in (
        "/admin/workflow/eventprocessmapping/",
        "/admin/workflow/eventprocessmapping/add/",
        "/admin/workflow/task/",
        "/admin/workflow/notification/",
        "/admin/workflow/handledprocess/",
        "/admin/workflow/workflowevent/",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        "/admin/workflow/eventprocessmapping/add/",
        {
            "event_type": "deduction_cancelled",
            "process": "notify_user",
            "user": administrator.pk,
            "due_in_days": 7,
            "active": "on",
            "description": "",
        },
    )
    assert response.status_code == 302
    assert EventProcessMapping.objects.filter(
        event_type="deduction_cancelled", process="notify_user", user=administrator
    ).exists()


def test_notify_mapping_needs_a_user_WF_2(administrator):
    """WF-2: "notify a user" without a user (or a user on another process) is refused."""
    with pytest.raises(ValidationError) as exc:
        EventProcessMapping(event_type="deduction_created", process_id="notify_user").full_clean()
    assert "user" in exc.value.message_dict
    with pytest.raises(ValidationError):
        EventProcessMapping(
            event_type="deduction_created", process_id="log_only", user=administrator
        ).full_clean()


def test_caseworker_cannot_change_mappings_in_admin_RO_1(caseworker, client):
    """RO-1: event mappings are configured by administrators only."""
    caseworker.is_staff = True
    caseworker.save()
    client.force_login(caseworker)
    assert client.get("/admin/workflow/eventprocessmapping/add/").status_code == 403
