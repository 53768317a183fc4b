"""Tasks inbox pages and the header badge (WF-3, RO-1)."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests import factories
from workflow.models import Task, TaskStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(utility_scenario):
    sv = utility_scenario.supervisor
    first, second = utility_scenario.deductions
    return [
        factories.TaskFactory(
            assignee=sv,
            case=utility_scenario.case,
            deduction=first,
            subject="Abzug A beenden",
            link=f"/deductions/{first.pk}/edit/",
        ),
        factories.TaskFactory(
            assignee=sv,
            case=utility_scenario.case,
            deduction=second,
            subject="Abzug B beenden",
            link=f"/deductions/{second.pk}/edit/",
        ),
    ]


def test_inbox_lists_my_open_tasks_with_case_deduction_and_link_WF_3(
    client, tasks, utility_scenario, supervisor
):
    """WF-3: /tasks/ lists my open tasks with subject, case, deduction and the link to act,
    and the header badge shows their number; other users' tasks are not shown."""
    factories.TaskFactory(assignee=supervisor, subject="Fremde Aufgabe")
    client.force_login(utility_scenario.supervisor)
    page = client.get("/tasks/").content.decode()
    assert "Abzug A beenden" in page and "Abzug B beenden" in page
    assert "Fremde Aufgabe" not in page
    assert utility_scenario.case.reference in page
    # The link returns to the task after saving (no payee end date known here).
    assert f'href="/deductions/{tasks[0].deduction_id}/edit/?next=/tasks/{tasks[0].pk}/"' in page
    assert 'data-testid="task-badge"' in page
    assert ">2</a>" in page.replace("\n", "")


def test_close_task_from_inbox_moves_it_to_closed_tab_WF_3(client, tasks, utility_scenario):
    """WF-3: closing a task (POST) takes it off the open list onto the closed tab."""
    client.force_login(utility_scenario.supervisor)
    response = client.post(f"/tasks/{tasks[0].pk}/close/", follow=True)
    assert response.status_code == 200
    assert "ist geschlossen" in response.content.decode()
    assert Task.objects.get(pk=tasks[0].pk).status == TaskStatus.CLOSED
    open_page = client.get("/tasks/").content.decode()
    assert "Abzug A beenden" not in open_page and "Abzug B beenden" in open_page
    closed_page = client.get("/tasks/?tab=closed").content.decode()
    assert "Abzug A beenden" in closed_page


def test_only_the_assignee_sees_and_closes_a_task_WF_3_RO_1(client, tasks, caseworker):
    """WF-3, RO-1: another user gets 404 for the task and cannot close it; closing needs POST."""
    client.force_login(caseworker)
    assert client.get(f"/tasks/{tasks[0].pk}/").status_code == 404
    assert client.post(f"/tasks/{tasks[0].pk}/close/").status_code == 404
    assert Task.objects.get(pk=tasks[0].pk).status == TaskStatus.OPEN


def test_task_detail_links_to_end_the_deduction_WF_3_TP_1(client, tasks, utility_scenario):
    """WF-3, TP-1: the task page shows the case and deduction and links to end it; GET on
    the close URL changes nothing."""
    client.force_login(utility_scenario.supervisor)
    page = client.get(f"/tasks/{tasks[0].pk}/").content.decode()
    assert "Abzug beenden" in page
    # The link returns to the task after saving (no payee end date known here).
    assert f'href="/deductions/{tasks[0].deduction_id}/edit/?next=/tasks/{tasks[0].pk}/"' in page
    assert client.get(f"/tasks/{tasks[0].pk}/close/").status_code == 405
    assert Task.objects.get(pk=tasks[0].pk).status == TaskStatus.OPEN


def test_pages_need_login_and_a_role_RO_1(client, tasks):
    """RO-1: anonymous users go to the login page; users without a role get 403."""
    response = client.get("/tasks/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(factories.UserFactory(username="norole"))
    assert client.get("/tasks/").status_code == 403


def test_badge_is_one_query_WF_3(tasks, utility_scenario):
    """WF-3: the header badge costs one COUNT query."""
    request = RequestFactory().get("/")
    request.user = utility_scenario.supervisor
    template = Template("{% load workflow_tags %}{% open_task_count as n %}{{ n }}")
    with CaptureQueriesContext(connection) as queries:
        assert template.render(Context({"request": request})) == "2"
        assert template.render(Context({"request": request})) == "2"
    assert len(queries) == 1


def test_notifications_page_and_mark_read_WF_2(client, administrator):
    """WF-2: in-app notifications are listed and can be marked read by their recipient."""
    note = factories.NotificationFactory(
        recipient=administrator, message="Verbindlichkeit beglichen", link="/"
    )
    client.force_login(administrator)
    assert "Verbindlichkeit beglichen" in client.get("/tasks/notifications/").content.decode()
    assert client.post(f"/tasks/notifications/{note.pk}/read/").status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
