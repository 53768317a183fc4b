"""Case services: integrated cases (IC-1, IC-3, IC-4, IC-5), applications (IC-2),
product delivery cases (IC-6, IC-7), components (IC-8), financial components and
reassessment (IC-9), liabilities (LI-1, LI-2 liability side)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cases import selectors, services
from cases.exceptions import NotPermitted
from cases.models import (
    Application,
    CaseComponent,
    CaseMember,
    FinancialComponent,
    IntegratedCase,
    IntegratedCaseType,
    Liability,
    Nominee,
    ProductDeliveryCase,
    Referral,
    ServiceDelivery,
)
from config.exceptions import Conflict, IllegalTransition, ValidationFailed
from participants.models import Participant
from payments.selectors import recovered_amounts
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = date(2026, 11, 2)


def get_ic(pk) -> IntegratedCase:
    return IntegratedCase.objects.get(pk=pk)


def get_pdc(pk) -> ProductDeliveryCase:
    return ProductDeliveryCase.objects.get(pk=pk)


@pytest.fixture
def case_type(db):
    return IntegratedCaseType.objects.get(code="social_assistance")


@pytest.fixture
def thomas(db):
    return factories.PersonFactory(name="Thomas Schmidt")


@pytest.fixture
def linda(db):
    return factories.PersonFactory(name="Linda Schmidt")


@pytest.fixture
def product(db):
    product = factories.ProductFactory(name="Grundsicherung")
    factories.ComponentTypeFactory(product=product, name="Maximale persönliche Leistung")
    factories.ComponentTypeFactory(
        product=product, name="Max. Kindergeldbetrag für unterhaltsberechtigtes Kind"
    )
    return product


@pytest.fixture
def ic(thomas, caseworker, case_type):
    return services.integrated_case_create(user=caseworker, primary_client=thomas)


@pytest.fixture
def pdc(ic, product, linda, caseworker):
    return services.product_delivery_case_create(
        integrated_case=ic,
        product=product,
        start_date=START,
        expected_end_date=date(2027, 5, 23),
        nominees=[linda],
        user=caseworker,
    )


def _types(product):
    return list(product.component_types.order_by("id"))


# --- IC-1 -------------------------------------------------------------------------------------


def test_integrated_case_for_existing_person_with_default_type_IC_1(thomas, caseworker):
    """IC-1: created for a registered person; the default type applies when none is given;
    the primary client is a member; status open."""
    case = services.integrated_case_create(user=caseworker, primary_client=thomas)
    assert case.case_type.code == "social_assistance"
    assert case.status == "open" and case.reference.startswith("IF-")
    assert case.opened_on == TODAY and case.created_by == caseworker
    assert list(case.members.values_list("participant_id", "role")) == [
        (thomas.pk, "primary_client")
    ]


def test_integrated_case_registers_new_prospect_in_same_step_IC_1(caseworker):
    """IC-1: a new person or prospect may be registered in the same form."""
    case = services.integrated_case_create(
        user=caseworker,
        new_client={"type": "prospect", "name": "Neue Anwärterin"},
        case_type="jobseeker_support",
    )
    client = case.primary_client
    assert client.type == "prospect" and client.reference.startswith("B-")
    assert case.case_type.code == "jobseeker_support"


def test_integrated_case_new_client_errors_write_nothing_IC_1(caseworker):
    """IC-1: a new person without date of birth: 400 naming the nested field; no
    participant and no case are written."""
    with pytest.raises(ValidationFailed) as err:
        services.integrated_case_create(
            user=caseworker, new_client={"type": "person", "name": "Ohne Geburtsdatum"}
        )
    assert "new_client.date_of_birth" in err.value.errors
    assert not Participant.objects.exists() and not IntegratedCase.objects.exists()


@pytest.mark.parametrize("ptype", ["utility", "employer", "representative"])
def test_integrated_case_only_for_persons_and_prospects_IC_1(ptype, caseworker):
    """IC-1: the primary client is a person or prospect."""
    other = factories.ParticipantFactory(type=ptype)
    with pytest.raises(ValidationFailed) as err:
        services.integrated_case_create(user=caseworker, primary_client=other)
    assert "primary_client" in err.value.errors
    assert not IntegratedCase.objects.exists()


def test_unknown_case_type_and_second_open_case_of_type_refused_IC_1(thomas, caseworker):
    """IC-1: an unknown type is named; a second open case of one type is a conflict."""
    with pytest.raises(ValidationFailed) as err:
        services.integrated_case_create(user=caseworker, primary_client=thomas, case_type="x")
    assert "case_type" in err.value.errors
    services.integrated_case_create(user=caseworker, primary_client=thomas)
    with pytest.raises(Conflict):
        services.integrated_case_create(user=caseworker, primary_client=thomas)
    assert IntegratedCase.objects.count() == 1


# --- IC-3 -------------------------------------------------------------------------------------


def test_close_and_reopen_keep_id_cases_and_history_with_who_and_why_IC_3(
    ic, product, caseworker, supervisor
):
    """IC-3: open → closed (reason, date) → open again; id, cases and history stay and
    history records who closed/reopened and why."""
    pdc = services.product_delivery_case_create(
        integrated_case=ic, product=product, start_date=START, user=caseworker
    )
    services.product_delivery_case_close(case=pdc, user=caseworker)

    closed = services.integrated_case_close(
        integrated_case=ic, reason="Umzug ins Ausland", user=caseworker
    )
    assert closed.status == "closed" and closed.closed_on == TODAY
    assert closed.closure_reason == "Umzug ins Ausland"

    reopened = services.integrated_case_reopen(
        integrated_case=ic, reason="Rückkehr", user=supervisor
    )
    fresh = get_ic(ic.pk)
    assert reopened.pk == ic.pk and fresh.status == "open" and fresh.closed_on is None
    assert list(fresh.product_delivery_cases.values_list("pk", flat=True)) == [pdc.pk]
    history = selectors.integrated_case_history(case=fresh)
    assert [(h.status, h.history_user, h.history_change_reason) for h in history[:2]] == [
        ("open", supervisor, "Erneut geöffnet: Rückkehr"),
        ("closed", caseworker, "Geschlossen: Umzug ins Ausland"),
    ]
    assert history[1].closure_reason == "Umzug ins Ausland"
    assert history[-1].history_type == "+"


def test_close_needs_reason_and_illegal_transitions_are_409_IC_3(ic, caseworker):
    """IC-3: no reason → 400 naming `reason`; closing twice or reopening an open case is
    an illegal transition (409) that changes nothing."""
    with pytest.raises(ValidationFailed) as err:
        services.integrated_case_close(integrated_case=ic, reason="  ", user=caseworker)
    assert "reason" in err.value.errors
    assert get_ic(ic.pk).status == "open"
    with pytest.raises(IllegalTransition):
        services.integrated_case_reopen(integrated_case=ic, user=caseworker)
    services.integrated_case_close(integrated_case=ic, reason="Erledigt", user=caseworker)
    with pytest.raises(IllegalTransition):
        services.integrated_case_close(integrated_case=ic, reason="Nochmal", user=caseworker)
    assert get_ic(ic.pk).closure_reason == "Erledigt"


def test_close_refused_while_product_delivery_case_not_closed_IC_3(pdc, caseworker):
    """IC-3: closing is refused (409) while a product delivery case is not closed."""
    with pytest.raises(IllegalTransition) as err:
        services.integrated_case_close(
            integrated_case=pdc.integrated_case, reason="Ende", user=caseworker
        )
    assert pdc.reference in err.value.message
    assert get_ic(pdc.integrated_case_id).status == "open"


def test_close_date_rules_IC_3(ic, caseworker):
    """IC-3: the closing date lies between opening and today."""
    with pytest.raises(ValidationFailed) as err:
        services.integrated_case_close(
            integrated_case=ic,
            reason="X",
            closed_on=ic.opened_on - timedelta(days=1),
            user=caseworker,
        )
    assert "closed_on" in err.value.errors


def test_closed_case_takes_no_new_product_delivery_cases_IC_3(ic, product, caseworker):
    """IC-3: a closed integrated case must be reopened before adding to it."""
    services.integrated_case_close(integrated_case=ic, reason="Ende", user=caseworker)
    with pytest.raises(IllegalTransition):
        services.product_delivery_case_create(
            integrated_case=ic, product=product, start_date=START, user=caseworker
        )
    assert not ProductDeliveryCase.objects.exists()


# --- IC-4 -------------------------------------------------------------------------------------


def test_household_members_existing_and_new_IC_4(ic, linda, caseworker):
    """IC-4: household members are added (existing person or newly registered)."""
    services.case_member_add(integrated_case=ic, participant=linda, user=caseworker)
    member = services.case_member_add(
        integrated_case=ic,
        new_person={"type": "person", "name": "Kind Schmidt", "date_of_birth": date(2015, 3, 1)},
        user=caseworker,
    )
    roles = set(ic.members.values_list("participant__name", "role"))
    assert roles == {
        ("Thomas Schmidt", "primary_client"),
        ("Linda Schmidt", "household_member"),
        ("Kind Schmidt", "household_member"),
    }
    assert member.participant.reference.startswith("B-")
    with pytest.raises(ValidationFailed):
        services.case_member_add(integrated_case=ic, participant=linda, user=caseworker)
    with pytest.raises(ValidationFailed):
        services.case_member_add(
            integrated_case=ic, participant=factories.UtilityFactory(), user=caseworker
        )


def test_case_member_ensure_is_idempotent_IC_4(ic, caseworker):
    """IC-4 / TP-5: third-party payees join automatically, once."""
    utility = factories.UtilityFactory()
    first = services.case_member_ensure(
        integrated_case=ic, participant=utility, role="third_party_payee"
    )
    second = services.case_member_ensure(
        integrated_case=ic, participant=utility, role="third_party_payee"
    )
    assert first.pk == second.pk
    assert CaseMember.objects.filter(participant=utility).count() == 1


def test_nominees_become_members_IC_4_IC_7(pdc, linda):
    """IC-4: nominees are case participants."""
    assert CaseMember.objects.filter(
        integrated_case=pdc.integrated_case, participant=linda, role="nominee"
    ).exists()


# --- IC-5 -------------------------------------------------------------------------------------


def test_service_deliveries_and_referrals_added_from_case_IC_5(ic, caseworker):
    """IC-5: service deliveries and referrals are attached to the integrated case."""
    provider = factories.ParticipantFactory(type="service_provider", date_of_birth=None)
    delivery = services.service_delivery_create(
        integrated_case=ic,
        service="Schuldnerberatung",
        provider=provider,
        start_date=TODAY,
        user=caseworker,
    )
    referral = services.referral_create(
        integrated_case=ic, service="Sprachkurs", reason="Integration", user=caseworker
    )
    assert list(ic.service_deliveries.all()) == [delivery]
    assert list(ic.referrals.all()) == [referral] and referral.referral_date == TODAY
    with pytest.raises(ValidationFailed) as err:
        services.service_delivery_create(
            integrated_case=ic,
            service="X",
            start_date=TODAY,
            end_date=TODAY - timedelta(days=1),
            user=caseworker,
        )
    assert "end_date" in err.value.errors
    with pytest.raises(ValidationFailed) as err:
        services.referral_create(
            integrated_case=ic, service="X", provider=factories.PersonFactory(), user=caseworker
        )
    assert "provider" in err.value.errors
    assert ServiceDelivery.objects.count() == 1 and Referral.objects.count() == 1


# --- IC-6 / IC-7 ------------------------------------------------------------------------------


def test_product_delivery_case_defaults_IC_6(pdc, caseworker, thomas, linda):
    """IC-6: product, primary client, start, expected end, status open, supervisor = the
    creating user, nominees incl. the primary client."""
    assert pdc.reference.startswith("PBF-") and pdc.status == "open"
    assert pdc.case_supervisor == caseworker and pdc.primary_client == thomas
    assert pdc.expected_end_date == date(2027, 5, 23)
    assert selectors.nominees_ordered(case=pdc) == [thomas, linda]
    assert pdc.override_max_deduction_rate is False


def test_expected_end_before_start_refused_IC_6(ic, product, caseworker):
    """IC-6: the expected end date may not lie before the start date (400, field named)."""
    with pytest.raises(ValidationFailed) as err:
        services.product_delivery_case_create(
            integrated_case=ic,
            product=product,
            start_date=START,
            expected_end_date=START - timedelta(days=1),
            user=caseworker,
        )
    assert "expected_end_date" in err.value.errors
    assert not ProductDeliveryCase.objects.exists()


def test_only_supervisors_override_max_deduction_rate_IC_6_RO_1(
    ic, product, caseworker, supervisor
):
    """IC-6 / RO-1 / CD-12: only case supervisors may set the override flag."""
    with pytest.raises(NotPermitted) as err:
        services.product_delivery_case_create(
            integrated_case=ic,
            product=product,
            start_date=START,
            override_max_deduction_rate=True,
            user=caseworker,
        )
    assert err.value.field == "override_max_deduction_rate"
    assert not ProductDeliveryCase.objects.exists()
    case = services.product_delivery_case_create(
        integrated_case=ic,
        product=product,
        start_date=START,
        override_max_deduction_rate=True,
        case_supervisor=caseworker,
        user=supervisor,
    )
    assert case.override_max_deduction_rate and case.case_supervisor == caseworker
    with pytest.raises(NotPermitted):
        services.product_delivery_case_update(
            case=case, data={"override_max_deduction_rate": False}, user=caseworker
        )
    services.product_delivery_case_update(
        case=case, data={"expected_end_date": date(2027, 1, 1)}, user=caseworker
    )
    assert get_pdc(case.pk).override_max_deduction_rate is True


def test_case_supervisor_must_be_caseworker_IC_6(ic, product, caseworker, administrator):
    """IC-6: the case supervisor is a caseworker or supervisor user."""
    with pytest.raises(ValidationFailed) as err:
        services.product_delivery_case_create(
            integrated_case=ic,
            product=product,
            start_date=START,
            case_supervisor=administrator,
            user=caseworker,
        )
    assert "case_supervisor" in err.value.errors


@pytest.mark.parametrize("ptype", ["person", "employer", "representative"])
def test_nominee_may_be_person_employer_or_representative_IC_7(pdc, ptype, caseworker):
    """IC-7: another person, employer or representative may receive payment."""
    other = factories.ParticipantFactory(type=ptype)
    services.nominee_add(case=pdc, participant=other, user=caseworker)
    assert Nominee.objects.filter(case=pdc, participant=other).exists()


@pytest.mark.parametrize("ptype", ["utility", "external_party", "prospect", "service_provider"])
def test_other_types_are_not_nominees_IC_7(pdc, ptype, caseworker):
    """IC-7: other participant types are refused, naming the field."""
    other = factories.ParticipantFactory(type=ptype)
    with pytest.raises(ValidationFailed) as err:
        services.nominee_add(case=pdc, participant=other, user=caseworker)
    assert "participant" in err.value.errors
    assert not Nominee.objects.filter(participant=other).exists()


def test_duplicate_and_deceased_nominees_refused_IC_7(pdc, linda, caseworker):
    """IC-7: a nominee once per case; a deceased person cannot receive payment."""
    with pytest.raises(ValidationFailed):
        services.nominee_add(case=pdc, participant=linda, user=caseworker)
    dead = factories.PersonFactory(date_of_death=date(2025, 1, 1))
    with pytest.raises(ValidationFailed):
        services.nominee_add(case=pdc, participant=dead, user=caseworker)


# --- IC-8 -------------------------------------------------------------------------------------


def test_component_added_for_a_nominee_IC_8(pdc, product, thomas, caseworker):
    """IC-8: component type of the product, amount per period, nominee, start, end."""
    ctype = _types(product)[0]
    component = services.component_add(
        case=pdc, component_type=ctype, amount="100.00", nominee=thomas, user=caseworker
    )
    assert component.amount == Decimal("100.00") and component.start_date == START
    assert component.end_date is None
    assert component.history.first().history_user == caseworker


@pytest.mark.parametrize(
    "change, field",
    [
        ({"amount": "-1.00"}, "amount"),
        ({"end_date": START - timedelta(days=1)}, "end_date"),
        ({"start_date": START - timedelta(days=1)}, "start_date"),
        ({"foreign_type": True}, "component_type"),
        ({"stranger": True}, "nominee"),
    ],
)
def test_bad_component_input_is_named_and_writes_nothing_IC_8(
    pdc, product, thomas, caseworker, change, field
):
    """IC-8: negative amount, end before start, start before the case, a component type
    of another product, a nominee not on the case: 400 naming the field, nothing written."""
    kwargs = {
        "case": pdc,
        "component_type": _types(product)[0],
        "amount": "100.00",
        "nominee": thomas,
        "user": caseworker,
    }
    if change.pop("foreign_type", False):
        kwargs["component_type"] = factories.ComponentTypeFactory()
    if change.pop("stranger", False):
        kwargs["nominee"] = factories.PersonFactory()
    kwargs.update(change)
    with pytest.raises(ValidationFailed) as err:
        services.component_add(**kwargs)
    assert field in err.value.errors
    assert not CaseComponent.objects.exists()


# --- IC-9 -------------------------------------------------------------------------------------


def _with_components(pdc, product, thomas, linda, caseworker):
    first, second = _types(product)
    services.component_add(
        case=pdc, component_type=first, amount="100.00", nominee=thomas, user=caseworker
    )
    services.component_add(
        case=pdc, component_type=second, amount="50.00", nominee=linda, user=caseworker
    )


def test_activation_creates_financial_components_IC_9(pdc, product, thomas, linda, caseworker):
    """IC-9: activation creates one financial component per component (amount, delivery
    method, frequency, period, nominee)."""
    factories.BankAccountFactory(
        participant=thomas, account_name="Thomas", account_number="DE89370400440532013000"
    )
    _with_components(pdc, product, thomas, linda, caseworker)
    case = services.product_delivery_case_activate(case=pdc, user=caseworker)
    assert case.status == "active" and case.activated_on == TODAY
    rows = list(
        FinancialComponent.objects.filter(case=pdc)
        .order_by("nominee__name")
        .values_list(
            "nominee__name", "amount", "frequency", "delivery_method", "start_date", "end_date"
        )
    )
    assert rows == [
        ("Linda Schmidt", Decimal("50.00"), "weekly", "cheque", START, None),
        ("Thomas Schmidt", Decimal("100.00"), "weekly", "bank_transfer", START, None),
    ]


def test_activation_refused_without_components_or_twice_IC_9(
    pdc, product, thomas, linda, caseworker
):
    """IC-9: activation is refused with the reason (409) when the case has no components or
    is not open; nothing is created."""
    with pytest.raises(IllegalTransition) as err:
        services.product_delivery_case_activate(case=pdc, user=caseworker)
    assert "Komponenten" in err.value.message
    assert get_pdc(pdc.pk).status == "open" and not FinancialComponent.objects.exists()
    _with_components(pdc, product, thomas, linda, caseworker)
    services.product_delivery_case_activate(case=pdc, user=caseworker)
    with pytest.raises(IllegalTransition) as err:
        services.product_delivery_case_activate(case=pdc, user=caseworker)
    assert "bereits aktiv" in err.value.message
    assert FinancialComponent.objects.count() == 2


def test_reassessment_regenerates_from_change_date_IC_9(pdc, product, thomas, linda, caseworker):
    """IC-9: an amount change from a date ends the old financial component the day before
    and creates a new one from the change date."""
    _with_components(pdc, product, thomas, linda, caseworker)
    services.product_delivery_case_activate(case=pdc, user=caseworker)
    component = CaseComponent.objects.get(case=pdc, nominee=thomas)
    change = START + timedelta(days=14)
    services.component_reassess(
        component=component, amount="120.00", effective_from=change, user=caseworker
    )
    rows = list(
        FinancialComponent.objects.filter(component=component)
        .order_by("start_date")
        .values_list("amount", "start_date", "end_date")
    )
    assert rows == [
        (Decimal("100.00"), START, change - timedelta(days=1)),
        (Decimal("120.00"), change, None),
    ]
    assert CaseComponent.objects.get(pk=component.pk).amount == Decimal("120.00")
    # Linda's financial component is untouched.
    assert FinancialComponent.objects.filter(nominee=linda).count() == 1

    # A second change on the same day as the last one replaces it.
    services.component_reassess(
        component=component, amount="130.00", effective_from=change, user=caseworker
    )
    rows = list(
        FinancialComponent.objects.filter(component=component)
        .order_by("start_date")
        .values_list("amount", "start_date", "end_date")
    )
    assert rows == [
        (Decimal("100.00"), START, change - timedelta(days=1)),
        (Decimal("130.00"), change, None),
    ]


def test_reassessment_validation_IC_9(pdc, product, thomas, linda, caseworker):
    """IC-9: negative amounts and dates outside the component are refused."""
    _with_components(pdc, product, thomas, linda, caseworker)
    component = CaseComponent.objects.get(case=pdc, nominee=thomas)
    with pytest.raises(ValidationFailed) as err:
        services.component_reassess(
            component=component, amount="-5", effective_from=START, user=caseworker
        )
    assert "amount" in err.value.errors
    with pytest.raises(ValidationFailed) as err:
        services.component_reassess(
            component=component,
            amount="5",
            effective_from=START - timedelta(days=1),
            user=caseworker,
        )
    assert "effective_from" in err.value.errors


def test_component_added_to_active_case_gets_financial_component_IC_8_IC_9(
    pdc, product, thomas, linda, caseworker
):
    """IC-8 / IC-9: on an active case a new component is paid from its start at once."""
    _with_components(pdc, product, thomas, linda, caseworker)
    services.product_delivery_case_activate(case=pdc, user=caseworker)
    extra = services.component_add(
        case=pdc,
        component_type=_types(product)[1],
        amount="20.00",
        nominee=thomas,
        start_date=START + timedelta(days=7),
        user=caseworker,
    )
    fc = FinancialComponent.objects.get(component=extra)
    assert (fc.amount, fc.start_date) == (Decimal("20.00"), START + timedelta(days=7))


def test_closing_product_delivery_case_ends_financial_components_IC_6_IC_9(
    pdc, product, thomas, linda, caseworker
):
    """IC-6 / IC-9: closing ends the financial components on the closing day."""
    _with_components(pdc, product, thomas, linda, caseworker)
    services.product_delivery_case_activate(case=pdc, user=caseworker)
    closed_on = START + timedelta(days=14)
    services.product_delivery_case_close(case=pdc, closed_on=closed_on, user=caseworker)
    assert get_pdc(pdc.pk).status == "closed"
    assert set(FinancialComponent.objects.values_list("end_date", flat=True)) == {closed_on}
    with pytest.raises(IllegalTransition):
        services.product_delivery_case_close(case=pdc, user=caseworker)


def _benefit_payment(case, start, end):
    return factories.BenefitPaymentFactory(case=case, period_start=start, period_end=end)


@pytest.mark.parametrize(
    ("closed_on", "words"),
    [
        (date(1, 1, 1), "vor dem Fallbeginn"),
        (START - timedelta(days=1), "vor dem Fallbeginn"),
        (date(9999, 12, 31), "Zukunft"),
        (TODAY + timedelta(days=1), "Zukunft"),
        (START + timedelta(days=5), "bezahlt"),
    ],
)
def test_closing_date_between_start_today_and_last_paid_period_IC_6_IC_9(
    pdc, product, thomas, linda, caseworker, closed_on, words
):
    """IC-6 / IC-9: the closing day lies between the case start and today and not before
    the end of the last paid benefit period; otherwise 400 on closed_on and nothing
    changes (no financial component is ended or deleted)."""
    _with_components(pdc, product, thomas, linda, caseworker)
    services.product_delivery_case_activate(case=pdc, user=caseworker)
    _benefit_payment(pdc, START, START + timedelta(days=6))
    before = list(FinancialComponent.objects.values_list("pk", "start_date", "end_date"))
    with pytest.raises(ValidationFailed) as err:
        services.product_delivery_case_close(case=pdc, closed_on=closed_on, user=caseworker)
    assert set(err.value.errors) == {"closed_on"}
    assert words in err.value.errors["closed_on"][0]
    assert get_pdc(pdc.pk).status == "active"
    assert list(FinancialComponent.objects.values_list("pk", "start_date", "end_date")) == before
    # The end of the last paid period itself is a valid closing day.
    services.product_delivery_case_close(
        case=pdc, closed_on=START + timedelta(days=6), user=caseworker
    )
    assert get_pdc(pdc.pk).closed_on == START + timedelta(days=6)


def _years_back(years: int) -> date:
    try:
        return TODAY.replace(year=TODAY.year - years)
    except ValueError:  # 29 February
        return TODAY.replace(year=TODAY.year - years, day=28)


@pytest.mark.parametrize(
    "start",
    [date(206, 11, 2), date(1, 1, 1), None],  # None: one day beyond the allowed year
)
def test_case_start_more_than_a_year_back_refused_IC_6(ic, product, caseworker, start, settings):
    """IC-6: a start date more than CASE_START_MAX_YEARS_BACK (1) years before today —
    e.g. the typo 0206-11-02 — is a 400 on start_date; nothing is created. Exactly one
    year back is still accepted."""
    settings.CASE_START_MAX_YEARS_BACK = 1
    start = start or _years_back(1) - timedelta(days=1)
    with pytest.raises(ValidationFailed) as err:
        services.product_delivery_case_create(
            integrated_case=ic, product=product, start_date=start, user=caseworker
        )
    assert set(err.value.errors) == {"start_date"}
    assert "höchstens 1 Jahr zurückliegen" in err.value.errors["start_date"][0]
    assert not ProductDeliveryCase.objects.exists()
    case = services.product_delivery_case_create(
        integrated_case=ic, product=product, start_date=_years_back(1), user=caseworker
    )
    assert case.start_date == _years_back(1)


def test_requested_start_more_than_a_year_back_refused_IC_2_IC_6(
    app_product, thomas, caseworker, settings
):
    """IC-2 / IC-6: an application's requested start becomes the case start, so it has the
    same lower bound (400 on requested_start_date)."""
    settings.CASE_START_MAX_YEARS_BACK = 1
    with pytest.raises(ValidationFailed) as err:
        services.application_submit(
            product=app_product,
            requested_start_date=date(206, 11, 2),
            applicant=thomas,
            user=caseworker,
        )
    assert set(err.value.errors) == {"requested_start_date"}
    assert not Application.objects.exists()


# --- IC-2 -------------------------------------------------------------------------------------


@pytest.fixture
def app_product(db):
    product = factories.ProductFactory(name="Kinderzuschlag", has_application_process=True)
    factories.ComponentTypeFactory(product=product, name="Zuschlag")
    return product


def test_approval_creates_one_integrated_and_one_product_delivery_case_IC_2(
    app_product, caseworker, supervisor
):
    """IC-2: approving an application for a client without an open integrated case creates
    exactly one integrated case and one product delivery case; approving again is refused
    with a clear error and creates nothing more."""
    application = services.application_submit(
        product=app_product,
        requested_start_date=START,
        new_applicant={"type": "person", "name": "Petra Antrag", "date_of_birth": date(1990, 1, 1)},
        user=caseworker,
    )
    assert application.status == "submitted"
    assert not IntegratedCase.objects.exists() and not ProductDeliveryCase.objects.exists()

    approved = services.application_approve(application=application, user=supervisor)

    assert approved.status == "approved" and approved.decided_by == supervisor
    assert IntegratedCase.objects.count() == 1 and ProductDeliveryCase.objects.count() == 1
    pdc = approved.product_delivery_case
    assert pdc.product == app_product and pdc.start_date == START
    assert pdc.primary_client == application.applicant
    assert pdc.integrated_case.primary_client == application.applicant
    assert pdc.case_supervisor == supervisor

    with pytest.raises(IllegalTransition) as err:
        services.application_approve(application=application, user=supervisor)
    assert "bereits" in err.value.message and pdc.reference in err.value.message
    assert IntegratedCase.objects.count() == 1 and ProductDeliveryCase.objects.count() == 1


def test_approval_reuses_open_integrated_case_of_the_type_IC_2(app_product, thomas, caseworker, ic):
    """IC-2: a client with an open integrated case of that type gets only the product
    delivery case, under the existing integrated case."""
    application = services.application_submit(
        product=app_product, requested_start_date=START, applicant=thomas, user=caseworker
    )
    approved = services.application_approve(application=application, user=caseworker)
    assert IntegratedCase.objects.count() == 1
    assert approved.product_delivery_case.integrated_case == ic


def test_approval_creates_new_integrated_case_when_only_closed_one_exists_IC_2(
    app_product, thomas, caseworker, ic
):
    """IC-2: a closed integrated case does not count; a new one is opened."""
    services.integrated_case_close(integrated_case=ic, reason="Ende", user=caseworker)
    application = services.application_submit(
        product=app_product, requested_start_date=START, applicant=thomas, user=caseworker
    )
    approved = services.application_approve(application=application, user=caseworker)
    assert IntegratedCase.objects.count() == 2
    assert approved.product_delivery_case.integrated_case != ic


def test_application_rules_IC_2(app_product, product, thomas, caseworker, ic):
    """IC-2: applications only for products with an application process; such products get
    no manual product delivery case; a rejected application cannot be approved."""
    with pytest.raises(ValidationFailed) as err:
        services.application_submit(
            product=product, requested_start_date=START, applicant=thomas, user=caseworker
        )
    assert "product" in err.value.errors
    with pytest.raises(ValidationFailed) as err:
        services.product_delivery_case_create(
            integrated_case=ic, product=app_product, start_date=START, user=caseworker
        )
    assert "product" in err.value.errors
    application = services.application_submit(
        product=app_product, requested_start_date=START, applicant=thomas, user=caseworker
    )
    with pytest.raises(Conflict):
        services.application_submit(
            product=app_product, requested_start_date=START, applicant=thomas, user=caseworker
        )
    services.application_reject(application=application, reason="Unvollständig", user=caseworker)
    with pytest.raises(IllegalTransition):
        services.application_approve(application=application, user=caseworker)
    assert not ProductDeliveryCase.objects.exists()
    assert Application.objects.get().status == "rejected"


# --- LI-1 / LI-2 ------------------------------------------------------------------------------


def test_liability_created_open_with_outstanding_equal_original_LI_1(thomas, caseworker):
    """LI-1: original amount, outstanding amount, liability case id, status open."""
    liability = services.liability_create(
        participant=thomas,
        original_amount="600.00",
        liability_case_id="VB-TEST-0001",
        description="Überzahlung",
        user=caseworker,
    )
    assert liability.outstanding_amount == liability.original_amount == Decimal("600.00")
    assert liability.status == "open"
    generated = services.liability_create(participant=thomas, original_amount="10", user=caseworker)
    assert generated.liability_case_id == f"VB-{TODAY.year}-0001"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"original_amount": "-1"}, "original_amount"),
        ({"original_amount": "0"}, "original_amount"),
        ({"original_amount": "abc"}, "original_amount"),
        ({"liability_case_id": "VB-DUP"}, "liability_case_id"),
    ],
)
def test_liability_bad_input_named_LI_1(thomas, caseworker, kwargs, field):
    """LI-1: amounts must be positive; liability case ids are unique."""
    factories.LiabilityFactory(liability_case_id="VB-DUP")
    params = {"participant": thomas, "original_amount": "10", "user": caseworker, **kwargs}
    with pytest.raises(ValidationFailed) as err:
        services.liability_create(**params)
    assert field in err.value.errors
    assert Liability.objects.count() == 1


def test_liability_outstanding_is_read_only_after_creation_LI_1(caseworker):
    """LI-1: only deductions change the amounts; a direct change is refused."""
    liability = factories.LiabilityFactory()
    with pytest.raises(ValidationFailed) as err:
        services.liability_update(
            liability=liability, data={"original_amount": Decimal("1")}, user=caseworker
        )
    assert "original_amount" in err.value.errors
    services.liability_update(liability=liability, data={"description": "Neu"}, user=caseworker)
    fresh = Liability.objects.get(pk=liability.pk)
    assert fresh.description == "Neu" and fresh.outstanding_amount == Decimal("500.00")


def test_recovered_amounts_per_case_and_type_LI_2(caseworker):
    """LI-2 (liability side; the agency account is credited by payment runs): processed
    lines are reportable per case and per deduction type, by category."""
    deduction = factories.DeductionFactory(amount=Decimal("30.00"))
    case = deduction.case
    payment = factories.BenefitPaymentFactory(case=case, net=Decimal("70.00"))
    for offset, status, amount in [
        (0, "processed", "30.00"),
        (7, "processed", "30.00"),
        (14, "skipped", "0.00"),
    ]:
        factories.DeductionProcessingFactory(
            deduction=deduction,
            payment=payment,
            nominee=case.primary_client,
            period_start=case.start_date + timedelta(days=offset),
            period_end=case.start_date + timedelta(days=offset + 6),
            status=status,
            amount=Decimal(amount),
            balance_after=Decimal("0"),
        )
    rows = recovered_amounts(category="unapplied")
    assert rows == [
        {
            "case": case.pk,
            "case_reference": case.reference,
            "deduction_type": deduction.deduction_type_id,
            "deduction_type_name": deduction.deduction_type.name,
            "category": "unapplied",
            "total": Decimal("60.00"),
            "lines": 2,
        }
    ]
    assert recovered_amounts(category="applied") == []
