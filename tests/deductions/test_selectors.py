"""Reads of case deductions: the case views (CD-14), a person's deductions, the merged
history (CD-15) and the business status (CD-16)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import Liability
from deductions import selectors, services
from deductions.models import BusinessStatus, Deduction, DeductionStatus
from payments.models import Payment
from tests import factories
from tests.deductions.conftest import create

pytestmark = pytest.mark.django_db


def ids(qs):
    return {d.pk for d in qs}


# --- CD-14 ---------------------------------------------------------------------------------


def test_case_views_show_what_is_or_was_active_CD_14(world):
    """CD-14 (b): active & cancelled, applied & unapplied, third party — each also shows
    deductions that were once active; never-activated drafts only in the full list."""
    draft = create(world)
    active = create(world, activate=True)
    was_active = create(world, activate=True)
    services.deduction_deactivate(deduction=was_active, user=world.user)
    cancelled_draft = create(world)
    services.deduction_cancel(deduction=cancelled_draft, user=world.user)
    applied = create(world, "applied", activate=True)
    third = create(world, "third_party", activate=True)
    third_draft = create(world, "third_party")

    every = ids(selectors.case_deductions(case=world.case))
    assert every == {
        draft.pk,
        active.pk,
        was_active.pk,
        cancelled_draft.pk,
        applied.pk,
        third.pk,
        third_draft.pk,
    }
    assert ids(selectors.case_deductions(case=world.case, view="active")) == {
        active.pk,
        was_active.pk,
        cancelled_draft.pk,
        applied.pk,
        third.pk,
    }
    assert ids(selectors.case_deductions(case=world.case, view="applied")) == {
        active.pk,
        was_active.pk,
        applied.pk,
    }
    assert ids(selectors.case_deductions(case=world.case, view="third_party")) == {third.pk}


def test_case_list_orders_by_priority_cancelled_last_CD_14(world):
    """CD-14 (a): the list in priority order, cancelled ones after the live sequence."""
    a = create(world, priority=services.AUTOMATIC)
    b = create(world, priority=services.AUTOMATIC)
    c = create(world, priority=services.AUTOMATIC)
    services.deduction_cancel(deduction=a, user=world.user)
    order = [d.pk for d in selectors.case_deductions(case=world.case)]
    assert order == [b.pk, c.pk, a.pk]


def test_person_deductions_cover_all_cases_as_primary_client_CD_14(world):
    """CD-14 (c): every deduction on every case where the person is primary client — not
    where they are only a nominee."""
    mine = create(world)
    second_case = factories.ProductDeliveryCaseFactory(
        integrated_case=world.case.integrated_case, product=world.product
    )
    factories.NomineeFactory(case=second_case, participant=world.thomas)
    other = services.deduction_create(
        case=second_case,
        deduction_type=world.unapplied,
        user=world.user,
        amount=Decimal("40.00"),
        nominee=world.thomas,
        start_date=date(2026, 2, 1),
        end_date=date(2026, 3, 1),
    )
    assert ids(selectors.person_deductions(participant=world.thomas)) == {mine.pk, other.pk}
    assert ids(selectors.person_deductions(participant=world.linda)) == set()
    assert ids(selectors.deduction_list(primary_client=world.thomas.pk)) == {mine.pk, other.pk}


# --- CD-16 ---------------------------------------------------------------------------------


def test_business_status_CD_16(world):
    """CD-16: pending before the start, expired after the end, liability settled once the
    applied liability is settled, otherwise in force."""
    deduction = create(world, "applied", start_date=date(2026, 2, 1), end_date=date(2026, 6, 30))
    services.deduction_activate(deduction=deduction, user=world.user)
    deduction = Deduction.objects.select_related("liability").get(pk=deduction.pk)
    assert deduction.business_status_on(date(2026, 1, 31)) == BusinessStatus.PENDING
    assert deduction.business_status_on(date(2026, 2, 1)) == BusinessStatus.IN_FORCE
    assert deduction.business_status_on(date(2026, 6, 30)) == BusinessStatus.IN_FORCE
    assert deduction.business_status_on(date(2026, 7, 1)) == BusinessStatus.EXPIRED
    Liability.objects.filter(pk=world.liability.pk).update(
        outstanding_amount=Decimal("0.00"), status="settled"
    )
    deduction = Deduction.objects.select_related("liability").get(pk=deduction.pk)
    assert deduction.business_status_on(date(2026, 3, 1)) == BusinessStatus.LIABILITY_SETTLED


_BEFORE, _WITHIN, _AFTER = date(2026, 1, 31), date(2026, 3, 1), date(2026, 7, 1)
_P, _F, _E, _S = (
    BusinessStatus.PENDING,
    BusinessStatus.IN_FORCE,
    BusinessStatus.EXPIRED,
    BusinessStatus.LIABILITY_SETTLED,
)


@pytest.mark.parametrize(
    ("status", "before", "within", "after", "settled"),
    [
        (DeductionStatus.INACTIVE, _P, None, _E, _S),
        (DeductionStatus.ACTIVE, _P, _F, _E, _S),
        (DeductionStatus.PROCESSED, _P, _F, _E, _S),
        (DeductionStatus.SKIPPED, _P, _F, _E, _S),
        (DeductionStatus.CANCELLED, None, None, None, None),
    ],
)
def test_business_status_matrix_status_by_date_CD_16(world, status, before, within, after, settled):
    """CD-16 for every status × date: only a deduction that takes part in processing is
    "In Kraft"; an inactive one within its period has no business status, a cancelled one
    never has one (never "In Kraft"); pending / expired / liability settled otherwise."""
    deduction = create(world, "applied", start_date=date(2026, 2, 1), end_date=date(2026, 6, 30))
    Deduction.objects.filter(pk=deduction.pk).update(status=status)
    deduction = Deduction.objects.select_related("liability").get(pk=deduction.pk)
    assert deduction.business_status_on(_BEFORE) == before
    assert deduction.business_status_on(_WITHIN) == within
    assert deduction.business_status_on(_AFTER) == after
    Liability.objects.filter(pk=world.liability.pk).update(
        outstanding_amount=Decimal("0.00"), status="settled"
    )
    deduction = Deduction.objects.select_related("liability").get(pk=deduction.pk)
    assert deduction.business_status_on(_WITHIN) == settled


def test_business_status_cancelled_not_in_force_on_pages_and_api_CD_16(world, api, client):
    """CD-16: a cancelled or deactivated deduction within its period never reads "In Kraft"
    on the detail page, the case list or the API (business_status null, shown as "–")."""
    today = timezone.localdate()
    from cases.models import ProductDeliveryCase

    ProductDeliveryCase.objects.filter(pk=world.case.pk).update(
        expected_end_date=today + timedelta(days=400)
    )
    cancelled = create(world, start_date=today, end_date=today + timedelta(days=30))
    services.deduction_cancel(deduction=cancelled, user=world.user)
    inactive = create(world, start_date=today, end_date=today + timedelta(days=30))
    for deduction in (cancelled, inactive):
        body = api.get(f"/api/v1/deductions/{deduction.pk}/").json()
        assert (body["business_status"], body["business_status_display"]) == (None, None)
        client.force_login(world.user)
        page = client.get(f"/deductions/{deduction.pk}/").content.decode()
        assert "In Kraft" not in page


def test_business_status_display_beside_status_CD_16(world, api):
    """CD-16: the API shows the business status and its German label beside the status."""
    today = timezone.localdate()
    pending = create(
        world,
        start_date=today + timedelta(days=2),
        end_date=today + timedelta(days=3),
    )
    from cases.models import ProductDeliveryCase

    ProductDeliveryCase.objects.filter(pk=world.case.pk).update(
        expected_end_date=today + timedelta(days=400)
    )
    body = api.get(f"/api/v1/deductions/{pending.pk}/").json()
    assert (body["business_status"], body["business_status_display"]) == (
        "pending",
        "Ausstehend",
    )
    assert body["status_display"] == "Inaktiv"


# --- CD-15 ---------------------------------------------------------------------------------


def _processing(deduction, *, status, amount, reason="", outstanding=None, original=None):
    payment = factories.BenefitPaymentFactory(
        case=deduction.case,
        period_start=date(2026, 2, 2) + timedelta(days=7 * Payment.objects.count()),
        period_end=date(2026, 2, 8) + timedelta(days=7 * Payment.objects.count()),
        effective_date=date(2026, 2, 9),
        net=Decimal("90.00"),
    )
    return factories.DeductionProcessingFactory(
        deduction=deduction,
        payment=payment,
        status=status,
        amount=Decimal(amount),
        reason=reason,
        balance_after=Decimal("20.00"),
        liability=deduction.liability,
        liability_outstanding_after=outstanding,
        liability_original=original,
    )


def test_history_merges_own_history_and_processing_CD_15(world):
    """CD-15: creation, activation, edit, processing, skip (with reason), deactivation and
    cancellation, each with date and status; processing rows carry the payment and the
    liability's amounts; the processing run's own status saves do not show twice."""
    deduction = create(world, "applied")
    services.deduction_activate(deduction=deduction, user=world.user)
    services.deduction_update(deduction=deduction, user=world.user, percentage=Decimal("4.00"))
    line = _processing(
        deduction,
        status="processed",
        amount="4.00",
        outstanding=Decimal("496.00"),
        original=Decimal("500.00"),
    )
    # What a payment run does to the deduction itself (simple-history row of "processed").
    fresh = Deduction.objects.get(pk=deduction.pk)
    fresh.mark_processed(amount=Decimal("4.00"), on=date(2026, 2, 9))
    fresh.save()
    skip = _processing(deduction, status="skipped", amount="0.00", reason="insufficient_balance")
    services.deduction_deactivate(deduction=deduction, user=world.user)

    entries = selectors.deduction_history(deduction=deduction)
    assert [e.event for e in entries] == [
        "created",
        "activated",
        "modified",
        "processed",
        "skipped",
        "deactivated",
    ]
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    created, activated, modified, processed, skipped, deactivated = entries
    assert created.user == world.user.username and created.status == "inactive"
    assert activated.status == "active"
    assert modified.percentage == Decimal("4.00")
    assert created.liability_outstanding == Decimal("500.00")
    assert created.liability_original == Decimal("500.00")
    assert processed.payment == line.payment_id and processed.amount == Decimal("4.00")
    assert processed.liability_outstanding == Decimal("496.00")
    assert skipped.reason == "insufficient_balance" and skipped.payment == skip.payment_id
    assert "reicht" in skipped.reason_display
    assert deactivated.status == "inactive"


def test_history_api_fields_CD_15(world, api):
    """CD-15: GET /deductions/{id}/history/ lists {date, user, event, status, amount, reason,
    payment, liability_outstanding, liability_original}."""
    deduction = create(world, activate=True)
    services.deduction_cancel(deduction=deduction, user=world.user, reason="Irrtum")
    response = api.get(f"/api/v1/deductions/{deduction.pk}/history/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    first = body["results"][0]
    for key in (
        "date",
        "user",
        "event",
        "status",
        "amount",
        "reason",
        "payment",
        "liability_outstanding",
        "liability_original",
    ):
        assert key in first
    assert [r["event"] for r in body["results"]] == ["created", "activated", "cancelled"]
    assert first["amount"] == "40.00" and first["user"] == world.user.username
    assert body["results"][2]["reason"] == "Irrtum"
    assert body["results"][2]["status"] == DeductionStatus.CANCELLED


def test_history_keeps_edit_saved_with_run_status_change_CD_15(world):
    """CD-15: a payment run moves the status without a history row, so the next edit's row
    also carries that status change. The edit (priority 2 → 3) is kept; only the status
    change, told by the processing row, is not repeated."""
    create(world, priority="automatic")
    deduction = create(world, priority="automatic")
    create(world, priority="automatic")
    assert deduction.priority == 2
    services.deduction_activate(deduction=deduction, user=world.user)
    _processing(deduction, status="processed", amount="4.00")
    Deduction.objects.filter(pk=deduction.pk).update(
        status=DeductionStatus.PROCESSED, processed_total=Decimal("4.00")
    )
    services.deduction_update(deduction=deduction, user=world.user, priority=3)
    services.deduction_update(deduction=deduction, user=world.user, priority=2)

    entries = selectors.deduction_history(deduction=deduction)
    assert [e.event for e in entries] == [
        "created",
        "activated",
        "processed",
        "modified",
        "modified",
    ]
    first_edit, second_edit = entries[3], entries[4]
    assert list(first_edit.changes.values()) == [(2, 3)]
    assert list(second_edit.changes.values()) == [(3, 2)]
    assert first_edit.status == DeductionStatus.PROCESSED


def test_history_outstanding_only_where_known_CD_15(world):
    """CD-15: payment runs do not write the liability's history, so after the liability
    was processed an edit row shows no outstanding amount (the processing rows carry it)
    instead of jumping back to the original amount; before that it is the liability's."""
    deduction = create(world, "applied")
    services.deduction_activate(deduction=deduction, user=world.user)
    _processing(
        deduction,
        status="processed",
        amount="4.00",
        outstanding=Decimal("496.00"),
        original=Decimal("500.00"),
    )
    Deduction.objects.filter(pk=deduction.pk).update(
        status=DeductionStatus.PROCESSED, processed_total=Decimal("4.00")
    )
    services.deduction_update(deduction=deduction, user=world.user, percentage=Decimal("4.00"))

    created, activated, processed, modified = selectors.deduction_history(deduction=deduction)
    assert created.liability_outstanding == Decimal("500.00")
    assert processed.liability_outstanding == Decimal("496.00")
    assert modified.event == "modified"
    assert modified.liability_outstanding is None
    assert modified.liability_original == Decimal("500.00")
