"""Money and percentages in Django admin (products/admin.py; DT-2, DT-4, PR-1, DT-12):
typed in the page's language like on the caseworker pages, refused beside the field
with the accepted form, shown back in the language."""

from decimal import Decimal

import pytest

from products.models import DeductionType, Product
from tests import factories
from tests.money_entry import field_block, use_language
from tests.products.test_admin import PRODUCT_URL, TYPE_URL, _product_form, _type_form

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "max_amount", "max_percentage", "stored"),
    [
        ("de", "1.234,56", "12,5", ("1234.56", "12.50")),
        ("de", "400,50", "7", ("400.50", "7.00")),
        ("en", "1,234.56", "12.5", ("1234.56", "12.50")),
        ("en", "400.50", "7", ("400.50", "7.00")),
    ],
)
def test_deduction_type_limits_in_the_page_language_DT_2_DT_4(
    administrator_client, language, max_amount, max_percentage, stored
):
    """DT-2, DT-4: the maximum amount and percentage of a type, German or English."""
    use_language(administrator_client, language)
    data = _type_form("Miete", max_amount=max_amount, max_percentage=max_percentage)
    response = administrator_client.post(TYPE_URL + "add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = DeductionType.objects.get(name="Miete")
    assert (saved.max_amount, saved.max_percentage) == tuple(Decimal(v) for v in stored)


@pytest.mark.parametrize(
    ("language", "field", "typed", "message"),
    [
        ("de", "max_amount", "12,345", "Betrag bitte als 1.234,56 eingeben."),
        ("de", "max_amount", "abc", "Betrag bitte als 1.234,56 eingeben."),
        ("de", "max_amount", "400.50", "Betrag bitte als 1.234,56 eingeben."),
        ("en", "max_amount", "400,50", "Please enter the amount as 1,234.56."),
        ("de", "max_percentage", "12.5", "Prozentsatz bitte als 12,5 eingeben."),
        ("en", "default_percentage", "1e1", "Please enter the percentage as 12.5."),
    ],
)
def test_deduction_type_refusal_beside_the_field_DT_2_DT_12(
    administrator_client, language, field, typed, message
):
    """DT-2, DT-12: a refused entry is shown beside its field; no type is saved."""
    use_language(administrator_client, language)
    response = administrator_client.post(TYPE_URL + "add/", _type_form("Miete", **{field: typed}))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field] and message in errors[field][0]
    assert message in field_block(response.content.decode(), field)
    assert not DeductionType.objects.filter(name="Miete").exists()


@pytest.mark.parametrize(("language", "shown"), [("de", "1.234,50"), ("en", "1,234.50")])
def test_saved_type_limit_shown_in_the_page_language_DT_12(administrator_client, language, shown):
    """DT-12: the change page shows the saved maximum amount as the language writes it,
    in a text input (never a browser number input)."""
    dtype = factories.DeductionTypeFactory(max_amount=Decimal("1234.50"))
    use_language(administrator_client, language)
    page = administrator_client.get(f"{TYPE_URL}{dtype.pk}/change/").content.decode()
    block = field_block(page, "max_amount")
    assert f'value="{shown}"' in block and 'inputmode="decimal"' in block
    for name in ("min_amount", "max_amount", "default_amount", "max_percentage"):
        assert 'type="text"' in field_block(page, name)  # the priority alone is a number


def test_product_rates_and_amounts_in_english_PR_1(administrator_client):
    """PR-1: the product's rates and amounts in English; German text there is refused."""
    use_language(administrator_client, "en")
    refused = administrator_client.post(
        PRODUCT_URL + "add/", _product_form(min_payment_amount="10,50")
    )
    assert "min_payment_amount" in refused.context["adminform"].form.errors
    assert not Product.objects.exists()
    data = _product_form(
        max_deduction_rate="33.5", min_deduction_amount="1.50", min_payment_amount="1,010.50"
    )
    assert administrator_client.post(PRODUCT_URL + "add/", data).status_code == 302
    product = Product.objects.get()
    assert (product.max_deduction_rate, product.min_payment_amount) == (
        Decimal("33.50"),
        Decimal("1010.50"),
    )
