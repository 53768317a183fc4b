"""deduction_create / deduction_update (CD-1..CD-9, CD-13, DT-2, DT-4, TP-5, WF-1).

Given the world of conftest (an active case of Thomas Schmidt with nominees Thomas and
Linda, linked types "Geldstrafe" (unapplied, 30..50, max 20 %), "Überzahlung" (applied,
max 5 %) and "Strom" (third party, max 10 %)), each test creates or edits through the
services and checks what was written — and, for refusals, that nothing was."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import CaseMember, CaseStatus, MemberRole, ProductDeliveryCase
from config.exceptions import IllegalTransition, ValidationFailed
from deductions import services
from deductions.models import Deduction, DeductionStatus
from products.models import DeductionCategory
from tests import factories
from tests.deductions.conftest import create, events, make_world
from workflow.models import WorkflowEvent

pytestmark = pytest.mark.django_db


def assert_nothing_written(members_before=None):
    assert not Deduction.objects.exists()
    assert not Deduction.history.exists()
    assert not WorkflowEvent.objects.exists()
    if members_before is not None:
        assert CaseMember.objects.count() == members_before


def refused(field, call):
    with pytest.raises(ValidationFailed) as info:
        call()
    assert field in info.value.errors, info.value.errors
    return info.value


def live_priorities(case):
    return list(
        Deduction.objects.filter(case=case)
        .exclude(status=DeductionStatus.CANCELLED)
        .order_by("priority")
        .values_list("priority", flat=True)
    )


# --- CD-1 / CD-2 ---------------------------------------------------------------------------


def test_case_may_hold_any_number_of_deductions_CD_1(world):
    """CD-1: deductions are created by a user on a product delivery case, any number."""
    made = [create(world) for _ in range(3)]
    assert [d.case_id for d in made] == [world.case.pk] * 3
    assert {d.created_by for d in made} == {world.user}
    assert all(d.status == DeductionStatus.INACTIVE for d in made)


def test_closed_case_refuses_new_deductions_CD_1(world):
    """CD-1: a closed case takes no new deductions (400 on case), nothing written."""
    ProductDeliveryCase.objects.filter(pk=world.case.pk).update(status=CaseStatus.CLOSED)
    refused("case", lambda: create(world))
    assert_nothing_written()


def test_type_must_be_linked_to_case_product_CD_2_DT_10(world):
    """CD-2 / DT-10: a type not linked to the case's product is refused."""
    unlinked = factories.DeductionTypeFactory(category=DeductionCategory.UNAPPLIED)
    refused("deduction_type", lambda: create(world, deduction_type=unlinked))
    assert_nothing_written()


def test_type_must_belong_to_chosen_category_CD_2(world):
    """CD-2: creation starts with the category; a type of another category is refused."""
    refused("deduction_type", lambda: create(world, category=DeductionCategory.APPLIED))
    deduction = create(world, category=DeductionCategory.UNAPPLIED)
    assert deduction.category == DeductionCategory.UNAPPLIED


# --- CD-3 applied --------------------------------------------------------------------------


def test_applied_single_open_liability_is_taken_automatically_CD_3(world):
    """CD-3: with exactly one open liability the holder's liability is chosen for the user."""
    deduction = create(world, "applied")
    assert deduction.liability == world.liability
    assert deduction.liability_holder == world.thomas


def test_applied_several_open_liabilities_require_choice_CD_3(world):
    """CD-3: more than one open liability → the liability is required."""
    second = factories.LiabilityFactory(participant=world.thomas)
    refused("liability", lambda: create(world, "applied"))
    assert_nothing_written()
    deduction = create(world, "applied", liability=second)
    assert deduction.liability == second


def test_applied_liability_must_be_holders_and_open_CD_3_LI_1(world):
    """CD-3 / LI-1: someone else's or a settled liability is refused."""
    foreign = factories.LiabilityFactory(participant=world.linda)
    refused("liability", lambda: create(world, "applied", liability=foreign))
    settled = factories.LiabilityFactory(
        participant=world.thomas, outstanding_amount=Decimal("0.00"), status="settled"
    )
    refused("liability", lambda: create(world, "applied", liability=settled))
    nothing = factories.PersonFactory()
    refused("liability", lambda: create(world, "applied", liability_holder=nothing))
    assert_nothing_written()


def test_applied_holder_type_must_be_allowed_CD_3_DT_8(world):
    """CD-3 / DT-8: the holder must be of an allowed participant type."""
    employer = factories.ParticipantFactory(type="employer")
    factories.LiabilityFactory(participant=employer)
    refused("liability_holder", lambda: create(world, "applied", liability_holder=employer))
    assert_nothing_written()


def test_applied_holder_may_be_other_participant_and_joins_case_CD_3(world):
    """CD-3: the holder may be another participant (not a case member); they join the
    case's members as liability holder."""
    other = factories.PersonFactory(name="Rita Fremd")
    liability = factories.LiabilityFactory(participant=other)
    deduction = create(world, "applied", liability_holder=other)
    assert deduction.liability == liability
    assert CaseMember.objects.filter(
        integrated_case=world.case.integrated_case,
        participant=other,
        role=MemberRole.LIABILITY_HOLDER,
    ).exists()


def test_applied_liability_alone_names_its_holder_CD_3(world):
    """CD-3: giving only the liability implies its participant as holder."""
    deduction = create(world, "applied", liability_holder=None, liability=world.liability)
    assert deduction.liability_holder == world.thomas


# --- CD-4 third party, TP-5 ------------------------------------------------------------------


def test_third_party_payee_becomes_case_member_TP_5_CD_4(world):
    """TP-5 / CD-4: the payee becomes a case participant, once, with account and reference."""
    first = create(world, "third_party")
    create(world, "third_party")
    assert first.third_party_account_number == "DE02120300000000202051"
    assert first.third_party_reference == "STROM-4711"
    members = CaseMember.objects.filter(
        integrated_case=world.case.integrated_case,
        participant=world.utility,
        role=MemberRole.THIRD_PARTY_PAYEE,
    )
    assert members.count() == 1


def test_third_party_payee_type_account_and_reference_required_CD_4_DT_8(world):
    """CD-4: payee of an allowed type, account number and reference number are required."""
    before = CaseMember.objects.count()
    person = factories.PersonFactory()
    refused("third_party", lambda: create(world, "third_party", third_party=person))
    refused("third_party", lambda: create(world, "third_party", third_party=None))
    error = refused(
        "third_party_account_number",
        lambda: create(
            world, "third_party", third_party_account_number=" ", third_party_reference=""
        ),
    )
    assert "third_party_reference" in error.errors
    assert_nothing_written(before)


def test_third_party_ended_payee_refused_CD_4_PT_3(world):
    """CD-4 / PT-3: a payee who has ended cannot receive new deductions."""
    ended = factories.UtilityFactory(end_date=date(2026, 1, 1))
    refused("third_party", lambda: create(world, "third_party", third_party=ended))
    assert_nothing_written()


def test_deduction_of_ended_payee_can_still_be_ended_TP_1_CD_13(world):
    """TP-1 / CD-13: once its payee has ended, the deduction keeps its payee and can still
    be edited (the supervisor ends it); moving it to another ended payee is refused."""
    deduction = create(world, "third_party")
    world.utility.end_date = date(2026, 5, 31)
    world.utility.save()
    updated = services.deduction_update(
        deduction=deduction, user=world.user, end_date=date(2026, 5, 31)
    )
    assert updated.end_date == date(2026, 5, 31) and updated.third_party == world.utility
    other_ended = factories.UtilityFactory(end_date=date(2026, 1, 1))
    refused(
        "third_party",
        lambda: services.deduction_update(
            deduction=deduction, user=world.user, third_party=other_ended
        ),
    )


# --- CD-5 unapplied --------------------------------------------------------------------------


def test_unapplied_takes_no_category_details_CD_5(world):
    """CD-5: unapplied needs nothing more; details of other categories are refused."""
    deduction = create(world)
    assert deduction.liability is None and deduction.third_party is None
    refused("third_party", lambda: create(world, third_party=world.utility))
    refused("liability", lambda: create(world, liability=world.liability))
    assert Deduction.objects.count() == 1


# --- CD-6, DT-2, DT-4 --------------------------------------------------------------------------


def test_amount_xor_percentage_CD_6(world):
    """CD-6: exactly one of amount and percentage."""
    refused("amount", lambda: create(world, amount=None))
    refused("amount", lambda: create(world, percentage=Decimal("5.00")))
    refused("amount", lambda: create(world, amount=Decimal("0.00")))
    refused("amount", lambda: create(world, amount=Decimal("40.001")))
    assert_nothing_written()


@pytest.mark.parametrize(
    ("amount", "ok"),
    [("51.00", False), ("50.00", True), ("30.00", True), ("29.00", False), ("29.99", False)],
    ids=["51-over-max", "50-max", "30-min", "29-under-min", "29.99-under-min"],
)
def test_fixed_amount_within_type_limits_DT_2_CD_6(world, amount, ok):
    """DT-2: max 50 refuses 51; min 30 refuses 29 (400 on amount)."""
    if ok:
        assert create(world, amount=Decimal(amount)).amount == Decimal(amount)
    else:
        error = refused("amount", lambda: create(world, amount=Decimal(amount)))
        assert "Abzugsbetrag" in error.errors["amount"][0]
        assert_nothing_written()


@pytest.mark.parametrize(("percentage", "ok"), [("6.00", False), ("5.00", True), ("5.01", False)])
def test_percentage_within_type_maximum_DT_4_CD_6(world, percentage, ok):
    """DT-4: max 5 % refuses 6 % (400 on percentage)."""
    call = lambda: create(world, "applied", percentage=Decimal(percentage))  # noqa: E731
    if ok:
        assert call().percentage == Decimal(percentage)
    else:
        refused("percentage", call)
        assert_nothing_written()


# --- CD-7 assignment ---------------------------------------------------------------------------

ASSIGNMENTS = ["nominee", "all", "component", "none"]
# (category, fixed) → allowed assignments (seed table 1)
TABLE = {
    ("unapplied", True): {"nominee"},
    ("unapplied", False): {"nominee", "all", "component", "none"},
    ("applied", True): {"nominee"},
    ("applied", False): {"nominee", "all", "component", "none"},
    ("third_party", True): {"nominee"},
    ("third_party", False): {"nominee", "all", "component"},
}


@pytest.mark.parametrize(
    ("category", "fixed", "assignment"),
    [(c, f, a) for (c, f) in TABLE for a in ASSIGNMENTS],
    ids=[f"{c}-{'fixed' if f else 'variable'}-{a}" for (c, f) in TABLE for a in ASSIGNMENTS],
)
def test_assignment_table_CD_7(world, category, fixed, assignment):
    """CD-7: the assignment table by category and kind; refusals name the field."""
    kwargs = {
        "nominee": world.thomas if assignment == "nominee" else None,
        "component": world.thomas_component if assignment == "component" else None,
        "all_nominees": assignment == "all",
    }
    if fixed:
        kwargs.update(amount=Decimal("40.00"), percentage=None)
    else:
        kwargs.update(amount=None, percentage=Decimal("5.00"))
    call = lambda: create(world, category, **kwargs)  # noqa: E731
    if assignment in TABLE[(category, fixed)]:
        deduction = call()
        assert deduction.nominee == kwargs["nominee"]
        assert deduction.component == kwargs["component"]
        assert deduction.all_nominees is kwargs["all_nominees"]
    else:
        field = {"all": "all_nominees", "component": "component", "none": "nominee"}[assignment]
        refused(field, call)
        assert_nothing_written()


def test_assignment_must_belong_to_case_CD_7(world):
    """CD-7: the nominee must be a nominee of the case, the component the case's."""
    stranger = factories.PersonFactory()
    refused("nominee", lambda: create(world, nominee=stranger))
    foreign_component = factories.CaseComponentFactory()
    refused(
        "component",
        lambda: create(
            world,
            amount=None,
            percentage=Decimal("5.00"),
            nominee=None,
            component=foreign_component,
        ),
    )
    refused(
        "component",
        lambda: create(
            world,
            amount=None,
            percentage=Decimal("5.00"),
            nominee=world.thomas,
            component=world.thomas_component,
        ),
    )
    assert_nothing_written()


# --- CD-8 period ------------------------------------------------------------------------------


def test_period_dates_required_and_ordered_CD_8(world):
    """CD-8: both dates required; start ≤ end."""
    refused("start_date", lambda: create(world, start_date=None))
    refused("end_date", lambda: create(world, end_date=None))
    refused(
        "end_date", lambda: create(world, start_date=date(2026, 3, 2), end_date=date(2026, 3, 1))
    )
    assert create(world, start_date=date(2026, 3, 1), end_date=date(2026, 3, 1)).pk
    assert Deduction.objects.count() == 1


# --- acceptance 2 of issue 5 --------------------------------------------------------------------


@pytest.fixture
def may_world(caseworker):
    return make_world(caseworker, expected_end=date(2026, 5, 23))


def test_acceptance_2_start_after_expected_end_refused_CD_8(may_world):
    """CD-8 (acceptance 2): expected end 23 May → start 24 May refused on start_date."""
    error = refused(
        "start_date",
        lambda: create(may_world, start_date=date(2026, 5, 24), end_date=date(2026, 6, 30)),
    )
    assert "23.05.2026" in error.errors["start_date"][0]
    assert_nothing_written()
    assert create(may_world, start_date=date(2026, 5, 23), end_date=date(2026, 6, 30)).pk


def test_acceptance_2_fixed_on_all_nominees_refused_CD_7(may_world):
    """CD-7 (acceptance 2): a fixed deduction assigned to all nominees is refused."""
    refused("all_nominees", lambda: create(may_world, nominee=None, all_nominees=True))
    assert_nothing_written()


def test_acceptance_2_third_party_variable_without_assignment_refused_CD_7(may_world):
    """CD-7 (acceptance 2): third-party variable with no assignment is refused."""
    before = CaseMember.objects.count()
    refused("nominee", lambda: create(may_world, "third_party", all_nominees=False))
    assert_nothing_written(before)


def test_acceptance_2_percentage_above_type_maximum_refused_DT_4(may_world):
    """DT-4 (acceptance 2): a percentage above the type's maximum is refused."""
    refused("percentage", lambda: create(may_world, "third_party", percentage=Decimal("10.01")))
    assert_nothing_written()


# --- CD-9 priority ------------------------------------------------------------------------------


def test_priority_null_takes_link_priority_and_resequences_CD_9_DT_11(world):
    """CD-9: without a priority the product link's priority is the wanted position."""
    # Link priorities: Geldstrafe 1, Überzahlung 2, Strom 3.
    strom = create(world, "third_party")
    assert strom.priority == 1  # link says 3, but the case has only one deduction
    geld = create(world)
    strom.refresh_from_db()
    assert (geld.priority, strom.priority) == (1, 2)
    ueber = create(world, "applied")
    strom.refresh_from_db()
    assert (geld.priority, ueber.priority, strom.priority) == (1, 2, 3)


def test_new_link_at_type_priority_prefills_new_deductions_only_CD_9_DT_11(world):
    """CD-9, DT-11: a type created at type priority 1 and linked takes link priority 1
    (the product's other links shift); the case's existing deductions keep their
    priorities, and a new deduction of that type is prefilled from its link: 1."""
    from products import services as product_services
    from products.models import ProductDeductionType

    geld = create(world)
    strom = create(world, "third_party")
    assert (geld.priority, strom.priority) == (1, 2)
    support = product_services.deduction_type_create(
        name="Kindesunterhalt", category=DeductionCategory.UNAPPLIED, priority=1
    )
    link = product_services.product_link_add(product=world.product, deduction_type=support)
    assert link.priority == 1
    links = ProductDeductionType.objects.filter(product=world.product).order_by("priority")
    assert [x.deduction_type_id for x in links] == [
        support.pk, world.unapplied.pk, world.applied.pk, world.third_party.pk,
    ]  # fmt: skip
    geld.refresh_from_db()
    strom.refresh_from_db()
    assert (geld.priority, strom.priority) == (1, 2)
    new = create(world, deduction_type=support, amount=Decimal("10.00"))
    geld.refresh_from_db()
    strom.refresh_from_db()
    assert (new.priority, geld.priority, strom.priority) == (1, 2, 3)


def test_priority_explicit_and_automatic_CD_9(world):
    """CD-9: an explicit priority shifts the others; "automatic" takes the next free one;
    a wish beyond the end is the next free one."""
    a = create(world, priority=services.AUTOMATIC)
    b = create(world, priority=services.AUTOMATIC)
    c = create(world, priority=1)
    d = create(world, priority=99)
    got = {x.pk: x.priority for x in Deduction.objects.all()}
    assert got == {c.pk: 1, a.pk: 2, b.pk: 3, d.pk: 4}
    refused("priority", lambda: create(world, priority=0))


def test_acceptance_3_priority_3_to_1_resequences_CD_9(world):
    """CD-9 (acceptance 3): moving priority 3 to 1 shifts 1 and 2 down by one."""
    a, b, c = (create(world, priority=services.AUTOMATIC) for _ in range(3))
    services.deduction_update(deduction=c, user=world.user, priority=1)
    got = {x.pk: x.priority for x in Deduction.objects.all()}
    assert got == {c.pk: 1, a.pk: 2, b.pk: 3}
    d = create(world, priority=services.AUTOMATIC)
    assert d.priority == 4
    # Moved ones keep a history row with the reason.
    assert a.history.filter(history_change_reason__icontains="Neusortierung").exists()


def test_cancel_closes_the_priority_gap_CD_9_CD_10(world):
    """CD-9: cancelled deductions leave the sequence; the others stay dense."""
    a, b, c = (create(world, priority=services.AUTOMATIC) for _ in range(3))
    services.deduction_cancel(deduction=a, user=world.user)
    assert live_priorities(world.case) == [1, 2]
    b.refresh_from_db()
    assert b.priority == 1
    e = create(world, priority=services.AUTOMATIC)
    assert e.priority == 3


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ops=st.lists(
        st.tuples(
            st.sampled_from(["create", "move", "cancel"]),
            st.one_of(st.none(), st.just("automatic"), st.integers(1, 6)),
            st.integers(0, 10),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_priorities_stay_unique_and_dense_CD_9(caseworker, ops):
    """CD-9 property: whatever creations, moves and cancellations happen, the non-cancelled
    deductions of a case have priorities exactly 1..n."""
    world = make_world(caseworker)
    for op, priority, pick in ops:
        live = list(
            Deduction.objects.filter(case=world.case).exclude(status=DeductionStatus.CANCELLED)
        )
        if op == "create" or not live:
            create(world, priority=priority)
        elif op == "move":
            services.deduction_update(
                deduction=live[pick % len(live)], user=world.user, priority=priority
            )
        else:
            services.deduction_cancel(deduction=live[pick % len(live)], user=world.user)
        prios = live_priorities(world.case)
        assert prios == list(range(1, len(prios) + 1))


# --- CD-13 edit ---------------------------------------------------------------------------------


def test_update_edits_fields_with_history_and_event_CD_13_CD_15_WF_1(world):
    """CD-13: amount, dates, third-party details are editable; history and one event."""
    deduction = create(
        world,
        "third_party",
        amount=Decimal("15.00"),
        percentage=None,
        all_nominees=False,
        nominee=world.thomas,
    )
    other = factories.UtilityFactory()
    WorkflowEvent.objects.all().delete()
    updated = services.deduction_update(
        deduction=deduction,
        user=world.user,
        amount=Decimal("20.00"),
        end_date=date(2026, 8, 31),
        third_party=other,
        third_party_account_number="DE44500105175407324931",
        third_party_reference="NEU-1",
    )
    assert updated.amount == Decimal("20.00") and updated.end_date == date(2026, 8, 31)
    assert updated.third_party == other
    assert CaseMember.objects.filter(participant=other, role="third_party_payee").exists()
    [event] = events()
    assert event.event_type == "deduction_modified"
    assert event.payload["changes"]["amount"] == ["15.00", "20.00"]
    assert deduction.history.count() == 2
    assert deduction.history.first().history_user == world.user


def test_update_validated_like_creation_CD_13(world):
    """CD-13: edits pass the same checks; a refused edit changes nothing."""
    deduction = create(world)
    WorkflowEvent.objects.all().delete()
    refused(
        "amount",
        lambda: services.deduction_update(
            deduction=deduction, user=world.user, amount=Decimal("51.00")
        ),
    )
    refused(
        "start_date",
        lambda: services.deduction_update(
            deduction=deduction,
            user=world.user,
            start_date=date(2027, 1, 1),
            end_date=date(2027, 2, 1),
        ),
    )
    refused(
        "end_date",
        lambda: services.deduction_update(
            deduction=deduction, user=world.user, end_date=date(2026, 1, 1)
        ),
    )
    refused(
        "percentage",
        lambda: services.deduction_update(
            deduction=deduction, user=world.user, percentage=Decimal("5.00")
        ),
    )
    refused(
        "third_party",
        lambda: services.deduction_update(
            deduction=deduction, user=world.user, third_party=world.utility
        ),
    )
    deduction.refresh_from_db()
    assert deduction.amount == Decimal("40.00") and deduction.end_date == date(2026, 6, 30)
    assert not WorkflowEvent.objects.exists()
    assert deduction.history.count() == 1


def test_update_variable_percentage_CD_13(world):
    """CD-13: a variable deduction's percentage is editable within the type's maximum."""
    deduction = create(world, "applied")
    updated = services.deduction_update(
        deduction=deduction, user=world.user, percentage=Decimal("4.50")
    )
    assert updated.percentage == Decimal("4.50")
    refused(
        "amount",
        lambda: services.deduction_update(
            deduction=deduction, user=world.user, amount=Decimal("10.00"), percentage=None
        ),
    )


def test_update_refused_when_cancelled_CD_13_CD_10(world):
    """CD-13: a cancelled deduction cannot be edited (409), nothing changes."""
    deduction = create(world)
    services.deduction_cancel(deduction=deduction, user=world.user)
    before = WorkflowEvent.objects.count()
    with pytest.raises(IllegalTransition):
        services.deduction_update(deduction=deduction, user=world.user, amount=Decimal("45.00"))
    deduction.refresh_from_db()
    assert deduction.amount == Decimal("40.00")
    assert WorkflowEvent.objects.count() == before


def test_update_without_change_writes_nothing_CD_13_WF_1(world):
    """CD-13 / WF-1: an edit that changes nothing records no event and no history."""
    deduction = create(world)
    before = (WorkflowEvent.objects.count(), deduction.history.count())
    services.deduction_update(
        deduction=deduction, user=world.user, amount=Decimal("40.00"), priority=1
    )
    assert (WorkflowEvent.objects.count(), deduction.history.count()) == before


def test_update_allowed_after_processing_CD_13(world):
    """CD-13: a processed deduction may still get a new end date (the advice of CD-10)."""
    deduction = create(world, activate=True)
    Deduction.objects.filter(pk=deduction.pk).update(
        status=DeductionStatus.PROCESSED, processed_total=Decimal("40.00")
    )
    updated = services.deduction_update(
        deduction=deduction, user=world.user, end_date=date(2026, 2, 28)
    )
    assert updated.end_date == date(2026, 2, 28)
    assert updated.status == DeductionStatus.PROCESSED


# --- WF-1 / acceptance 5 ------------------------------------------------------------------------


def test_acceptance_5_one_outbox_event_per_action_WF_1(world):
    """WF-1 (acceptance 5): created, modified, activated, deactivated, cancelled each leave
    exactly one event in the same transaction; refused actions leave none."""
    deduction = create(world)
    assert [e.event_type for e in events()] == ["deduction_created"]
    services.deduction_update(deduction=deduction, user=world.user, amount=Decimal("45.00"))
    services.deduction_activate(deduction=deduction, user=world.user)
    services.deduction_deactivate(deduction=deduction, user=world.user)
    services.deduction_cancel(deduction=deduction, user=world.user)
    got = events()
    assert [e.event_type for e in got] == [
        "deduction_created",
        "deduction_modified",
        "deduction_activated",
        "deduction_deactivated",
        "deduction_cancelled",
    ]
    assert {e.deduction_id for e in got} == {deduction.pk}
    assert {e.case_id for e in got} == {world.case.pk}
    assert {e.triggered_by_id for e in got} == {world.user.pk}
    # Refused: each leaves nothing.
    for call in (
        lambda: services.deduction_activate(deduction=deduction, user=world.user),
        lambda: services.deduction_deactivate(deduction=deduction, user=world.user),
        lambda: services.deduction_cancel(deduction=deduction, user=world.user),
        lambda: services.deduction_update(deduction=deduction, user=world.user, amount=Decimal(41)),
    ):
        with pytest.raises(IllegalTransition):
            call()
    with pytest.raises(ValidationFailed):
        create(world, amount=Decimal("99.00"))
    assert len(events()) == 5


def test_event_rolls_back_with_refused_activation_at_creation_WF_1_CD_11(caseworker):
    """WF-1 / CD-11: creation with a refused activation writes neither the deduction nor
    the "created" event."""
    world = make_world(caseworker, case_status=CaseStatus.OPEN)
    with pytest.raises(IllegalTransition):
        create(world, activate=True)
    assert_nothing_written()


def test_moved_deductions_get_no_events_WF_1_CD_9(world):
    """WF-1: resequencing others is part of one action and raises only that action's event."""
    create(world)
    create(world)
    WorkflowEvent.objects.all().delete()
    create(world, priority=1)
    assert [e.event_type for e in events()] == ["deduction_created"]


def test_dates_relative_to_today_are_accepted_CD_8(world):
    """CD-8: a start in the future within the case's expected end is fine."""
    start = date(2026, 12, 1)
    deduction = create(world, start_date=start, end_date=start + timedelta(days=30))
    assert deduction.start_date == start
