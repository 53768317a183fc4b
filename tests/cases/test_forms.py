"""Money on the case pages (IC-8 components, IC-9 reassessment, LI-1 liabilities): typed
in the page's language, refused beside the field with the accepted form, nothing saved on
a refusal (CD-6's rules for money entry, shared by every form)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from cases import services
from cases.models import CaseComponent, FinancialComponent, Liability
from tests import factories
from tests.money_entry import field_block, use_language

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw_client(client, caseworker):
    client.force_login(caseworker)
    return client


@pytest.fixture
def pdc(caseworker):
    case = factories.ProductDeliveryCaseFactory(case_supervisor=caseworker)
    factories.NomineeFactory(case=case, participant=case.primary_client)
    factories.ComponentTypeFactory(product=case.product, name="Regelbedarf")
    return case


def _add_component(client, case, amount):
    return client.post(
        f"/cases/pdc/{case.pk}/components/add/",
        {
            "component-component_type": case.product.component_types.get().pk,
            "component-amount": amount,
            "component-nominee": case.primary_client_id,
        },
    )


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [
        ("de", "400,50", "400.50"),
        ("de", "1.234,56", "1234.56"),
        ("de", "1234,56", "1234.56"),
        ("de", "400", "400.00"),
        ("en", "400.50", "400.50"),
        ("en", "1,234.56", "1234.56"),
    ],
)
def test_component_amount_in_the_page_language_IC_8(cw_client, pdc, language, typed, stored):
    """IC-8: the component amount is read the German or English way, never by the
    browser: 400,50 on a German page is 400.50, not 40050."""
    use_language(cw_client, language)
    response = _add_component(cw_client, pdc, typed)
    assert response.status_code == 302
    assert CaseComponent.objects.get().amount == Decimal(stored)


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("de", "12,345", "Betrag bitte als 1.234,56 eingeben."),
        ("de", "abc", "Betrag bitte als 1.234,56 eingeben."),
        ("de", "400.50", "Betrag bitte als 1.234,56 eingeben."),
        ("de", "1e3", "Betrag bitte als 1.234,56 eingeben."),
        ("de", "٤٠٠", "Betrag bitte als 1.234,56 eingeben."),
        ("en", "400,50", "Please enter the amount as 1,234.56."),
        ("en", "1.234", "Please enter the amount as 1,234.56."),
        ("en", "NaN", "Please enter the amount as 1,234.56."),
    ],
)
def test_component_amount_refused_beside_the_field_IC_8(cw_client, pdc, language, typed, message):
    """IC-8: a refused amount is named beside the amount field with the accepted form,
    the typed text stays in the input, and no component is saved."""
    use_language(cw_client, language)
    response = _add_component(cw_client, pdc, typed)
    assert response.status_code == 400
    block = field_block(response.content.decode(), "component-amount")
    assert message in block and 'inputmode="decimal"' in block and 'type="text"' in block
    assert not CaseComponent.objects.exists()


def test_reassessment_amount_in_both_languages_IC_9(cw_client, pdc, caseworker):
    """IC-9: the new amount of a reassessment is typed like any amount; a refusal
    stands beside it and changes nothing."""
    component = services.component_add(
        case=pdc,
        component_type=pdc.product.component_types.get(),
        amount=Decimal("100.00"),
        nominee=pdc.primary_client,
        user=caseworker,
    )
    services.product_delivery_case_activate(case=pdc, user=caseworker)
    url = f"/cases/pdc/{pdc.pk}/components/{component.pk}/reassess/"
    prefix = f"reassess-{component.pk}-"
    refused = cw_client.post(url, {f"{prefix}amount": "1,5e2", f"{prefix}effective_from": ""})
    assert refused.status_code == 400
    block = field_block(refused.content.decode(), f"{prefix}amount")
    assert "Betrag bitte als 1.234,56 eingeben." in block
    assert FinancialComponent.objects.count() == 1

    day = pdc.start_date + timedelta(days=7)
    cw_client.post(url, {f"{prefix}amount": "1.080,25", f"{prefix}effective_from": day})
    use_language(cw_client, "en")
    later = day + timedelta(days=28)
    cw_client.post(url, {f"{prefix}amount": "1,090.75", f"{prefix}effective_from": later})
    amounts = list(
        FinancialComponent.objects.order_by("start_date").values_list("amount", flat=True)
    )
    assert amounts == [Decimal("100.00"), Decimal("1080.25"), Decimal("1090.75")]


@pytest.mark.parametrize(
    ("language", "typed", "stored"), [("de", "1.234,56", "1234.56"), ("en", "600.50", "600.50")]
)
def test_liability_original_amount_in_the_page_language_LI_1(cw_client, language, typed, stored):
    """LI-1: the original amount of a liability, German or English."""
    person = factories.PersonFactory()
    use_language(cw_client, language)
    cw_client.post(
        "/cases/liabilities/new/",
        {"participant_reference": person.reference, "original_amount": typed},
    )
    liability = Liability.objects.get()
    assert liability.original_amount == liability.outstanding_amount == Decimal(stored)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "Der Betrag darf nicht negativ sein."),
        ("12,345", "Höchstens 2 Nachkommastellen."),
        ("123.456.789.012,00", "Höchstens 9.999.999.999,99."),
    ],
)
def test_liability_original_amount_refused_LI_1(cw_client, typed, message):
    """LI-1: a sign, a third decimal place or more than the column holds is refused
    beside the field; nothing is saved."""
    person = factories.PersonFactory()
    response = cw_client.post(
        "/cases/liabilities/new/",
        {"participant_reference": person.reference, "original_amount": typed},
    )
    block = field_block(response.content.decode(), "original_amount")
    assert message in block and "1.234,56" in block
    assert not Liability.objects.exists()
