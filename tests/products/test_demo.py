"""Demo data of the products app (PR-1, PR-2, DT-1, DT-10): idempotent."""

import io
from decimal import Decimal

import pytest

from products import demo
from products.models import DeductionType, Product, ProductDeductionType

pytestmark = pytest.mark.django_db


def test_demo_seed_creates_grundsicherung_with_types_and_is_idempotent_PR_1_PR_2_DT_1_DT_10():
    """PR-1, PR-2, DT-1, DT-10: "Grundsicherung" (weekly, 30 %, no tax) with its two
    deductible component types, the ten deduction types of DT-1 linked to it with dense
    priorities; a second run changes nothing."""
    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    product = Product.objects.get(name="Grundsicherung")
    assert (product.payment_frequency, product.max_deduction_rate, product.tax_rate) == (
        "weekly",
        Decimal("30.00"),
        None,
    )
    assert (product.min_deduction_amount, product.min_payment_amount) == (
        Decimal("0"),
        Decimal("0"),
    )
    assert set(product.component_types.values_list("name", "deductible")) == {
        ("Maximale persönliche Leistung", True),
        ("Max. Kindergeldbetrag für unterhaltsberechtigtes Kind", True),
    }
    names = {
        "Steuern", "Gas", "Strom", "Kindesunterhalt", "Miete", "Wasser/Abwasser",
        "Gemeindesteuer", "Geldstrafe", "Schadenersatz", "Überzahlung",
    }  # fmt: skip
    assert set(DeductionType.objects.values_list("name", flat=True)) == names
    assert sorted(DeductionType.objects.values_list("priority", flat=True)) == list(range(1, 11))
    links = ProductDeductionType.objects.filter(product=product)
    assert sorted(links.values_list("priority", flat=True)) == list(range(1, 11))
    assert DeductionType.objects.get(name="Überzahlung").category == "applied"
    assert DeductionType.objects.get(name="Strom").allowed_participant_types == ["utility"]
    assert DeductionType.objects.get(name="Steuern").category == "unapplied"
    assert Product.history.filter(name="Grundsicherung").count() == 1


def test_demo_seed_creates_kinderzuschlag_with_application_process_once_PR_1_IC_2():
    """PR-1, IC-2: the demo has a product with an application process ("Kinderzuschlag",
    monthly), so "Antrag erfassen" offers a product; with a component type and two linked
    deduction types; a second run changes nothing."""
    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    product = Product.objects.get(name="Kinderzuschlag")
    assert product.has_application_process
    assert product.payment_frequency == "monthly"
    assert list(product.component_types.values_list("name", flat=True)) == [
        "Kinderzuschlag je Kind"
    ]
    linked = ProductDeductionType.objects.filter(product=product)
    assert set(linked.values_list("deduction_type__name", flat=True)) == {
        "Überzahlung",
        "Kindesunterhalt",
    }
    assert Product.history.filter(name="Kinderzuschlag").count() == 1
    assert Product.objects.filter(has_application_process=True).count() == 1
