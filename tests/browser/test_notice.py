"""Browser: a caseworker issues the client notice of a deduction and downloads its PDF
(SIM-5)."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from config import roles
from payments.models import Notice
from tests import factories
from tests.payments.builders import add_deduction, build_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_issues_notice_and_downloads_pdf_SIM_5(page, login, settings):
    """SIM-5: from the deduction's page: "Mitteilung erstellen" opens the printable notice;
    "PDF herunterladen" gives a PDF whose text has the amounts in German formats."""
    settings.AGENCY_NAME = "Jobcenter Nordstadt"
    factories.UserFactory(username="clara", role=roles.CASEWORKER)
    setup = build_case(components=(("c1", "thomas", "100"),))
    liability = factories.LiabilityFactory(
        participant=setup.thomas, original_amount=Decimal("300.00")
    )
    overpayment = add_deduction(
        setup,
        name="Überzahlung",
        category="applied",
        amount="20",
        liability=liability,
        action="partial",
    )

    login("clara")
    page.goto(f"/deductions/{overpayment.pk}/")
    page.get_by_role("button", name="Mitteilung erstellen").click()
    notice = page.get_by_test_id("notice")
    notice.wait_for()
    text = notice.inner_text()
    assert "Neuer Abzug von Ihrer Leistung: Überzahlung" in text
    assert "20,00 € je Zahlung" in text
    assert "voraussichtlich getilgt am 20.04.2026 (nach 15 Zahlungen)" in text

    with page.expect_download() as download_info:
        page.get_by_test_id("notice-pdf").click()
    download = download_info.value
    assert download.suggested_filename == f"mitteilung-{Notice.objects.get().pk}.pdf"
    content = open(download.path(), "rb").read()
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Jobcenter Nordstadt" in pdf_text
    assert "Neuer Abzug von Ihrer Leistung: Überzahlung" in pdf_text
    assert "20,00 € je Zahlung" in pdf_text
    assert "300,00 €" in pdf_text
    assert "20.04.2026" in pdf_text
