"""Status lifecycle (CD-10) and activation (CD-11), with the outbox of WF-1.

Acceptance 4 of issue 5: every (status × action) pair is tried, through the services, the
model's django-fsm transitions and the REST API; what CD-10 does not allow is refused
(IllegalTransition / HTTP 409 with a German reason) and changes nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django_fsm import TransitionNotAllowed

from cases.models import CaseStatus, IntegratedCase, ProductDeliveryCase
from config.exceptions import IllegalTransition
from deductions import services
from deductions.models import Deduction, DeductionStatus
from tests.deductions.conftest import create, make_world
from workflow.models import WorkflowEvent

pytestmark = pytest.mark.django_db

S = DeductionStatus
STATES = [S.INACTIVE, S.ACTIVE, S.PROCESSED, S.SKIPPED, S.CANCELLED]
# CD-10: action → (states it may start from, resulting state)
ALLOWED = {
    "activate": ({S.INACTIVE}, S.ACTIVE),
    "deactivate": ({S.ACTIVE, S.PROCESSED, S.SKIPPED}, S.INACTIVE),
    "cancel": ({S.INACTIVE, S.ACTIVE}, S.CANCELLED),
    "mark_processed": ({S.ACTIVE, S.PROCESSED, S.SKIPPED}, S.PROCESSED),
    "mark_skipped": ({S.ACTIVE, S.PROCESSED, S.SKIPPED}, S.SKIPPED),
}
EVENTS = {
    "activate": "deduction_activated",
    "deactivate": "deduction_deactivated",
    "cancel": "deduction_cancelled",
}
SERVICE = {
    "activate": services.deduction_activate,
    "deactivate": services.deduction_deactivate,
    "cancel": services.deduction_cancel,
}


def in_state(world, state, processed_total="0.00"):
    """A deduction put into `state` directly (as payment runs and earlier actions would)."""
    deduction = create(world)
    Deduction.objects.filter(pk=deduction.pk).update(
        status=state,
        processed_total=Decimal(processed_total),
        activated_on=None if state == S.INACTIVE else date(2026, 2, 1),
    )
    WorkflowEvent.objects.all().delete()
    return Deduction.objects.get(pk=deduction.pk)


MATRIX = [(state, action) for state in STATES for action in ALLOWED]


@pytest.mark.parametrize(("state", "action"), MATRIX, ids=[f"{s}-{a}" for s, a in MATRIX])
def test_acceptance_4_state_action_matrix_CD_10(world, state, action):
    """CD-10 (acceptance 4): each status × action is allowed exactly as CD-10 says; a refused
    one raises, leaves the status and writes no event."""
    sources, target = ALLOWED[action]
    deduction = in_state(world, state)
    history_before = deduction.history.count()
    if action in SERVICE:
        call = lambda: SERVICE[action](deduction=deduction, user=world.user)  # noqa: E731
        if state in sources:
            result = call()
            assert result.status == target
            assert [e.event_type for e in WorkflowEvent.objects.all()] == [EVENTS[action]]
            assert deduction.history.count() == history_before + 1
        else:
            with pytest.raises(IllegalTransition) as info:
                call()
            assert info.value.http_status == 409
            assert info.value.message  # a German reason, never empty
            assert not WorkflowEvent.objects.exists()
            assert deduction.history.count() == history_before
            assert Deduction.objects.get(pk=deduction.pk).status == state
    else:
        # Processing transitions belong to payment runs, which call the model directly.
        method = getattr(deduction, action)
        kwargs = {"on": date(2026, 2, 9)}
        if action == "mark_processed":
            kwargs["amount"] = Decimal("10.00")
        if state in sources:
            method(**kwargs)
            assert deduction.status == target
        else:
            with pytest.raises(TransitionNotAllowed):
                method(**kwargs)
            assert deduction.status == state


@pytest.mark.parametrize(("state", "action"), [(s, a) for s in STATES for a in SERVICE])
def test_acceptance_4_matrix_over_api_CD_10(world, api, state, action):
    """CD-10 (acceptance 4): the API answers 200 for allowed and 409 with the reason for
    every other status × action pair."""
    deduction = in_state(world, state)
    response = api.post(f"/api/v1/deductions/{deduction.pk}/{action}/", {}, format="json")
    sources, target = ALLOWED[action]
    if state in sources:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == target
        assert WorkflowEvent.objects.count() == 1
    else:
        assert response.status_code == 409, response.content
        assert response.json()["detail"]
        assert not WorkflowEvent.objects.exists()
        assert Deduction.objects.get(pk=deduction.pk).status == state


@pytest.mark.parametrize("state", [S.ACTIVE, S.INACTIVE])
def test_cancel_refused_after_processing_CD_10(world, api, state):
    """CD-10: a deduction with any processed amount cannot be cancelled; the user is told to
    set the end date to the last payment date instead."""
    deduction = in_state(world, state, processed_total="12.50")
    Deduction.objects.filter(pk=deduction.pk).update(last_processed_on=date(2026, 3, 2))
    with pytest.raises(IllegalTransition) as info:
        services.deduction_cancel(deduction=deduction, user=world.user)
    assert "Enddatum" in info.value.message and "02.03.2026" in info.value.message
    response = api.post(f"/api/v1/deductions/{deduction.pk}/cancel/")
    assert response.status_code == 409 and "Enddatum" in response.json()["detail"]
    assert Deduction.objects.get(pk=deduction.pk).status == state
    assert not WorkflowEvent.objects.exists()


def test_edit_refused_only_when_cancelled_CD_10_CD_13(world):
    """CD-10 / CD-13: editing works in every status but cancelled."""
    for state in STATES:
        deduction = in_state(world, state)
        if state == S.CANCELLED:
            with pytest.raises(IllegalTransition):
                services.deduction_update(
                    deduction=deduction, user=world.user, end_date=date(2026, 5, 31)
                )
        else:
            updated = services.deduction_update(
                deduction=deduction, user=world.user, end_date=date(2026, 5, 31)
            )
            assert updated.end_date == date(2026, 5, 31) and updated.status == state


def test_status_cannot_be_set_directly_CD_10(world):
    """CD-10: the status field is protected; only transitions change it."""
    deduction = create(world)
    with pytest.raises(AttributeError):
        deduction.status = S.ACTIVE


# --- CD-11 ---------------------------------------------------------------------------------


def test_activation_at_creation_and_later_CD_11(world):
    """CD-11: activation at creation or later; it records the activation date."""
    now = create(world, activate=True)
    later = create(world)
    assert now.status == S.ACTIVE and now.activated_on is not None
    assert later.status == S.INACTIVE and later.activated_on is None
    later = services.deduction_activate(deduction=later, user=world.user)
    assert later.status == S.ACTIVE and later.activated_on is not None


@pytest.mark.parametrize(
    ("case_status", "words"),
    [
        (CaseStatus.OPEN, "nicht aktiv"),
        (CaseStatus.SUSPENDED, "ausgesetzt"),
        (CaseStatus.CLOSED, "geschlossen"),
    ],
)
def test_activation_refused_unless_case_active_CD_11(world, api, case_status, words):
    """CD-11: activation is refused with the reason when the case is not active."""
    deduction = create(world)
    WorkflowEvent.objects.all().delete()
    ProductDeliveryCase.objects.filter(pk=world.case.pk).update(status=case_status)
    with pytest.raises(IllegalTransition) as info:
        services.deduction_activate(deduction=deduction, user=world.user)
    assert words in info.value.message
    response = api.post(f"/api/v1/deductions/{deduction.pk}/activate/")
    assert response.status_code == 409 and words in response.json()["detail"]
    assert Deduction.objects.get(pk=deduction.pk).status == S.INACTIVE
    assert not WorkflowEvent.objects.exists()


def test_activation_refused_when_client_no_longer_entitled_CD_11(world):
    """CD-11: the deduction's start after the case's expected end, a closed integrated case
    or a deceased client: no entitlement, activation refused with the reason."""
    deduction = create(world, start_date=date(2026, 6, 1), end_date=date(2026, 6, 30))
    ProductDeliveryCase.objects.filter(pk=world.case.pk).update(expected_end_date=date(2026, 5, 23))
    with pytest.raises(IllegalTransition) as info:
        services.deduction_activate(deduction=deduction, user=world.user)
    assert "23.05.2026" in info.value.message
    ProductDeliveryCase.objects.filter(pk=world.case.pk).update(expected_end_date=None)
    IntegratedCase.objects.filter(pk=world.case.integrated_case_id).update(status="closed")
    with pytest.raises(IllegalTransition):
        services.deduction_activate(deduction=deduction, user=world.user)
    IntegratedCase.objects.filter(pk=world.case.integrated_case_id).update(status="open")
    world.thomas.date_of_death = date(2026, 3, 1)
    world.thomas.save()
    with pytest.raises(IllegalTransition) as info:
        services.deduction_activate(deduction=deduction, user=world.user)
    assert "verstorben" in info.value.message
    assert Deduction.objects.get(pk=deduction.pk).status == S.INACTIVE


def test_refused_activation_at_creation_writes_nothing_CD_11(caseworker):
    """CD-11: "activate now" on a case that is not active refuses the whole creation."""
    world = make_world(caseworker, case_status=CaseStatus.SUSPENDED)
    with pytest.raises(IllegalTransition):
        create(world, activate=True)
    assert not Deduction.objects.exists() and not WorkflowEvent.objects.exists()


def test_deactivated_deduction_keeps_priority_CD_10_CD_9(world):
    """CD-10 / CD-9: deactivation keeps the deduction in the priority sequence."""
    a = create(world, activate=True)
    b = create(world, priority=services.AUTOMATIC)
    services.deduction_deactivate(deduction=a, user=world.user)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.priority, b.priority) == (1, 2)
