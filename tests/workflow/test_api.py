"""Tasks and workflow-events API (WF-1, WF-3, RO-1)."""

import pytest
from rest_framework.test import APIClient

from tests import factories
from workflow.models import EventType, Task, TaskStatus

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def task(utility_scenario):
    deduction = utility_scenario.deductions[0]
    return factories.TaskFactory(
        assignee=utility_scenario.supervisor,
        case=utility_scenario.case,
        deduction=deduction,
        link=f"/deductions/{deduction.pk}/edit/",
        subject="Abzug beenden",
    )


def test_task_list_fields_and_only_own_tasks_WF_3_RO_1(task, supervisor_api, utility_scenario):
    """WF-3, RO-1: a user sees their own tasks with the contract's fields; others' tasks
    are neither listed nor found."""
    own = _client(utility_scenario.supervisor).get("/api/v1/tasks/")
    assert own.status_code == 200
    row = own.json()["results"][0]
    for key in (
        "id",
        "subject",
        "assignee",
        "case",
        "deduction",
        "link",
        "status",
        "status_display",
        "created_at",
        "due_date",
    ):
        assert key in row
    assert row["status"] == "open" and row["status_display"] == "Offen"
    assert row["case"] == utility_scenario.case.pk
    assert row["deduction"] == task.deduction_id

    other = supervisor_api.get("/api/v1/tasks/")
    assert other.json()["count"] == 0
    assert supervisor_api.get(f"/api/v1/tasks/{task.pk}/").status_code == 404
    assert supervisor_api.post(f"/api/v1/tasks/{task.pk}/close/").status_code == 404
    assert Task.objects.get(pk=task.pk).status == TaskStatus.OPEN


def test_close_task_then_409_WF_3(task, utility_scenario):
    """WF-3: the assignee closes a task; closing it again is a 409 with the reason."""
    client = _client(utility_scenario.supervisor)
    closed = client.post(f"/api/v1/tasks/{task.pk}/close/")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    stored = Task.objects.get(pk=task.pk)
    assert stored.closed_by == utility_scenario.supervisor and stored.closed_at is not None

    again = client.post(f"/api/v1/tasks/{task.pk}/close/")
    assert again.status_code == 409
    assert again.json() == {"detail": "Die Aufgabe ist bereits geschlossen."}
    assert client.get("/api/v1/tasks/?status=open").json()["count"] == 0
    assert client.get("/api/v1/tasks/?status=closed").json()["count"] == 1


def test_tasks_api_refuses_anonymous_and_roleless_RO_1(task, anon_api):
    """RO-1: anonymous → 401; a user without a role → 403."""
    assert anon_api.get("/api/v1/tasks/").status_code == 401
    nobody = factories.UserFactory(username="norole")
    assert _client(nobody).get("/api/v1/tasks/").status_code == 403


def test_workflow_events_read_only_for_admins_and_supervisors_WF_1_RO_1(
    admin_api, supervisor_api, api
):
    """WF-1, RO-1: administrators and supervisors read events (with the display label);
    caseworkers may not; nobody writes."""
    event = factories.WorkflowEventFactory(
        event_type=EventType.DEDUCTION_SKIPPED, payload={"deduction": 5}, deduction_id=5
    )
    for client in (admin_api, supervisor_api):
        body = client.get("/api/v1/workflow-events/").json()
        row = next(r for r in body["results"] if r["id"] == event.pk)
        assert row["event_type"] == "deduction_skipped"
        assert row["event_type_display"] == "Abzug übersprungen"
        assert row["payload"] == {"deduction": 5}
        assert row["handled_at"] is None
        assert "created_at" in row
    assert api.get("/api/v1/workflow-events/").status_code == 403
    assert admin_api.post("/api/v1/workflow-events/", {}, format="json").status_code == 405
    assert admin_api.delete(f"/api/v1/workflow-events/{event.pk}/").status_code == 405

    filtered = admin_api.get("/api/v1/workflow-events/?handled=false&event_type=deduction_skipped")
    assert [r["id"] for r in filtered.json()["results"]] == [event.pk]
    assert admin_api.get("/api/v1/workflow-events/?handled=true").json()["count"] == 0


def test_notifications_api_WF_2(administrator, admin_api, supervisor_api):
    """WF-2: a user reads and marks their own in-app notifications only."""
    note = factories.NotificationFactory(recipient=administrator, message="Hallo", link="/")
    body = admin_api.get("/api/v1/notifications/?unread=true").json()
    assert [r["id"] for r in body["results"]] == [note.pk]
    assert supervisor_api.post(f"/api/v1/notifications/{note.pk}/read/").status_code == 404
    assert admin_api.post(f"/api/v1/notifications/{note.pk}/read/").status_code == 200
    assert admin_api.get("/api/v1/notifications/?unread=true").json()["count"] == 0


def test_event_mappings_listed_for_admins_WF_2(admin_api, api):
    """WF-2: the mappings are visible over the API (maintained in admin)."""
    body = admin_api.get("/api/v1/event-mappings/").json()
    assert any(
        r["event_type"] == "third_party_participant_ended"
        and r["process"] == "create_supervisor_task"
        for r in body["results"]
    )
    assert api.get("/api/v1/event-mappings/").status_code == 403
