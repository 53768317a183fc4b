"""Workflow processes defined by the agency in admin (WF-4): action, recipient, templates
with placeholders (validated, previewed), mapped to events; handled once per event and
process, also when the worker retries; built-in texts in the reader's language."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone, translation

from config import roles
from payments.services import payment_run_process_inline, payment_run_start
from tests import factories
from tests.payments.builders import add_deduction, build_case
from workflow import services
from workflow.models import (
    EventProcessMapping,
    EventType,
    HandledProcess,
    Notification,
    Task,
    WorkflowEvent,
    WorkflowProcess,
)

pytestmark = pytest.mark.django_db

SUBJECT = "Abzug {deduction} übersprungen: {reason}"
SETTLED = "Die Verbindlichkeit ist bereits beglichen."


def _process_form(**overrides):
    data = {
        "name": "Alle Supervisoren informieren",
        "code": "supervisoren-info",
        "action": "notification",
        "recipient": "role_group",
        "group": Group.objects.get(name=roles.SUPERVISOR).pk,
        "user": "",
        "subject_template": SUBJECT,
        "text_template": "Fall {case}, Beteiligter {participant}.",
        "due_in_days": "7",
        "priority": "high",
        "description": "",
        "mappings-TOTAL_FORMS": "1",
        "mappings-INITIAL_FORMS": "0",
        "mappings-MIN_NUM_FORMS": "0",
        "mappings-MAX_NUM_FORMS": "1000",
        "mappings-0-event_type": "deduction_skipped",
        "mappings-0-user": "",
        "mappings-0-due_in_days": "",
        "mappings-0-active": "on",
        "mappings-0-description": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def skipping_case(db):
    """A case whose applied deduction draws on an already settled liability, so a payment
    run skips it (PAY-10)."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    liability = factories.LiabilityFactory(
        participant=setup.thomas,
        original_amount=Decimal("15.00"),
        outstanding_amount=Decimal("0.00"),
        status="settled",
        settled_on=date(2026, 1, 1),
    )
    deduction = add_deduction(
        setup, name="Überzahlung", category="applied", percentage="10", liability=liability
    )
    return setup, deduction


def test_admin_defined_process_notifies_every_supervisor_once_WF_4(
    administrator, client, skipping_case, django_capture_on_commit_callbacks
):
    """WF-4: an administrator defines "notify every Case supervisor" with the subject
    'Abzug {deduction} übersprungen: {reason}' and maps it to "deduction skipped" in admin;
    a payment run that skips a line notifies each supervisor once with the rendered
    subject — also when the worker retries the same event."""
    setup, deduction = skipping_case
    others = [factories.UserFactory(role=roles.SUPERVISOR) for _ in range(2)]
    factories.UserFactory(role=roles.CASEWORKER)  # not a supervisor: not notified
    client.force_login(administrator)
    response = client.post("/admin/workflow/workflowprocess/add/", _process_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    process = WorkflowProcess.objects.get(code="supervisoren-info")
    assert list(process.mappings.values_list("event_type", flat=True)) == ["deduction_skipped"]

    with django_capture_on_commit_callbacks(execute=True):
        run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
        payment_run_process_inline(run=run)

    event = WorkflowEvent.objects.get(event_type=EventType.DEDUCTION_SKIPPED)
    group = Group.objects.get(name=roles.SUPERVISOR)
    supervisors = set(group.user_set.values_list("pk", flat=True))
    assert {u.pk for u in others} <= supervisors
    notes = Notification.objects.filter(event=event, mapping__process=process)
    assert sorted(notes.values_list("recipient_id", flat=True)) == sorted(supervisors)
    expected = f"Abzug Überzahlung übersprungen: {SETTLED}"
    assert set(notes.values_list("message", flat=True)) == {expected}
    assert notes.first().body == (f"Fall {setup.case.reference}, Beteiligter {setup.thomas.name}.")
    # The built-in default still gives the case supervisor their task.
    assert Task.objects.filter(event=event, assignee=setup.case.case_supervisor).count() == 1

    # The worker retries: the same event dispatched again, handled or not.
    WorkflowEvent.objects.filter(pk=event.pk).update(handled_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.events_redispatch(event_ids=[event.pk]) == 1
    services.event_handle(event_id=event.pk)
    assert notes.count() == len(supervisors)
    row = HandledProcess.objects.get(event=event, mapping__process=process)
    assert row.status == "succeeded" and row.attempts == 1


def test_unknown_placeholder_refused_in_admin_with_clear_message_WF_4(administrator, client):
    """WF-4: a template with an unknown placeholder is refused when saved, naming it."""
    client.force_login(administrator)
    response = client.post(
        "/admin/workflow/workflowprocess/add/",
        _process_form(subject_template="Abzug {abzug} übersprungen"),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "subject_template" in form.errors
    message = form.errors["subject_template"][0]
    assert "Unbekannter Platzhalter „{abzug}“" in message
    assert "{deduction}" in message  # the allowed ones are listed
    assert not WorkflowProcess.objects.filter(code="supervisoren-info").exists()


@pytest.mark.parametrize(
    "template", ["Abzug {deduction", "{}", "{deduction!r}", "{deduction.case}"]
)
def test_malformed_templates_refused_WF_4(template):
    """WF-4: single braces, empty placeholders, conversions and attribute access are
    refused, so no template can fail when an event is handled."""
    from django.core.exceptions import ValidationError

    process = WorkflowProcess(code="p", name="P", subject_template=template)
    with pytest.raises(ValidationError) as exc:
        process.full_clean()
    assert "subject_template" in exc.value.message_dict


def test_admin_preview_renders_with_sample_or_event_data_WF_4(
    administrator, client, utility_scenario
):
    """WF-4: the process page previews the templates, with sample values until a mapped
    event exists, then with that event's data."""
    process = factories.WorkflowProcessFactory(subject_template=SUBJECT)
    factories.EventProcessMappingFactory(event_type="deduction_cancelled", process=process)
    client.force_login(administrator)
    assert client.get("/admin/workflow/workflowprocess/").status_code == 200
    url = f"/admin/workflow/workflowprocess/{process.pk}/change/"
    page = client.get(url).content.decode()
    assert "Abzug Miete Stadtwerke übersprungen" in page  # sample data

    deduction = utility_scenario.deductions[0]
    event = factories.WorkflowEventFactory(
        event_type="deduction_cancelled", deduction_id=deduction.pk, case_id=deduction.case_id
    )
    page = client.get(url).content.decode()
    assert f"Ereignis #{event.pk}" in page
    assert f"Abzug {deduction.deduction_type.name} übersprungen" in page


def test_role_group_task_process_gives_each_member_a_task_WF_4(
    utility_scenario, django_capture_on_commit_callbacks
):
    """WF-4: a task process for a role group gives every member a task of their own, with
    the process's priority and due date, once per event."""
    group = Group.objects.get(name=roles.CASEWORKER)
    workers = [factories.UserFactory(role=roles.CASEWORKER) for _ in range(2)]
    process = factories.WorkflowProcessFactory(
        action="task",
        recipient="role_group",
        group=group,
        subject_template="Bitte prüfen: {deduction} im Fall {case}",
        priority="high",
        due_in_days=3,
    )
    factories.EventProcessMappingFactory(event_type="deduction_cancelled", process=process)
    deduction = utility_scenario.deductions[0]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = services.event_record(
            event_type=EventType.DEDUCTION_CANCELLED,
            deduction_id=deduction.pk,
            case_id=deduction.case_id,
        )
    tasks = Task.objects.filter(event=event)
    assert sorted(tasks.values_list("assignee_id", flat=True)) == sorted(u.pk for u in workers)
    task = tasks.first()
    assert task.subject == (
        f"Bitte prüfen: {deduction.deduction_type.name} im Fall {deduction.case.reference}"
    )
    assert task.priority == "high"
    # The due date counts from the event's day in the agency's time zone (WF-4), not UTC's.
    assert (task.due_date - timezone.localdate(event.created_at)).days == 3
    services.event_handle(event_id=event.pk)
    assert tasks.count() == 2


def test_case_owner_and_named_user_recipients_WF_4(
    utility_scenario, administrator, django_capture_on_commit_callbacks
):
    """WF-4: "the case owner" is who opened the integrated case; "a named user" is the
    process's user."""
    owner_process = factories.WorkflowProcessFactory(
        action="notification", recipient="case_owner", subject_template="{event}: {deduction}"
    )
    named = factories.WorkflowProcessFactory(
        action="notification", recipient="user", user=administrator, subject_template="{case}"
    )
    for process in (owner_process, named):
        factories.EventProcessMappingFactory(event_type="deduction_modified", process=process)
    deduction = utility_scenario.deductions[0]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = services.event_record(
            event_type=EventType.DEDUCTION_MODIFIED, deduction_id=deduction.pk
        )
    owner_note = Notification.objects.get(event=event, mapping__process=owner_process)
    assert owner_note.recipient_id == deduction.case.integrated_case.created_by_id
    assert owner_note.message == f"Abzug geändert: {deduction.deduction_type.name}"
    named_note = Notification.objects.get(event=event, mapping__process=named)
    assert named_note.recipient == administrator
    assert named_note.message == deduction.case.reference


def test_builtin_text_shown_in_readers_language_agency_text_as_written_WF_4(
    utility_scenario, client, django_capture_on_commit_callbacks
):
    """WF-4: a built-in task text is stored in German and shown in the reader's language;
    an agency's own template is shown as written."""
    deduction = utility_scenario.deductions[0]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = services.event_record(
            event_type=EventType.DEDUCTION_SKIPPED,
            deduction_id=deduction.pk,
            case_id=deduction.case_id,
            payload={"reason": "liability_settled"},
        )
    task = Task.objects.get(event=event)
    assert "wurde übersprungen" in task.subject
    client.force_login(utility_scenario.supervisor)
    with translation.override("en"):
        english = task.subject_display
    assert "skipped" in english and "übersprungen" not in english
    client.cookies["django_language"] = "en"
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "was skipped" in page and "wurde übersprungen" not in page
    client.cookies["django_language"] = "de"
    assert "wurde übersprungen" in client.get(f"/tasks/{task.pk}/").content.decode()

    own = factories.WorkflowProcessFactory(
        recipient="case_supervisor", subject_template="Eigener Text zu {deduction}"
    )
    factories.EventProcessMappingFactory(event_type="deduction_skipped", process=own)
    services.event_handle(event_id=event.pk)  # the new mapping is picked up
    WorkflowEvent.objects.filter(pk=event.pk).update(handled_at=None)
    services.event_handle(event_id=event.pk)
    own_task = Task.objects.get(event=event, mapping__process=own)
    with translation.override("en"):
        assert own_task.subject_display == f"Eigener Text zu {deduction.deduction_type.name}"


def test_builtin_processes_are_rows_agencies_can_change_WF_4(
    utility_scenario, django_capture_on_commit_callbacks
):
    """WF-4: the built-in defaults are process rows; changing one (here: its priority and
    subject) changes what the default mapping does, without code."""
    builtin = WorkflowProcess.objects.get(code="create_supervisor_task")
    assert builtin.builtin and EventProcessMapping.objects.filter(process=builtin).exists()
    builtin.subject_template = "Übersprungen: {deduction}"
    builtin.priority = "low"
    builtin.full_clean()
    builtin.save()
    deduction = utility_scenario.deductions[0]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = services.event_record(
            event_type=EventType.DEDUCTION_SKIPPED, deduction_id=deduction.pk
        )
    task = Task.objects.get(event=event)
    assert task.subject == f"Übersprungen: {deduction.deduction_type.name}"
    assert task.priority == "low"


def test_caseworker_cannot_define_processes_RO_1_WF_4(caseworker, client):
    """RO-1, WF-4: workflow processes are defined by administrators only."""
    caseworker.is_staff = True
    caseworker.save()
    client.force_login(caseworker)
    assert client.get("/admin/workflow/workflowprocess/add/").status_code == 403


def test_named_user_process_needs_a_user_somewhere_WF_4(administrator, client):
    """WF-4: a process for "a named user" that names nobody needs the user on each of its
    mappings; the admin says so beside the mapping and saves nothing."""
    client.force_login(administrator)
    response = client.post(
        "/admin/workflow/workflowprocess/add/",
        _process_form(recipient="user", group=""),
    )
    assert response.status_code == 200
    assert "muss ein Benutzer gewählt werden" in response.content.decode()
    assert not WorkflowProcess.objects.filter(code="supervisoren-info").exists()
    response = client.post(
        "/admin/workflow/workflowprocess/add/",
        _process_form(recipient="user", group="", **{"mappings-0-user": administrator.pk}),
    )
    assert response.status_code == 302
    assert EventProcessMapping.objects.get(process_id="supervisoren-info").user == administrator
