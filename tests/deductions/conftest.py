"""Fixtures of the deduction tests: an active product delivery case with two nominees and
their components, linked deduction types of every category, a liability and a utility."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import CaseStatus
from deductions import services
from products.models import DeductionCategory
from tests import factories
from workflow.models import WorkflowEvent


@dataclass
class World:
    case: object
    product: object
    thomas: object
    linda: object
    thomas_component: object
    linda_component: object
    unapplied: object  # fixed-friendly type, limits 30..50, link priority 1
    applied: object  # "Überzahlung", max 5 %
    third_party: object  # "Strom"
    utility: object
    liability: object
    user: object


def _free_name(base: str) -> str:
    """The type's name, or a numbered variant when a test builds several worlds."""
    from products.models import DeductionType

    name, n = base, 1
    while DeductionType.objects.filter(name=name).exists():
        n += 1
        name = f"{base} {n}"
    return name


def make_world(user, *, case_status=CaseStatus.ACTIVE, expected_end=date(2026, 12, 31)):
    product = factories.ProductFactory()
    thomas = factories.PersonFactory(name="Thomas Schmidt")
    linda = factories.PersonFactory(name="Linda Schmidt")
    ic = factories.IntegratedCaseFactory(primary_client=thomas)
    case = factories.ProductDeliveryCaseFactory(
        integrated_case=ic,
        product=product,
        case_supervisor=user,
        expected_end_date=expected_end,
        status=case_status,
    )
    factories.NomineeFactory(case=case, participant=thomas)
    factories.NomineeFactory(case=case, participant=linda)
    thomas_component = factories.CaseComponentFactory(case=case, nominee=thomas)
    linda_component = factories.CaseComponentFactory(
        case=case, nominee=linda, amount=Decimal("50.00")
    )
    unapplied = factories.DeductionTypeFactory(
        name=_free_name("Geldstrafe"),
        category=DeductionCategory.UNAPPLIED,
        min_amount=Decimal("30.00"),
        max_amount=Decimal("50.00"),
        default_amount=Decimal("40.00"),
        max_percentage=Decimal("20.00"),
    )
    applied = factories.DeductionTypeFactory(
        name=_free_name("Überzahlung"),
        category=DeductionCategory.APPLIED,
        max_percentage=Decimal("5.00"),
        default_percentage=Decimal("3.00"),
        allowed_participant_types=["person"],
    )
    third_party = factories.DeductionTypeFactory(
        name=_free_name("Strom"),
        category=DeductionCategory.THIRD_PARTY,
        default_amount=Decimal("15.00"),
        max_percentage=Decimal("10.00"),
        allowed_participant_types=["utility"],
    )
    for deduction_type in (unapplied, applied, third_party):
        factories.ProductDeductionTypeFactory(product=product, deduction_type=deduction_type)
    utility = factories.UtilityFactory(name="Stadtwerke Musterstadt")
    from cases.models import Liability

    case_id = "VB-2026-0001"
    if Liability.objects.filter(liability_case_id=case_id).exists():
        case_id = f"VB-2026-{Liability.objects.count() + 1:04d}"
    liability = factories.LiabilityFactory(participant=thomas, liability_case_id=case_id)
    return World(
        case=case,
        product=product,
        thomas=thomas,
        linda=linda,
        thomas_component=thomas_component,
        linda_component=linda_component,
        unapplied=unapplied,
        applied=applied,
        third_party=third_party,
        utility=utility,
        liability=liability,
        user=user,
    )


@pytest.fixture
def world(caseworker):
    return make_world(caseworker)


def create(world, kind="unapplied", **overrides):
    """deduction_create with sensible defaults per category."""
    base = {
        "case": world.case,
        "user": world.user,
        "start_date": date(2026, 2, 1),
        "end_date": date(2026, 6, 30),
    }
    if kind == "unapplied":
        base.update(deduction_type=world.unapplied, amount=Decimal("40.00"), nominee=world.thomas)
    elif kind == "applied":
        base.update(
            deduction_type=world.applied,
            percentage=Decimal("3.00"),
            liability_holder=world.thomas,
        )
    elif kind == "third_party":
        base.update(
            deduction_type=world.third_party,
            percentage=Decimal("5.00"),
            all_nominees=True,
            third_party=world.utility,
            third_party_account_number="DE02120300000000202051",
            third_party_reference="STROM-4711",
        )
    base.update(overrides)
    return services.deduction_create(**base)


def events(**filters):
    return list(WorkflowEvent.objects.filter(**filters).order_by("id"))


@pytest.fixture
def client_cw(client, caseworker):
    """The test client signed in as the caseworker."""
    client.force_login(caseworker)
    return client


def wizard_url(case, step: str) -> str:
    return reverse("deductions:create-step", args=[case.pk, step])


def wizard_step(client, case, step: str, data: dict, follow: bool = False):
    """Posts one step of the deduction wizard (CD-1) for ``case``."""
    return client.post(wizard_url(case, step), data, follow=follow)
