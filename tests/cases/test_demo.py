"""Demo data of participants and cases: the Schmidt household (E1 set-up: Thomas 100,
Linda 50 on "Grundsicherung"), utility, landlord, employer, court, and the overpayment
liability; idempotent (IC-6, IC-8, IC-9, LI-1, PT-2)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from cases import demo as cases_demo
from cases.models import FinancialComponent, IntegratedCase, Liability, ProductDeliveryCase
from config import roles
from participants import demo as participants_demo
from participants.models import Participant
from participants.services import iban_is_valid
from tests import factories

pytestmark = pytest.mark.django_db


def _seed_twice():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())


def test_demo_participants_and_cases_idempotent_IC_9_LI_1_PT_2():
    """The demo seeds once and stays the same on a second run."""
    _seed_twice()
    names = set(Participant.objects.values_list("name", "type"))
    assert {
        ("Thomas Schmidt", "person"),
        ("Linda Schmidt", "person"),
        ("Stadtwerke Musterstadt", "utility"),
        ("Wohnbau Muster GmbH", "external_party"),
        ("Amtsgericht Musterstadt", "external_party"),
        ("Muster Logistik GmbH", "employer"),
    } <= names
    for participant in Participant.objects.filter(name__in=[n for n, _ in names]):
        for account in participant.bank_accounts.all():
            assert iban_is_valid(account.account_number)
    thomas = Participant.objects.get(name="Thomas Schmidt", type="person")
    ic = IntegratedCase.objects.get(primary_client=thomas)
    assert set(ic.members.values_list("participant__name", "role")) >= {
        ("Thomas Schmidt", "primary_client"),
        ("Linda Schmidt", "household_member"),
    }
    pdc = ProductDeliveryCase.objects.get(integrated_case=ic, product__name="Grundsicherung")
    assert pdc.start_date == date(2026, 11, 2) and pdc.start_date.weekday() == 0
    assert pdc.status == "active"
    assert sorted(pdc.components.values_list("nominee__name", "amount")) == [
        ("Linda Schmidt", Decimal("50.00")),
        ("Thomas Schmidt", Decimal("100.00")),
    ]
    assert FinancialComponent.objects.filter(case=pdc).count() == 2
    liability = Liability.objects.get(liability_case_id="VB-2026-0001")
    assert liability.participant == thomas and liability.original_amount == Decimal("600.00")
    assert ProductDeliveryCase.objects.count() == 1 and IntegratedCase.objects.count() == 1


def test_cases_demo_creates_product_when_missing_IC_6():
    """Without the products demo, cases/demo.py creates "Grundsicherung" itself."""
    factories.UserFactory(username="caseworker", role=roles.CASEWORKER)
    factories.UserFactory(username="supervisor", role=roles.SUPERVISOR)
    participants_demo.seed(stdout=io.StringIO())
    cases_demo.seed(stdout=io.StringIO())
    pdc = ProductDeliveryCase.objects.get()
    assert pdc.product.name == "Grundsicherung"
    assert pdc.product.max_deduction_rate == Decimal("30.00")
    assert set(pdc.product.component_types.values_list("name", flat=True)) == {
        "Maximale persönliche Leistung",
        "Max. Kindergeldbetrag für unterhaltsberechtigtes Kind",
    }
