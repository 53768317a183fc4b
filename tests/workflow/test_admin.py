"""Django admin of the workflow app: the task list (WF-3)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def _task():
    """A task of a case and deduction of their own (own product): nothing shared between
    rows, so a query per row would show."""
    deduction = factories.DeductionFactory()
    return factories.TaskFactory(case=deduction.case, deduction=deduction)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_admin_task_list_does_not_query_per_row_WF_3(client, administrator):
    """WF-3: the admin task list reads case (with its product, which the case's name
    shows), deduction and assignee with the list query: ten rows take as many queries as
    one."""
    client.force_login(administrator)
    url = reverse("admin:workflow_task_changelist")
    _task()
    one = _queries(client, url)
    for _ in range(9):
        _task()
    assert _queries(client, url) == one
