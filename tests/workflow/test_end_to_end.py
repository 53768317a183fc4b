"""End to end through the REST API with Celery eager (acceptance 2 of issue 7): ending a
utility that receives two active third-party deductions warns about both and gives the
case supervisor one task per deduction; doing it again creates no new tasks."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from workflow.models import EventType, HandledProcess, Task, WorkflowEvent

pytestmark = pytest.mark.django_db


def test_ending_utility_creates_task_per_deduction_TP_1_PT_3_WF_1_WF_2_WF_3(
    utility_scenario, api, django_capture_on_commit_callbacks
):
    """TP-1, PT-3, WF-1, WF-2, WF-3: PATCH end_date on the utility → 200 with a warning per
    deduction → after commit, two open tasks for the case supervisor, each linking to the
    edit page of its deduction; the supervisor sees them in the tasks API. Patching again
    raises no new event and creates no new task."""
    utility = utility_scenario.utility
    first, second = utility_scenario.deductions
    end = (timezone.localdate() + timedelta(days=1)).isoformat()

    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(
            f"/api/v1/participants/{utility.pk}/", {"end_date": end}, format="json"
        )

    assert response.status_code == 200, response.content
    assert len(response.data["warnings"]) == 2
    assert any(f"Nr. {first.pk}" in w for w in response.data["warnings"])
    assert any(f"Nr. {second.pk}" in w for w in response.data["warnings"])
    event = WorkflowEvent.objects.get(event_type=EventType.THIRD_PARTY_PARTICIPANT_ENDED)
    assert event.payload == {"participant": utility.pk, "deductions": [first.pk, second.pk]}
    assert event.handled_at is not None
    tasks = {t.deduction_id: t for t in Task.objects.all()}
    assert set(tasks) == {first.pk, second.pk}
    for deduction in (first, second):
        task = tasks[deduction.pk]
        assert task.assignee == utility_scenario.supervisor
        assert task.link == f"/deductions/{deduction.pk}/edit/"

    supervisor_api = APIClient()
    supervisor_api.force_authenticate(utility_scenario.supervisor)
    listed = supervisor_api.get("/api/v1/tasks/?status=open").json()
    assert listed["count"] == 2
    assert {r["link"] for r in listed["results"]} == {
        f"/deductions/{first.pk}/edit/",
        f"/deductions/{second.pk}/edit/",
    }

    # Again: the same end date, then a later one. Nothing new.
    later = (timezone.localdate() + timedelta(days=2)).isoformat()
    for value in (end, later):
        with django_capture_on_commit_callbacks(execute=True):
            again = api.patch(
                f"/api/v1/participants/{utility.pk}/", {"end_date": value}, format="json"
            )
        assert again.status_code == 200
    assert Task.objects.count() == 2
    assert (
        WorkflowEvent.objects.filter(event_type=EventType.THIRD_PARTY_PARTICIPANT_ENDED).count()
        == 1
    )
    assert HandledProcess.objects.get(event=event).attempts == 1
