"""Issue 14 (item 6), PAY-12, CD-14: the main pages write money and dates in the page's
language — English "€40,050.00" and "5 Jan 2026", German "40.050,00 €" and "05.01.2026"
(component tables used to show "40050,00" without €, English pages "30.00 €")."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories


@pytest.fixture
def component(db):
    case = factories.ProductDeliveryCaseFactory(start_date=date(2026, 1, 5))
    return factories.CaseComponentFactory(case=case, amount=Decimal("40050.00"))


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


def test_case_page_component_amounts_with_currency_PAY_12(client, caseworker, component):
    client.force_login(caseworker)
    url = reverse("cases:pdc-detail", args=[component.case_id])
    german = client.get(url).content.decode()
    assert "40.050,00 €" in german and "05.01.2026" in german
    _english(client)
    english = client.get(url).content.decode()
    assert "€40,050.00" in english and "5 Jan 2026" in english
    assert "40050,00" not in english and "40.050,00" not in english and "05.01.2026" not in english


def test_payment_page_money_per_language_PAY_12(client, caseworker):
    payment = factories.ThirdPartyPaymentFactory()
    client.force_login(caseworker)
    url = reverse("payments:payment-detail", args=[payment.pk])
    german = client.get(url).content.decode()
    net = f"{payment.net:.2f}"
    assert f"{net.replace('.', ',')} €" in german
    _english(client)
    english = client.get(url).content.decode()
    assert f"€{net}" in english and f"{net} €" not in english


def test_payment_page_names_payment_without_id(client, caseworker):
    """Issue 14 (item 5): the payment's heading and title are its kind, nominee and
    period, not "Leistungszahlung 4"."""
    payment = factories.BenefitPaymentFactory()
    client.force_login(caseworker)
    html = client.get(reverse("payments:payment-detail", args=[payment.pk])).content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    heading = html.split("<h1>")[1].split("</h1>")[0]
    assert f"Leistungszahlung {payment.pk}" not in heading
    assert payment.nominee.name in heading and payment.period_start.strftime("%d.%m.%Y") in heading
    assert payment.label in title


def test_deduction_page_money_and_breadcrumb_per_language_CD_14(client, caseworker):
    deduction = factories.DeductionFactory(amount=Decimal("1230.00"), percentage=None)
    client.force_login(caseworker)
    url = reverse("deductions:detail", args=[deduction.pk])
    german = client.get(url).content.decode()
    assert "1.230,00 €" in german
    crumbs = german.split('aria-label="Brotkrumen"')[1].split("</nav>")[0]
    assert f"Abzug {deduction.pk}" not in crumbs and deduction.deduction_type.name in crumbs
    _english(client)
    assert "€1,230.00" in client.get(url).content.decode()


def test_deduction_label_names_type_and_case(db):
    deduction = factories.DeductionFactory()
    expected = f"{deduction.deduction_type.name} · {deduction.case.reference}"
    assert deduction.label == expected and str(deduction.pk) not in expected.split(" · ")


def test_payment_text_in_admin_and_history_is_readable(db):
    """Issue 14 (item 5): a payment named in admin or in a history reads
    "Leistungszahlung 1.204,56 € (05.01.2026 – 11.01.2026)", not ISO dates and "1204.56"."""
    payment = factories.BenefitPaymentFactory(
        period_start=date(2026, 1, 5),
        period_end=date(2026, 1, 11),
        gross=Decimal("1204.56"),
        tax=Decimal("0"),
        net=Decimal("1204.56"),
    )
    with translation.override("de"):
        assert str(payment) == "Leistungszahlung 1.204,56 € (05.01.2026 – 11.01.2026)"
    with translation.override("en"):
        assert str(payment) == "Benefit payment €1,204.56 (5 Jan 2026 – 11 Jan 2026)"
