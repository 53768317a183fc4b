"""SIM-5 client notice (Mitteilung über Abzüge): plain German, the engine's amounts in
German number and date formats, recorded on the case, reprinted identically."""

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from config import roles
from deductions.services import deduction_update
from payments.models import Notice, Payment, PaymentKind
from payments.services import payment_run_process_inline, payment_run_start
from payments.services.notice import notice_issue
from tests import factories
from tests.payments.builders import add_deduction, build_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _agency(settings):
    settings.AGENCY_NAME = "Jobcenter Nordstadt"
    settings.AGENCY_ADDRESS = ["Hafenstraße 12", "24103 Kiel"]
    settings.PAYMENT_RUN_MAX_DAYS_AHEAD = 3650


@pytest.fixture
def user():
    return factories.UserFactory(role=roles.CASEWORKER, first_name="Clara", last_name="Berg")


@pytest.fixture
def case():
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    liability = factories.LiabilityFactory(
        participant=setup.thomas,
        original_amount=Decimal("1240.00"),
        description="Überzahlung 2025",
    )
    overpayment = add_deduction(
        setup,
        name="Überzahlung",
        category="applied",
        amount="20",
        liability=liability,
        action="partial",
    )
    utility = factories.UtilityFactory(name="Stadtwerke Nord")
    rent = add_deduction(
        setup,
        name="Miete",
        category="third_party",
        amount="10",
        nominee="linda",
        third_party=utility,
    )
    gas = add_deduction(setup, name="Gas", amount="40", nominee="thomas")
    return {
        "setup": setup,
        "liability": liability,
        "overpayment": overpayment,
        "rent": rent,
        "gas": gas,
    }


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_payment_notice_shows_the_engine_lines_in_german_SIM_5(client, user, case):
    """SIM-5: the notice of a payment shows each of the engine's lines (processed amounts,
    the skipped one with its reason), the net, the third party paid, German formats."""
    run, _created = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    payment_run_process_inline(run=run)
    payment = Payment.objects.get(
        kind=PaymentKind.BENEFIT, nominee=case["setup"].thomas, period_start=date(2026, 1, 5)
    )
    client.force_login(user)
    response = client.post(f"/notices/new/payment/{payment.pk}/")
    notice = Notice.objects.get(payment=payment)
    assert response["Location"] == f"/notices/{notice.pk}/" and notice.kind == "payment"
    html = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "Mitteilung über Abzüge" in html
    assert "Jobcenter Nordstadt" in html and "Hafenstraße 12 · 24103 Kiel" in html
    assert "Ihre Zahlung für den Zeitraum 05.01.2026 – 11.01.2026" in html
    assert "Zahltag</th><td>12.01.2026" in html
    lines = payment.details["deductions"]
    assert [line["amount"] for line in lines] == ["20.00", "0.00"]
    assert 'Überzahlung</th><td class="num">− 20,00 €' in html
    assert "Gas (nicht abgezogen: Der verbleibende Leistungsbetrag reicht" in html
    assert 'Ausgezahlt an Sie</th><td class="num">80,00 €' in html
    assert "Noch offen" in html and "1.220,00 €" in html
    assert "Rückzahlung Ihrer Verbindlichkeit" in html and "Überzahlung 2025" in html

    linda = Payment.objects.get(
        kind=PaymentKind.BENEFIT, nominee=case["setup"].linda, period_start=date(2026, 1, 5)
    )
    html = client.get(
        f"/notices/{notice_issue(kind='payment', payment=linda, user=user).pk}/"
    ).content.decode()
    assert "Stadtwerke Nord, Referenz REF-4711" in html and "10,00 €" in html


def test_deduction_notice_with_payoff_and_next_payment_SIM_5(client, user, case):
    """SIM-5: the notice of a new applied deduction: amount, period, reason, remaining
    balance and payoff date (LI-3), and the next payment as the engine computes it."""
    client.force_login(user)
    response = client.post(f"/notices/new/deduction/{case['overpayment'].pk}/")
    notice = Notice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/notices/{notice.pk}/"
    assert notice.kind == "deduction_created" and notice.case_id == case["setup"].case.pk
    assert notice.issued_by == user and len(notice.facts_digest) == 64
    html = client.get(f"/notices/{notice.pk}/").content.decode()
    assert "Neuer Abzug von Ihrer Leistung: Überzahlung" in html
    assert "20,00 € je Zahlung" in html
    assert "05.01.2026 – 31.12.2026" in html
    assert "Noch offener Betrag</th><td>1.240,00 €" in html
    # 1,240 € at 20 € a week from 12.01.2026 is not repaid by the case's expected end.
    assert "wird bis zum voraussichtlichen Fallende (31.12.2026) nicht getilgt" in html
    assert "So sieht Ihre nächste Zahlung am 12.01.2026 voraussichtlich aus" in html
    assert "− 20,00 €" in html


def test_notice_reprints_identically_after_a_later_change_SIM_5(client, user, case):
    """SIM-5: after the deduction and the liability change, the notice's page and PDF are
    exactly what they were when it was issued."""
    client.force_login(user)
    client.post(f"/notices/new/deduction/{case['overpayment'].pk}/")
    notice = Notice.objects.get()
    page = client.get(f"/notices/{notice.pk}/").content
    pdf = client.get(f"/notices/{notice.pk}/pdf/").content
    assert "20,00 € je Zahlung" in _pdf_text(pdf)

    deduction_update(deduction=case["overpayment"], user=user, amount=Decimal("35.00"))
    case["liability"].outstanding_amount = Decimal("100.00")
    case["liability"].save()
    client.get("/i18n/setlang/")  # any other request in between changes nothing
    assert client.get(f"/notices/{notice.pk}/").content == page
    assert client.get(f"/notices/{notice.pk}/pdf/").content == pdf
    # A new notice shows the new facts (another version).
    client.post(f"/notices/new/deduction/{case['overpayment'].pk}/")
    newer = Notice.objects.exclude(pk=notice.pk).get()
    assert newer.kind == "deduction_changed"
    assert newer.facts_digest != notice.facts_digest
    assert "35,00 € je Zahlung" in client.get(f"/notices/{newer.pk}/").content.decode()


def test_notice_pdf_text_SIM_5(client, user, case):
    """SIM-5: the PDF (ReportLab, Helvetica/WinAnsi) carries the same text: €, umlauts,
    German numbers and dates."""
    client.force_login(user)
    client.post(f"/notices/new/deduction/{case['overpayment'].pk}/")
    notice = Notice.objects.get()
    response = client.get(f"/notices/{notice.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="mitteilung-{notice.pk}.pdf"' in response["Content-Disposition"]
    text = _pdf_text(response.content)
    for expected in (
        "Jobcenter Nordstadt",
        "Hafenstraße 12 · 24103 Kiel",
        "Mitteilung über Abzüge",
        "Neuer Abzug von Ihrer Leistung: Überzahlung",
        "Thomas Müller",
        "1.240,00 €",
        "05.01.2026",
        "Stadtwerke Nord",
    ):
        assert expected in text, expected


def test_notices_listed_on_the_case_and_roles_RO_1(client, user, case):
    """SIM-5, RO-1: notices are listed on the case (who, when, kind, version); caseworkers
    and supervisors issue them; administrators may read but not issue; others neither."""
    client.force_login(user)
    client.post(f"/notices/new/deduction/{case['overpayment'].pk}/", {"kind": "deduction_ended"})
    notice = Notice.objects.get()
    assert notice.kind == "deduction_ended"
    html = client.get(f"/cases/pdc/{case['setup'].case.pk}/notices/").content.decode()
    assert "Abzug beendet" in html and "Clara Berg" in html and notice.facts_digest[:12] in html

    client.force_login(factories.UserFactory(role="Administrator"))
    assert client.post(f"/notices/new/deduction/{case['overpayment'].pk}/").status_code == 403
    assert client.get(f"/notices/{notice.pk}/").status_code == 200
    client.force_login(factories.UserFactory(role="Case supervisor"))
    assert client.post(f"/notices/new/deduction/{case['gas'].pk}/").status_code == 302
    client.force_login(factories.UserFactory(role=None))
    assert client.get(f"/notices/{notice.pk}/").status_code == 403
    assert client.get(f"/notices/{notice.pk}/pdf/").status_code == 403


def test_notices_api_SIM_5(api, admin_api, anon_api, case):
    """SIM-5 over the API: POST /api/v1/notices/ issues one (201), the list filters by
    case, ``{id}/pdf/`` is the PDF; administrators read only, anonymous callers get 401."""
    response = api.post("/api/v1/notices/", {"deduction": case["overpayment"].pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "deduction_created" and body["kind_display"] == "Abzug angelegt"
    assert body["facts"]["subject"] == "Neuer Abzug von Ihrer Leistung: Überzahlung"
    listed = api.get(f"/api/v1/notices/?case={case['setup'].case.pk}").json()
    assert listed["count"] == 1
    pdf = api.get(f"/api/v1/notices/{body['id']}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Überzahlung" in _pdf_text(pdf.content)
    assert api.post("/api/v1/notices/", {}, format="json").status_code == 400
    assert (
        admin_api.post("/api/v1/notices/", {"deduction": case["gas"].pk}, format="json").status_code
        == 403
    )
    assert admin_api.get(f"/api/v1/notices/{body['id']}/").status_code == 200
    assert anon_api.get("/api/v1/notices/").status_code == 401
