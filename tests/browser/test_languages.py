"""Browser, issue 14 (item 6), PAY-12, SIM-2, WF-4: after the header's language switch the
main pages write dates as "5 Jan 2026" and money as "€40,050.00" — no German date
(05.01.2026) or German amount ("30,00 €", "40050,00") left — and task subjects in
English; the German pages keep 05.01.2026 and 40.050,00 €."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GERMAN_DATE = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")
GERMAN_MONEY = re.compile(r"\d,\d{2} €")
NUMERIC_ENGLISH_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")


@pytest.fixture
def scene(caseworker):
    case = factories.ProductDeliveryCaseFactory(
        case_supervisor=caseworker, start_date=date(2026, 1, 5)
    )
    factories.NomineeFactory(case=case, participant=case.primary_client)
    factories.CaseComponentFactory(case=case, amount=Decimal("40050.00"))
    deduction = factories.DeductionFactory(
        case=case, amount=Decimal("30.00"), percentage=None, start_date=date(2026, 1, 5)
    )
    payment = factories.BenefitPaymentFactory(
        case=case,
        period_start=date(2026, 1, 5),
        period_end=date(2026, 1, 11),
        effective_date=date(2026, 1, 12),
        gross=Decimal("1234.56"),
        tax=Decimal("0.00"),
        net=Decimal("1204.56"),
    )
    task = factories.TaskFactory(
        assignee=caseworker,
        case=case,
        deduction=deduction,
        subject=f"Abzug „Strom“ (Nr. {deduction.pk}) ist abgelaufen",
        text_code="deduction_expired",
        text_params={"name": "Strom", "id": deduction.pk, "ref": case.reference},
        due_date=date(2026, 2, 1),
    )
    return case, deduction, payment, task


def _pages(case, deduction, payment, task):
    return {
        "case": reverse("cases:pdc-detail", args=[case.pk]),
        "deductions": reverse("deductions:case-list", args=[case.pk]),
        "deduction": reverse("deductions:detail", args=[deduction.pk]),
        "payments": reverse("payments:case-payments", args=[case.pk]),
        "payment": reverse("payments:payment-detail", args=[payment.pk]),
        "tasks": reverse("workflow:task-list"),
        "task": reverse("workflow:task-detail", args=[task.pk]),
    }


def _main(page) -> str:
    return page.locator("main").inner_text()


def test_main_pages_in_german_and_english_PAY_12_SIM_2_WF_4(page, login, scene):
    case, deduction, payment, task = scene
    pages = _pages(*scene)
    login("cw")

    page.goto(pages["case"])
    german = _main(page)
    assert "40.050,00 €" in german and "05.01.2026" in german
    page.goto(pages["payment"])
    german = _main(page)
    assert "1.234,56 €" in german and "05.01.2026 – 11.01.2026" in german
    page.goto(pages["tasks"])
    assert "ist abgelaufen" in _main(page) and "01.02.2026" in _main(page)

    page.select_option("#language-select", "en")
    page.click("#language-submit")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    for name, url in pages.items():
        page.goto(url)
        text = _main(page)
        assert not GERMAN_DATE.search(text), (name, GERMAN_DATE.search(text))
        assert not GERMAN_MONEY.search(text), (name, GERMAN_MONEY.search(text))
        assert not NUMERIC_ENGLISH_DATE.search(text), name
        assert "40050,00" not in text, name

    page.goto(pages["case"])
    text = _main(page)
    assert "€40,050.00" in text and "5 Jan 2026" in text
    page.goto(pages["deduction"])
    text = _main(page)
    assert "€30.00" in text and "5 Jan 2026" in text
    page.goto(pages["payments"])
    text = _main(page)
    assert "5 Jan 2026 – 11 Jan 2026" in text and "12 Jan 2026" in text
    page.goto(pages["payment"])
    text = _main(page)
    assert "€1,234.56" in text and "€1,204.56" in text
    assert f"Benefit payment {payment.pk}" not in text
    page.goto(pages["tasks"])
    text = _main(page)
    assert "has expired" in text and "ist abgelaufen" not in text and "1 Feb 2026" in text
