"""Test data for payments: an active product delivery case with nominees, components,
financial components (IC-9) and deductions in force, built with tests/factories.py.

Statuses are FSM-protected; the factories make the rows in their status (the one
assignment an FSM field allows), so that payment tests do not depend on other apps'
services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cases.models import ProductDeliveryCase
from deductions.models import Deduction
from products.models import DeductionCategory
from tests import factories

START = date(2026, 1, 5)  # a Monday; weekly periods Mon–Sun, paid the Monday after
FAR = date(2026, 12, 31)


@dataclass
class CaseSetup:
    case: ProductDeliveryCase
    people: dict[str, object]
    components: dict[str, object] = field(default_factory=dict)
    deductions: list[Deduction] = field(default_factory=list)

    @property
    def thomas(self):
        return self.people["thomas"]

    @property
    def linda(self):
        return self.people["linda"]


def build_case(
    *,
    rate: str = "30",
    min_deduction: str = "0",
    min_payment: str = "0",
    tax: str | None = None,
    frequency: str = "weekly",
    start: date = START,
    components: tuple[tuple[str, str, str], ...] = (("c1", "thomas", "100"), ("c2", "linda", "50")),
    taxable: tuple[str, ...] = (),
    not_deductible: tuple[str, ...] = (),
    active: bool = True,
    financial: bool = True,
    override: bool = False,
) -> CaseSetup:
    """A case whose primary client is Thomas; Linda is a second nominee.

    ``components`` are (key, nominee key, amount per period)."""
    product = factories.ProductFactory(
        payment_frequency=frequency,
        max_deduction_rate=Decimal(rate),
        min_deduction_amount=Decimal(min_deduction),
        min_payment_amount=Decimal(min_payment),
        tax_rate=None if tax is None else Decimal(tax),
    )
    thomas = factories.PersonFactory(name="Thomas Müller")
    linda = factories.PersonFactory(name="Linda Müller")
    people = {"thomas": thomas, "linda": linda}
    integrated = factories.IntegratedCaseFactory(primary_client=thomas)
    case = factories.ProductDeliveryCaseFactory(
        integrated_case=integrated,
        product=product,
        start_date=start,
        expected_end_date=FAR,
        override_max_deduction_rate=override,
        active=active,
    )
    nominee_keys = {"thomas"} | {nominee for _key, nominee, _amount in components}
    for key in sorted(nominee_keys, key=lambda k: people[k].pk):
        factories.NomineeFactory(case=case, participant=people[key], added_on=start)
    setup = CaseSetup(case=case, people=people)
    for key, nominee, amount in components:
        component_type = factories.ComponentTypeFactory(
            product=product,
            name=f"Komponente {key}",
            taxable=key in taxable,
            deductible=key not in not_deductible,
        )
        component = factories.CaseComponentFactory(
            case=case,
            component_type=component_type,
            nominee=people[nominee],
            amount=Decimal(amount),
            start_date=start,
        )
        setup.components[key] = component
        if financial:
            factories.FinancialComponentFactory(
                case=case,
                component=component,
                nominee=people[nominee],
                amount=Decimal(amount),
                frequency=frequency,
                start_date=start,
            )
    return setup


def add_deduction(
    setup: CaseSetup,
    *,
    name: str | None = None,
    category: str = DeductionCategory.UNAPPLIED,
    amount: str | None = None,
    percentage: str | None = None,
    nominee: str | None = None,
    component: str | None = None,
    all_nominees: bool = False,
    action: str = "skip",
    type_min: str | None = None,
    type_max: str | None = None,
    liability=None,
    third_party=None,
    status: str = "active",
    start: date | None = None,
    end: date = FAR,
    priority: int | None = None,
) -> Deduction:
    deduction_type = factories.DeductionTypeFactory(
        **({"name": name} if name else {}),
        category=category,
        insufficient_balance_action=action,
        min_amount=None if type_min is None else Decimal(type_min),
        max_amount=None if type_max is None else Decimal(type_max),
    )
    factories.ProductDeductionTypeFactory(product=setup.case.product, deduction_type=deduction_type)
    if amount is not None and nominee is None:
        nominee = "thomas"
    extra = {}
    if priority is not None:
        extra["priority"] = priority
    if status != "inactive":
        extra.update(status=status, activated_on=START)
    deduction = factories.DeductionFactory(
        case=setup.case,
        deduction_type=deduction_type,
        amount=None if amount is None else Decimal(amount),
        percentage=None if percentage is None else Decimal(percentage),
        nominee=setup.people[nominee] if nominee else None,
        component=setup.components[component] if component else None,
        all_nominees=all_nominees,
        liability=liability,
        third_party=third_party,
        third_party_account_number="DE02100100109307118603" if third_party else "",
        third_party_reference="REF-4711" if third_party else "",
        start_date=start or setup.case.start_date,
        end_date=end,
        **extra,
    )
    deduction.refresh_from_db()  # amounts as stored (two places), like a read
    setup.deductions.append(deduction)
    return deduction
