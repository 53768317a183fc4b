"""Tasks for skipped deductions (PAY-10, WF-1..3): the German reason, and one task per
deduction and payment run — not one per nominee and period."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import translation

from deductions.selectors import deduction_history
from payments.services import payment_run_process_inline, payment_run_start
from tests import factories
from tests.payments.builders import add_deduction, build_case
from workflow import services
from workflow.models import EventType, Task, WorkflowEvent

pytestmark = pytest.mark.django_db

SETTLED = "Die Verbindlichkeit ist bereits beglichen."
INSUFFICIENT = "Der verbleibende Leistungsbetrag reicht für den Abzug nicht aus."


def _run(run_date, callbacks):
    with callbacks(execute=True):
        run, _ = payment_run_start(run_date=run_date, enqueue=False)
        return payment_run_process_inline(run=run)


@pytest.fixture
def settled_all_nominees(default_mappings):
    """Thomas 100 and Linda 50; an applied 10 % on all nominees whose liability is
    already settled, so every line of it is skipped as liability_settled."""
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    liability = factories.LiabilityFactory(
        participant=setup.thomas,
        original_amount=Decimal("15.00"),
        outstanding_amount=Decimal("0.00"),
        status="settled",
        settled_on=date(2026, 1, 1),
    )
    deduction = add_deduction(
        setup,
        name="Überzahlung",
        category="applied",
        percentage="10",
        all_nominees=True,
        liability=liability,
    )
    return setup, deduction


def test_skip_task_states_the_german_reason_not_the_code_PAY_10_WF_3(
    utility_scenario, django_capture_on_commit_callbacks
):
    """WF-3, glossary: the task of a skipped deduction gives the reason as the German
    sentence; an event carrying only the code is mapped to it as well."""
    deduction = utility_scenario.deductions[0]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = services.event_record(
            event_type=EventType.DEDUCTION_SKIPPED,
            deduction_id=deduction.pk,
            case_id=deduction.case_id,
            payload={"reason": "liability_settled"},
        )
    task = Task.objects.get(event=event)
    assert f"Grund: {SETTLED}" in task.description
    assert "liability_settled" not in task.description


def test_all_nominees_deduction_skipped_in_a_run_gives_one_task_PAY_10_WF_1_WF_3(
    settled_all_nominees, django_capture_on_commit_callbacks
):
    """PAY-10, WF-1, WF-3: a deduction on all nominees skipped in two periods writes a
    processing row per nominee and period, but raises one skip event (outbox) naming all
    of them, and its supervisor gets one task with the German reason, the periods and the
    nominees. The same date again adds nothing; the next run's skip gives a new task."""
    setup, deduction = settled_all_nominees
    _run(date(2026, 1, 19), django_capture_on_commit_callbacks)
    assert deduction.processing_history.filter(status="skipped").count() == 4
    event = WorkflowEvent.objects.get(
        event_type=EventType.DEDUCTION_SKIPPED, deduction_id=deduction.pk
    )
    assert event.handled_at is not None
    assert event.payload["reason"] == "liability_settled"
    assert event.payload["nominees"] == [setup.thomas.pk, setup.linda.pk]
    assert len(event.payload["lines"]) == 4
    task = Task.objects.get(deduction=deduction)
    assert task.event == event
    assert task.assignee == setup.case.case_supervisor
    assert f"Grund: {SETTLED}" in task.description
    assert "liability_settled" not in task.description
    assert "2 Zahlungszeiträumen vom 05.01.2026 bis 18.01.2026" in task.description
    assert "Thomas Müller" in task.description and "Linda Müller" in task.description

    _run(date(2026, 1, 19), django_capture_on_commit_callbacks)
    assert Task.objects.filter(deduction=deduction).count() == 1
    services.events_redispatch(event_ids=[event.pk])
    assert Task.objects.filter(deduction=deduction).count() == 1

    _run(date(2026, 1, 26), django_capture_on_commit_callbacks)
    tasks = Task.objects.filter(deduction=deduction).order_by("id")
    assert tasks.count() == 2
    assert "1 Zahlungszeitraum vom 19.01.2026 bis 25.01.2026" in tasks.last().description


def test_skip_with_amounts_names_them_in_rows_history_and_task_PAY_9_PAY_10_CD_15(
    default_mappings, django_capture_on_commit_callbacks
):
    """PAY-9, PAY-10, CD-15, WF-3: Thomas 100 at 30 %: Strom 20 leaves 10, so Gas 40 is
    skipped. The processing rows keep needed 40 and available 10, the history and the
    supervisor's task give the glossary sentence followed by them; the event's stored
    sentence stays the plain one."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    gas = add_deduction(setup, name="Gas", amount="40", nominee="thomas")
    _run(date(2026, 1, 12), django_capture_on_commit_callbacks)

    amounts = " (benötigt 40,00 €, verfügbar 10,00 €)"
    row = gas.processing_history.get()
    assert (row.needed_amount, row.limit_amount) == (Decimal("40.00"), Decimal("10.00"))
    (skipped,) = [e for e in deduction_history(deduction=gas) if e.event == "skipped"]
    assert skipped.reason_display == f"{INSUFFICIENT}{amounts}"

    event = WorkflowEvent.objects.get(event_type=EventType.DEDUCTION_SKIPPED, deduction_id=gas.pk)
    assert event.payload["reason_text"] == INSUFFICIENT
    assert event.payload["lines"][0]["needed_amount"] == "40.00"
    task = Task.objects.get(deduction=gas)
    assert f"Grund: {INSUFFICIENT}{amounts}" in task.description
    assert f"Grund: {INSUFFICIENT}{amounts}" in task.description_display
    with translation.override("en"):
        assert (
            "The remaining benefit amount is not enough for the deduction. "
            "(needed 40.00 €, available 10.00 €)"
        ) in task.description_display

    # A row of a run before the amounts were kept shows the plain sentence.
    row.needed_amount = row.limit_amount = None
    row.save()
    (skipped,) = [e for e in deduction_history(deduction=gas) if e.event == "skipped"]
    assert skipped.reason_display == INSUFFICIENT
