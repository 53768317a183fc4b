"""Demo data: the income support product "Grundsicherung" with its two component types
(PR-1, PR-2) and the deduction types of DT-1, linked to it (DT-10). Idempotent: looks
things up by name and creates only what is missing, through the services, so priorities
are dense and history rows exist.

A second product, "Kinderzuschlag", has an application process (Anliegenverfahren, IC-2), so "Antrag
erfassen" on the demo offers a product to apply for.

Other apps' demo data (cases/demo.py) refer to these names: keep them."""

from decimal import Decimal

from . import selectors, services
from .models import ComponentType, DeductionType, Product

PRODUCT_NAME = "Grundsicherung"
COMPONENT_PERSONAL = "Maximale persönliche Leistung"
COMPONENT_CHILD = "Max. Kindergeldbetrag für unterhaltsberechtigtes Kind"
APPLICATION_PRODUCT = "Kinderzuschlag"
APPLICATION_COMPONENT = "Kinderzuschlag je Kind"
APPLICATION_DEDUCTION_TYPES = ("Überzahlung", "Kindesunterhalt")

D = Decimal
# name, category, allowed participant types, action, min, max, default, max %, default %
DEDUCTION_TYPES = [
    ("Miete", "third_party", ["product_provider", "external_party"], "skip",
     None, D("400.00"), D("150.00"), D("30.00"), D("10.00")),
    ("Strom", "third_party", ["utility"], "skip",
     D("5.00"), D("100.00"), D("30.00"), D("10.00"), D("5.00")),
    ("Gas", "third_party", ["utility"], "skip",
     D("5.00"), D("100.00"), D("30.00"), D("10.00"), D("5.00")),
    ("Wasser/Abwasser", "third_party", ["utility"], "skip",
     D("5.00"), D("80.00"), D("20.00"), D("10.00"), D("5.00")),
    ("Kindesunterhalt", "third_party", ["person"], "partial",
     None, D("300.00"), D("100.00"), D("20.00"), D("10.00")),
    ("Überzahlung", "applied", ["person"], "partial",
     None, D("200.00"), D("20.00"), D("20.00"), D("10.00")),
    ("Geldstrafe", "third_party", ["external_party"], "partial",
     None, D("50.00"), D("20.00"), D("10.00"), D("5.00")),
    ("Gemeindesteuer", "unapplied", [], "skip",
     None, D("50.00"), D("15.00"), D("5.00"), D("2.00")),
    ("Steuern", "unapplied", [], "skip",
     None, D("100.00"), D("25.00"), D("10.00"), D("5.00")),
    ("Schadenersatz", "unapplied", [], "partial",
     None, D("100.00"), D("25.00"), D("10.00"), D("5.00")),
]  # fmt: skip


def seed(*, stdout) -> None:
    product = Product.objects.filter(name=PRODUCT_NAME).first()
    if product is None:
        product = services.product_create(
            name=PRODUCT_NAME,
            payment_frequency="weekly",
            max_deduction_rate=D("30.00"),
            min_deduction_amount=D("0.00"),
            min_payment_amount=D("0.00"),
            tax_rate=None,
        )
        stdout.write(f"  Leistungsprodukt „{PRODUCT_NAME}“ angelegt")
    for name in (COMPONENT_PERSONAL, COMPONENT_CHILD):
        if not ComponentType.objects.filter(product=product, name=name).exists():
            services.component_type_add(product=product, name=name, deductible=True, taxable=False)

    created = 0
    for (
        name,
        category,
        allowed,
        action,
        low,
        high,
        default,
        top_pct,
        default_pct,
    ) in DEDUCTION_TYPES:
        deduction_type = DeductionType.objects.filter(name=name).first()
        if deduction_type is None:
            deduction_type = services.deduction_type_create(
                name=name,
                category=category,
                allowed_participant_types=allowed,
                insufficient_balance_action=action,
                min_amount=low,
                max_amount=high,
                default_amount=default,
                max_percentage=top_pct,
                default_percentage=default_pct,
            )
            created += 1
        if not selectors.deduction_type_is_linked(product=product, deduction_type=deduction_type):
            services.product_link_add(product=product, deduction_type=deduction_type)
    if created:
        stdout.write(f"  {created} Abzugstypen angelegt und mit „{PRODUCT_NAME}“ verknüpft")

    _seed_application_product(stdout)


def _seed_application_product(stdout) -> None:
    """IC-2: a monthly product applied for through an application (Antrag), with one
    component type and the deduction types a child supplement may carry."""
    product = Product.objects.filter(name=APPLICATION_PRODUCT).first()
    if product is None:
        product = services.product_create(
            name=APPLICATION_PRODUCT,
            payment_frequency="monthly",
            max_deduction_rate=D("20.00"),
            min_deduction_amount=D("0.00"),
            min_payment_amount=D("0.00"),
            tax_rate=None,
            has_application_process=True,
        )
        stdout.write(f"  Leistungsprodukt „{APPLICATION_PRODUCT}“ (mit Anliegenverfahren) angelegt")
    if not ComponentType.objects.filter(product=product, name=APPLICATION_COMPONENT).exists():
        services.component_type_add(
            product=product, name=APPLICATION_COMPONENT, deductible=True, taxable=False
        )
    for name in APPLICATION_DEDUCTION_TYPES:
        deduction_type = DeductionType.objects.filter(name=name).first()
        if deduction_type and not selectors.deduction_type_is_linked(
            product=product, deduction_type=deduction_type
        ):
            services.product_link_add(product=product, deduction_type=deduction_type)
