"""Participant services: registration of all types (PT-1), type-specific fields and bank
accounts (PT-2), ending a participant with current third-party deductions (PT-3, TP-1)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from config.exceptions import IllegalTransition, ValidationFailed
from deductions.models import DeductionStatus
from participants import services
from participants.models import BankAccount, Participant, ParticipantType
from products.models import DeductionCategory
from tests import factories
from workflow.models import WorkflowEvent

pytestmark = pytest.mark.django_db

VALID_IBAN = "DE89370400440532013000"
TODAY = timezone.localdate()


def _third_party_deduction(payee, **kwargs):
    dtype = factories.DeductionTypeFactory(
        name=kwargs.pop("type_name", "Strom"), category=DeductionCategory.THIRD_PARTY
    )
    kwargs.setdefault("end_date", TODAY + timedelta(days=60))
    kwargs.setdefault("start_date", TODAY - timedelta(days=10))
    case = factories.ProductDeliveryCaseFactory(
        start_date=TODAY - timedelta(days=30), expected_end_date=TODAY + timedelta(days=365)
    )
    return factories.DeductionFactory(
        case=case,
        deduction_type=dtype,
        third_party=payee,
        third_party_account_number="123",
        **kwargs,
    )


@pytest.mark.parametrize(
    "ptype, extra",
    [
        ("person", {"date_of_birth": date(1980, 5, 1)}),
        ("prospect", {}),
        ("employer", {}),
        ("external_party", {}),
        ("product_provider", {}),
        ("information_provider", {}),
        ("service_provider", {}),
        ("utility", {}),
        ("representative", {}),
    ],
)
def test_every_participant_type_can_be_registered_PT_1(ptype, extra, caseworker):
    """PT-1: all nine participant types are registered with a reference "B-0000001"."""
    participant = services.participant_create(
        type=ptype, name=f"Test {ptype}", user=caseworker, **extra
    )
    assert participant.type == ptype
    assert participant.reference.startswith("B-") and len(participant.reference) == 9
    if ptype == "employer":
        assert participant.trading_status == "active"
    assert participant.history.first().history_user == caseworker


def test_references_are_unique_and_ascending_PT_2(caseworker):
    """PT-2: every participant has a unique reference number."""
    first = services.participant_create(type="utility", name="A", user=caseworker)
    second = services.participant_create(type="utility", name="B", user=caseworker)
    assert first.reference == "B-0000001"
    assert second.reference == "B-0000002"


def test_bank_accounts_nested_and_validated_PT_2(caseworker):
    """PT-2: zero or more bank accounts; IBAN check digits are verified."""
    participant = services.participant_create(
        type="utility",
        name="Stadtwerke",
        bank_accounts=[
            {
                "account_name": "Stadtwerke",
                "account_number": "DE89 3704 0044 0532 0130 00",
                "bic": "cobadeffxxx",
            },
            {"account_name": "Kasse", "account_number": "12345678", "bic": ""},
        ],
        user=caseworker,
    )
    accounts = list(participant.bank_accounts.order_by("id"))
    assert [a.account_number for a in accounts] == [VALID_IBAN, "12345678"]
    assert accounts[0].bic == "COBADEFFXXX"

    with pytest.raises(ValidationFailed) as err:
        services.participant_create(
            type="utility",
            name="Falsch",
            bank_accounts=[{"account_name": "X", "account_number": "DE00370400440532013000"}],
            user=caseworker,
        )
    assert "bank_accounts" in err.value.errors
    assert not Participant.objects.filter(name="Falsch").exists()


@pytest.mark.parametrize(
    "ptype, field, value",
    [
        ("utility", "date_of_birth", date(1980, 1, 1)),
        ("employer", "date_of_death", date(2020, 1, 1)),
        ("person", "trading_status", "active"),
        ("person", "end_date", date(2026, 1, 1)),
        ("employer", "end_date", date(2026, 1, 1)),
        ("representative", "end_date", date(2026, 1, 1)),
    ],
)
def test_type_specific_fields_refused_on_other_types_PT_2(ptype, field, value, caseworker):
    """PT-2: date of birth/death only for persons and prospects, trading status only for
    employers, end date only for providers and utilities — 400 naming the field."""
    kwargs = {"date_of_birth": date(1980, 1, 1)} if ptype == "person" else {}
    kwargs[field] = value
    before = Participant.objects.count()
    with pytest.raises(ValidationFailed) as err:
        services.participant_create(type=ptype, name="X", user=caseworker, **kwargs)
    assert field in err.value.errors
    assert Participant.objects.count() == before


def test_unknown_type_and_missing_fields_named_PT_2(caseworker):
    """PT-2: unknown type, empty name, a person without date of birth are refused."""
    with pytest.raises(ValidationFailed) as err:
        services.participant_create(type="alien", name="X", user=caseworker)
    assert "type" in err.value.errors
    with pytest.raises(ValidationFailed) as err:
        services.participant_create(type="person", name=" ", user=caseworker)
    assert set(err.value.errors) == {"name", "date_of_birth"}
    with pytest.raises(ValidationFailed) as err:
        services.participant_create(
            type="person",
            name="X",
            date_of_birth=date(1990, 1, 1),
            date_of_death=date(1989, 1, 1),
            user=caseworker,
        )
    assert "date_of_death" in err.value.errors
    assert not Participant.objects.exists()


def test_prospect_promoted_to_person_keeps_id_PT_1(caseworker):
    """PT-1: a prospect is promoted to person keeping its id and reference."""
    prospect = services.participant_create(type="prospect", name="Neu", user=caseworker)
    with pytest.raises(ValidationFailed) as err:
        services.prospect_promote(participant=prospect, user=caseworker)
    assert "date_of_birth" in err.value.errors
    person = services.prospect_promote(
        participant=prospect, date_of_birth=date(1999, 9, 9), user=caseworker
    )
    assert person.pk == prospect.pk and person.reference == prospect.reference
    assert Participant.objects.get(pk=prospect.pk).type == ParticipantType.PERSON
    with pytest.raises(IllegalTransition):
        services.prospect_promote(participant=person, user=caseworker)


def test_type_cannot_change_except_promotion_PT_1(caseworker):
    """PT-1: only prospect → person changes the type."""
    utility = factories.UtilityFactory()
    with pytest.raises(ValidationFailed) as err:
        services.participant_update(participant=utility, data={"type": "employer"}, user=caseworker)
    assert "type" in err.value.errors


def test_bank_accounts_replaced_on_update_PT_2(caseworker):
    """PT-2: the nested list replaces the accounts; ids keep existing ones."""
    utility = factories.UtilityFactory()
    keep = factories.BankAccountFactory(participant=utility, account_name="A", account_number="1")
    factories.BankAccountFactory(participant=utility, account_name="B", account_number="2")
    services.participant_update(
        participant=utility,
        data={
            "bank_accounts": [
                {"id": keep.pk, "account_name": "A neu", "account_number": "1"},
                {"account_name": "C", "account_number": VALID_IBAN},
            ]
        },
        user=caseworker,
    )
    names = list(utility.bank_accounts.order_by("id").values_list("account_name", flat=True))
    assert names == ["A neu", "C"]
    assert BankAccount.objects.get(pk=keep.pk).account_name == "A neu"


@pytest.mark.parametrize(
    "factory_kwargs, change",
    [
        ({"type": "utility", "date_of_birth": None}, {"end_date": TODAY}),
        ({"type": "service_provider", "date_of_birth": None}, {"end_date": TODAY}),
        ({"type": "product_provider", "date_of_birth": None}, {"end_date": TODAY}),
        ({"type": "information_provider", "date_of_birth": None}, {"end_date": TODAY}),
        (
            {"type": "employer", "date_of_birth": None, "trading_status": "active"},
            {"trading_status": "ceased_trading"},
        ),
        (
            {"type": "employer", "date_of_birth": None, "trading_status": "active"},
            {"trading_status": "wound_up"},
        ),
        ({"type": "person"}, {"date_of_death": TODAY}),
        ({"type": "prospect"}, {"date_of_death": TODAY}),
    ],
)
def test_ending_a_third_party_payee_warns_and_raises_event_once_PT_3_TP_1(
    factory_kwargs, change, caseworker
):
    """PT-3 / TP-1: ending a participant (death, ceased trading/wound up, end date) who is
    paid by current third-party deductions warns naming them and records ONE event; later
    edits do not warn or record again."""
    payee = factories.ParticipantFactory(**factory_kwargs)
    current = _third_party_deduction(payee, type_name="Strom")
    cancelled = _third_party_deduction(payee, type_name="Gas", status=DeductionStatus.CANCELLED)
    expired = _third_party_deduction(
        payee,
        type_name="Wasser",
        start_date=TODAY - timedelta(days=20),
        end_date=TODAY - timedelta(days=1),
    )

    result = services.participant_update(participant=payee, data=change, user=caseworker)

    assert result.ended is True
    assert result.deduction_ids == [current.pk]
    assert len(result.warnings) == 1
    assert f"Nr. {current.pk}" in result.warnings[0] and "Strom" in result.warnings[0]
    events = WorkflowEvent.objects.filter(event_type="third_party_participant_ended")
    assert events.count() == 1
    event = events.get()
    assert event.payload == {"participant": payee.pk, "deductions": [current.pk]}
    assert event.participant_id == payee.pk and event.triggered_by_id == caseworker.pk
    assert cancelled.pk not in event.payload["deductions"]
    assert expired.pk not in event.payload["deductions"]

    again = services.participant_update(
        participant=payee, data={"name": "Neuer Name"}, user=caseworker
    )
    assert again.warnings == [] and again.ended is False
    assert WorkflowEvent.objects.filter(event_type="third_party_participant_ended").count() == 1


def test_ending_without_current_deductions_records_no_event_PT_3(caseworker):
    """PT-3: ending a participant nobody pays through a deduction just ends them."""
    utility = factories.UtilityFactory()
    result = services.participant_update(
        participant=utility, data={"end_date": TODAY}, user=caseworker
    )
    assert result.ended is True and result.warnings == []
    assert Participant.objects.get(pk=utility.pk).is_ended
    assert not WorkflowEvent.objects.exists()


def test_non_ending_edit_of_payee_does_not_warn_PT_3(caseworker):
    """PT-3: only the change that ends the participant warns."""
    utility = factories.UtilityFactory()
    _third_party_deduction(utility)
    result = services.participant_update(
        participant=utility, data={"address": "Hauptstr. 1"}, user=caseworker
    )
    assert result.warnings == [] and not WorkflowEvent.objects.exists()


def test_ending_refused_input_writes_nothing_PT_3(caseworker):
    """PT-3: an invalid end (end date on a person) writes nothing and raises no event."""
    person = factories.PersonFactory()
    with pytest.raises(ValidationFailed):
        services.participant_update(participant=person, data={"end_date": TODAY}, user=caseworker)
    assert Participant.objects.get(pk=person.pk).end_date is None
    assert not WorkflowEvent.objects.exists()
