"""Demo cases: Thomas Schmidt's integrated case with Linda as household member, the
product delivery case "Grundsicherung" from Monday 2 November 2026 with nominees Thomas
(100,00 "Maximale persönliche Leistung") and Linda (50,00 "Max. Kindergeldbetrag für
unterhaltsberechtigtes Kind"), activated; and Thomas's overpayment "VB-2026-0001" of
600,00. Idempotent: looked up by natural keys, created through the services."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from participants.models import Participant
from products.models import ComponentType, PaymentFrequency, Product

from . import services
from .models import (
    CaseStatus,
    IntegratedCase,
    IntegratedCaseStatus,
    IntegratedCaseType,
    Liability,
    MemberRole,
    ProductDeliveryCase,
)

PRODUCT_NAME = "Grundsicherung"
COMPONENT_PERSONAL = "Maximale persönliche Leistung"
COMPONENT_CHILD = "Max. Kindergeldbetrag für unterhaltsberechtigtes Kind"
START = date(2026, 11, 2)  # a Monday
EXPECTED_END = date(2027, 10, 31)
LIABILITY_ID = "VB-2026-0001"
CASE_TYPES = [
    ("social_assistance", "Sozialhilfe", True),
    ("jobseeker_support", "Grundsicherung für Arbeitsuchende", False),
    ("housing_support", "Wohngeld", False),
]


def _product() -> Product:
    """The products app's demo creates it; fall back to the same definition if it did not."""
    product, _ = Product.objects.get_or_create(
        name=PRODUCT_NAME,
        defaults={
            "payment_frequency": PaymentFrequency.WEEKLY,
            "max_deduction_rate": Decimal("30.00"),
            "min_deduction_amount": Decimal("0.00"),
            "min_payment_amount": Decimal("0.00"),
        },
    )
    for name in (COMPONENT_PERSONAL, COMPONENT_CHILD):
        ComponentType.objects.get_or_create(
            product=product, name=name, defaults={"deductible": True, "taxable": False}
        )
    return product


def seed(*, stdout) -> None:
    has_default = IntegratedCaseType.objects.filter(is_default=True).exists()
    for code, name, is_default in CASE_TYPES:
        IntegratedCaseType.objects.get_or_create(
            code=code, defaults={"name": name, "is_default": is_default and not has_default}
        )
    users = get_user_model().objects
    caseworker = users.filter(username="caseworker").first()
    supervisor = users.filter(username="supervisor").first() or caseworker
    thomas = Participant.objects.filter(type="person", name="Thomas Schmidt").first()
    linda = Participant.objects.filter(type="person", name="Linda Schmidt").first()
    if not (caseworker and thomas and linda):
        stdout.write("  Keine Demo-Fälle: Demo-Benutzer oder Familie Schmidt fehlen.")
        return
    product = _product()

    ic = (
        IntegratedCase.objects.filter(primary_client=thomas, status=IntegratedCaseStatus.OPEN)
        .order_by("id")
        .first()
    )
    if ic is None:
        ic = services.integrated_case_create(user=caseworker, primary_client=thomas)
        stdout.write(f"  Integrierter Fall {ic.reference} für Thomas Schmidt angelegt")
    services.case_member_ensure(
        integrated_case=ic, participant=linda, role=MemberRole.HOUSEHOLD_MEMBER, user=caseworker
    )

    pdc = ProductDeliveryCase.objects.filter(integrated_case=ic, product=product).first()
    if pdc is None:
        pdc = services.product_delivery_case_create(
            integrated_case=ic,
            product=product,
            start_date=START,
            expected_end_date=EXPECTED_END,
            case_supervisor=supervisor,
            nominees=[linda],
            user=caseworker,
        )
        stdout.write(f"  Produktbereitstellungsfall {pdc.reference} (Grundsicherung) angelegt")
    if not pdc.components.exists():
        for nominee, type_name, amount in (
            (thomas, COMPONENT_PERSONAL, "100.00"),
            (linda, COMPONENT_CHILD, "50.00"),
        ):
            services.component_add(
                case=pdc,
                component_type=product.component_types.get(name=type_name),
                amount=Decimal(amount),
                nominee=nominee,
                user=caseworker,
            )
    if ProductDeliveryCase.objects.get(pk=pdc.pk).status == CaseStatus.OPEN:
        services.product_delivery_case_activate(case=pdc, user=caseworker)
        stdout.write(f"  Produktbereitstellungsfall {pdc.reference} aktiviert")

    if not Liability.objects.filter(liability_case_id=LIABILITY_ID).exists():
        services.liability_create(
            participant=thomas,
            original_amount=Decimal("600.00"),
            liability_case_id=LIABILITY_ID,
            description="Überzahlung",
            user=caseworker,
        )
        stdout.write(f"  Verbindlichkeit {LIABILITY_ID} (Überzahlung 600,00) angelegt")
