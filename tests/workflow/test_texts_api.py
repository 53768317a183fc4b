"""WF-4, issue 14 (item 6): the API's task `subject`/`description` and notification
`message`/`body` are written in the request's language (Accept-Language) from the stored
code and parameters, like the pages; German stays the default."""

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from tests import factories
from workflow import services
from workflow.models import EventType, Task


@pytest.fixture
def skipped_task(utility_scenario, django_capture_on_commit_callbacks):
    deduction = utility_scenario.deductions[0]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = services.event_record(
            event_type=EventType.DEDUCTION_SKIPPED,
            deduction_id=deduction.pk,
            case_id=deduction.case_id,
            payload={"reason": "liability_settled"},
        )
    return Task.objects.get(event=event)


def _get(user, path, language):
    api = APIClient()
    api.force_authenticate(user)
    return api.get(path, HTTP_ACCEPT_LANGUAGE=language).json()


def test_task_subject_in_request_language_WF_4(skipped_task):
    german = _get(skipped_task.assignee, "/api/v1/tasks/", "de")["results"][0]
    english = _get(skipped_task.assignee, "/api/v1/tasks/", "en")["results"][0]
    assert german["id"] == english["id"] == skipped_task.pk
    assert german["subject"] == skipped_task.subject and "wurde übersprungen" in german["subject"]
    assert "was skipped" in english["subject"] and "übersprungen" not in english["subject"]
    assert "Fall" in german["description"] and "Case" in english["description"]


def test_notification_message_in_request_language_WF_4(caseworker):
    note = factories.NotificationFactory(
        recipient=caseworker,
        message="Abzug übersprungen: Abzug „Strom“ (Nr. 3)",
        text_code="summary",
        text_params={"event": "deduction_skipped", "deductions": [["Strom", 3]]},
    )
    german = _get(caseworker, "/api/v1/notifications/", "de")["results"][0]
    english = _get(caseworker, "/api/v1/notifications/", "en")["results"][0]
    assert german["id"] == english["id"] == note.pk
    assert german["message"] == note.message
    assert english["message"].startswith("Deduction skipped") and "Strom" in english["message"]
