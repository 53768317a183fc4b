"""Event dispatch (WF-1) to the built-in processes (WF-2): at most once per mapped process,
failures retried and visible, unmapped events recorded and handled."""

import logging

import pytest
from django.db import IntegrityError, transaction

from tests import factories
from workflow import processes, services
from workflow.models import (
    EventProcessMapping,
    EventType,
    HandledProcess,
    HandledStatus,
    Notification,
    Task,
    TaskStatus,
    WorkflowEvent,
)
from workflow.tasks import MAX_RETRIES, event_dispatch, retry_countdown

pytestmark = pytest.mark.django_db


def _raise_participant_ended(scenario, capture):
    with capture(execute=True), transaction.atomic():
        return services.event_record(
            event_type=EventType.THIRD_PARTY_PARTICIPANT_ENDED,
            participant_id=scenario.utility.pk,
            payload={
                "participant": scenario.utility.pk,
                "deductions": [d.pk for d in scenario.deductions],
            },
        )


def test_default_mappings_installed_by_migration_WF_2():
    """WF-2: the data migration maps "participant ended" and "deduction skipped" to a task
    for the case supervisor."""
    defaults = set(
        EventProcessMapping.objects.filter(active=True).values_list("event_type", "process")
    )
    assert (EventType.THIRD_PARTY_PARTICIPANT_ENDED, "create_supervisor_task") in defaults
    assert (EventType.DEDUCTION_SKIPPED, "create_supervisor_task") in defaults


def test_participant_ended_creates_one_task_per_deduction_TP_1_PT_3_WF_1_WF_3(
    utility_scenario, django_capture_on_commit_callbacks
):
    """TP-1, PT-3, WF-1, WF-3: the "participant ended" event, dispatched after commit, gives
    the case supervisor one open task per deduction, each linking to the deduction's edit
    page and naming the deduction and the participant."""
    event = _raise_participant_ended(utility_scenario, django_capture_on_commit_callbacks)

    tasks = Task.objects.filter(event=event).order_by("deduction_id")
    assert tasks.count() == 2
    for task, deduction in zip(tasks, utility_scenario.deductions, strict=True):
        assert task.assignee == utility_scenario.supervisor
        assert task.deduction == deduction
        assert task.case == utility_scenario.case
        assert task.participant == utility_scenario.utility
        assert task.status == TaskStatus.OPEN
        assert task.link == f"/deductions/{deduction.pk}/edit/"
        assert deduction.deduction_type.name in task.subject
        assert f"Nr. {deduction.pk}" in task.subject
        assert "Stadtwerke Nord" in task.subject
        assert task.due_date is not None
    event.refresh_from_db()
    assert event.handled_at is not None
    handled = HandledProcess.objects.get(event=event)
    assert handled.status == HandledStatus.SUCCEEDED
    assert handled.attempts == 1


def test_redispatching_a_handled_event_changes_nothing_WF_1(
    utility_scenario, django_capture_on_commit_callbacks
):
    """WF-1: dispatching a handled event again (a duplicate message, a re-dispatch) creates
    no task and records no new attempt."""
    event = _raise_participant_ended(utility_scenario, django_capture_on_commit_callbacks)
    event.refresh_from_db()
    handled_at = event.handled_at

    event_dispatch.delay(event.pk)
    with django_capture_on_commit_callbacks(execute=True):
        scheduled = services.events_redispatch(event_ids=[event.pk])

    assert scheduled == 0
    assert Task.objects.count() == 2
    assert HandledProcess.objects.get(event=event).attempts == 1
    event.refresh_from_db()
    assert event.handled_at == handled_at


def test_retry_after_crash_does_not_double_handle_WF_1(
    utility_scenario, django_capture_on_commit_callbacks
):
    """WF-1: a worker that ran the process but died before marking the event handled is
    retried: the handled-process row (same transaction as the tasks) stops a second run."""
    event = _raise_participant_ended(utility_scenario, django_capture_on_commit_callbacks)
    WorkflowEvent.objects.filter(pk=event.pk).update(handled_at=None)

    outcome = services.event_handle(event_id=event.pk)

    assert outcome.ran and not outcome.failed and outcome.handled
    assert Task.objects.filter(event=event).count() == 2
    assert HandledProcess.objects.get(event=event).attempts == 1


def test_tasks_unique_per_event_mapping_deduction_WF_2(utility_scenario):
    """WF-2, WF-4: the database refuses a second task for the same event, mapping,
    deduction and assignee (a role-group process gives each member one of their own)."""
    event = factories.WorkflowEventFactory(event_type=EventType.DEDUCTION_SKIPPED)
    mapping = EventProcessMapping.objects.get(
        event_type=EventType.DEDUCTION_SKIPPED, process="create_supervisor_task"
    )
    deduction = utility_scenario.deductions[0]
    sv = utility_scenario.supervisor
    factories.TaskFactory(event=event, mapping=mapping, deduction=deduction, assignee=sv)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.TaskFactory(event=event, mapping=mapping, deduction=deduction, assignee=sv)


def test_unmapped_event_is_recorded_and_marked_handled_WF_2(
    utility_scenario, django_capture_on_commit_callbacks
):
    """WF-2: an event nobody mapped is still recorded, and handled without any process."""
    deduction = utility_scenario.deductions[0]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = services.event_record(
            event_type=EventType.DEDUCTION_MODIFIED,
            deduction_id=deduction.pk,
            case_id=deduction.case_id,
        )
    event.refresh_from_db()
    assert event.handled_at is not None
    assert not HandledProcess.objects.filter(event=event).exists()
    assert not Task.objects.exists()


def test_event_rolled_back_with_its_change_is_never_dispatched_WF_1(
    utility_scenario, django_capture_on_commit_callbacks
):
    """WF-1: the outbox row belongs to the caller's transaction: a rollback leaves no event
    and dispatches nothing."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.event_record(
                event_type=EventType.DEDUCTION_SKIPPED,
                deduction_id=utility_scenario.deductions[0].pk,
            )
            raise RuntimeError("change failed")
    assert callbacks == []
    assert not WorkflowEvent.objects.exists()
    assert not Task.objects.exists()


def test_deduction_skipped_gives_the_supervisor_a_task_WF_2_WF_3(
    utility_scenario, django_capture_on_commit_callbacks
):
    """WF-2, WF-3: the default mapping of "deduction skipped" creates one task for the case
    supervisor, linking to the deduction."""
    deduction = utility_scenario.deductions[1]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = services.event_record(
            event_type=EventType.DEDUCTION_SKIPPED,
            deduction_id=deduction.pk,
            case_id=deduction.case_id,
            payload={"deduction": deduction.pk, "reason": "insufficient_balance"},
        )
    task = Task.objects.get(event=event)
    assert task.assignee == utility_scenario.supervisor
    assert task.deduction == deduction
    assert task.link == f"/deductions/{deduction.pk}/"
    assert "übersprungen" in task.subject


def test_inactive_mapping_does_not_run_WF_2(utility_scenario, django_capture_on_commit_callbacks):
    """WF-2: an administrator switching a mapping off stops its process."""
    EventProcessMapping.objects.filter(event_type=EventType.DEDUCTION_SKIPPED).update(active=False)
    deduction = utility_scenario.deductions[0]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = services.event_record(
            event_type=EventType.DEDUCTION_SKIPPED, deduction_id=deduction.pk
        )
    assert not Task.objects.exists()
    event.refresh_from_db()
    assert event.handled_at is not None


def test_notify_user_and_log_only_processes_WF_2(
    utility_scenario, administrator, django_capture_on_commit_callbacks, caplog
):
    """WF-2: "notify a user" gives the mapping's user one in-app notification; "log only"
    writes a log line and nothing else."""
    factories.EventProcessMappingFactory(
        event_type=EventType.DEDUCTION_CANCELLED, process="notify_user", user=administrator
    )
    factories.EventProcessMappingFactory(
        event_type=EventType.DEDUCTION_CANCELLED, process="log_only"
    )
    deduction = utility_scenario.deductions[0]
    with caplog.at_level(logging.INFO, logger="workflow"):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            event = services.event_record(
                event_type=EventType.DEDUCTION_CANCELLED, deduction_id=deduction.pk
            )
    note = Notification.objects.get()
    assert note.recipient == administrator
    assert note.event == event
    assert deduction.deduction_type.name in note.message
    assert note.link == f"/deductions/{deduction.pk}/"
    assert f"Workflow event #{event.pk}" in caplog.text
    assert not Task.objects.exists()
    assert HandledProcess.objects.filter(event=event, status="succeeded").count() == 2


def test_failing_handler_is_retried_then_visible_and_others_flow_WF_1(
    utility_scenario, django_capture_on_commit_callbacks, monkeypatch
):
    """WF-1: a process that raises is retried (Celery retry), then left visible with its
    error and attempt count; the event's other process and other events are handled."""
    calls = []

    def broken(*, event, mapping):
        calls.append(event.pk)
        raise RuntimeError("Postfach nicht erreichbar")

    monkeypatch.setitem(processes.PROCESSES, "log_only", broken)
    factories.EventProcessMappingFactory(event_type=EventType.DEDUCTION_SKIPPED, process="log_only")
    first, second = utility_scenario.deductions
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        failing = services.event_record(
            event_type=EventType.DEDUCTION_SKIPPED, deduction_id=first.pk
        )
        other = services.event_record(
            event_type=EventType.THIRD_PARTY_PARTICIPANT_ENDED,
            payload={"participant": utility_scenario.utility.pk, "deductions": [second.pk]},
        )

    failing.refresh_from_db()
    other.refresh_from_db()
    assert len(calls) == 1 + MAX_RETRIES
    assert failing.handled_at is None
    assert failing.failed_at is not None
    broken_row = HandledProcess.objects.get(event=failing, mapping__process="log_only")
    assert broken_row.status == HandledStatus.FAILED
    assert broken_row.attempts == 1 + MAX_RETRIES
    assert "Postfach nicht erreichbar" in broken_row.error
    # The failing event's task process ran exactly once despite the retries.
    task_row = HandledProcess.objects.get(event=failing, mapping__process="create_supervisor_task")
    assert task_row.status == HandledStatus.SUCCEEDED and task_row.attempts == 1
    assert Task.objects.filter(event=failing).count() == 1
    # The other event flowed.
    assert other.handled_at is not None
    assert Task.objects.filter(event=other, deduction=second).count() == 1

    # Fixed, then re-dispatched by an administrator: handled, no duplicate task.
    monkeypatch.setitem(processes.PROCESSES, "log_only", processes.log_only)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.events_redispatch(event_ids=[failing.pk]) == 1
    failing.refresh_from_db()
    assert failing.handled_at is not None and failing.failed_at is None
    broken_row.refresh_from_db()
    assert broken_row.status == HandledStatus.SUCCEEDED
    assert broken_row.error == ""
    assert Task.objects.filter(event=failing).count() == 1


def test_transient_failure_succeeds_on_retry_WF_1(
    utility_scenario, django_capture_on_commit_callbacks, monkeypatch
):
    """WF-1: a process failing once succeeds on its retry; its effect is written once."""
    real = processes.PROCESSES["create_supervisor_task"]
    state = {"calls": 0}

    def flaky(*, event, mapping):
        state["calls"] += 1
        real(event=event, mapping=mapping)  # effect rolled back with the failure
        if state["calls"] == 1:
            raise ConnectionError("vorübergehend")
        return 1

    monkeypatch.setitem(processes.PROCESSES, "create_supervisor_task", flaky)
    event = _raise_participant_ended(utility_scenario, django_capture_on_commit_callbacks)

    event.refresh_from_db()
    assert event.handled_at is not None
    row = HandledProcess.objects.get(event=event)
    assert row.status == HandledStatus.SUCCEEDED and row.attempts == 2
    assert Task.objects.filter(event=event).count() == 2


def test_retry_uses_exponential_backoff_WF_1(utility_scenario, monkeypatch):
    """WF-1: a failed dispatch asks Celery to retry with a countdown doubling each time."""
    assert [retry_countdown(n) for n in range(MAX_RETRIES)] == [30, 60, 120, 240, 480]
    monkeypatch.setitem(processes.PROCESSES, "create_supervisor_task", lambda **kw: 1 / 0)
    event = factories.WorkflowEventFactory(
        event_type=EventType.DEDUCTION_SKIPPED, deduction_id=utility_scenario.deductions[0].pk
    )
    seen = {}

    class Retrying(Exception):
        pass

    def fake_retry(*, countdown, **kwargs):
        seen["countdown"] = countdown
        return Retrying()

    monkeypatch.setattr(event_dispatch, "retry", fake_retry)
    # As a worker runs it (not eager): the first and the last retry.
    for retries, expected in ((0, 30), (MAX_RETRIES - 1, 480)):
        event_dispatch.push_request(retries=retries, is_eager=False)
        try:
            with pytest.raises(Retrying):
                event_dispatch.run(event.pk)
        finally:
            event_dispatch.pop_request()
        assert seen["countdown"] == expected
    event.refresh_from_db()
    assert event.failed_at is None and event.handled_at is None
    # After the last retry it gives up and flags the event instead.
    event_dispatch.push_request(retries=MAX_RETRIES, is_eager=False)
    try:
        event_dispatch.run(event.pk)
    finally:
        event_dispatch.pop_request()
    event.refresh_from_db()
    assert event.failed_at is not None and event.handled_at is None
    assert HandledProcess.objects.get(event=event).attempts == 3


def test_event_without_deduction_gives_case_task_WF_2(
    utility_scenario, django_capture_on_commit_callbacks
):
    """WF-2: a mapped event naming only a case gives its supervisor one task for the case."""
    factories.EventProcessMappingFactory(
        event_type=EventType.LIABILITY_SETTLED, process="create_supervisor_task"
    )
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = services.event_record(
            event_type=EventType.LIABILITY_SETTLED, case_id=utility_scenario.case.pk
        )
    task = Task.objects.get(event=event)
    assert task.deduction is None
    assert task.assignee == utility_scenario.supervisor
    assert task.link == f"/cases/pdc/{utility_scenario.case.pk}/"
    assert utility_scenario.case.reference in task.subject
