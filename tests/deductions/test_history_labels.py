"""Issue 14 (item 5), CD-15: the deduction history names who acted and what was paid in
words, never by id — processing rows name the payment run that wrote them ("Zahlungslauf
12.02.2026") instead of "–", show the payment's coverage period instead of the moment
the run wrote the row, and the payment by kind and nominee instead of "#4"."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import translation

from deductions import selectors, services
from payments.models import PaymentRun
from tests import factories
from tests.deductions.conftest import create
from tests.html_tables import table_rows


def _processed_by_run(deduction, run_date=date(2026, 2, 9)):
    run = PaymentRun.objects.create(run_date=run_date)
    payment = factories.BenefitPaymentFactory(
        case=deduction.case,
        period_start=date(2026, 2, 2),
        period_end=date(2026, 2, 8),
        effective_date=run_date,
        net=Decimal("90.00"),
        payment_run_id=run.pk,
    )
    return factories.DeductionProcessingFactory(
        deduction=deduction,
        payment=payment,
        status="processed",
        amount=Decimal("10.00"),
        balance_after=Decimal("90.00"),
    )


def test_processing_entry_names_the_run_and_payment_CD_15(world):
    """CD-15: a processing entry's acting party is the payment run, by its date."""
    deduction = create(world, activate=True)
    line = _processed_by_run(deduction)
    entry = [e for e in selectors.deduction_history(deduction=deduction) if e.payment][0]
    assert entry.user is None
    assert entry.user_name == "Zahlungslauf 09.02.2026"
    assert entry.payment_label == f"Leistungszahlung · {line.payment.nominee.name}"


def test_processing_entry_in_english_CD_15(world):
    deduction = create(world, activate=True)
    _processed_by_run(deduction)
    with translation.override("en"):
        entry = [e for e in selectors.deduction_history(deduction=deduction) if e.payment][0]
    assert entry.user_name == "Payment run 9 Feb 2026"


def test_history_page_shows_run_period_and_payment_without_ids_CD_15(client, world, caseworker):
    """CD-15: the page's processing row: the run as user, the coverage period as its date,
    the payment linked by kind and nominee; the breadcrumb names the deduction's type."""
    deduction = create(world, activate=True)
    line = _processed_by_run(deduction)
    services.deduction_deactivate(deduction=deduction, user=world.user)
    client.force_login(caseworker)
    html = client.get(reverse("deductions:history", args=[deduction.pk])).content.decode()
    rows = table_rows(html, 'data-testid="history-table"')
    processed = [row for row in rows if row["Ereignis"] == "Verarbeitet"][0]
    assert processed["Benutzer"] == "Zahlungslauf 09.02.2026"
    assert processed["Datum"] == "02.02.2026 – 08.02.2026"
    assert processed["Zahlung"] == f"Leistungszahlung · {line.payment.nominee.name}"
    assert f"#{line.payment_id}" not in html
    assert reverse("payments:payment-detail", args=[line.payment_id]) in html
    crumbs = html.split('aria-label="Brotkrumen"')[1].split("</nav>")[0]
    assert deduction.deduction_type.name in crumbs and f"Abzug {deduction.pk}" not in crumbs
    # The other rows still name the person who acted.
    assert {row["Benutzer"] for row in rows if row["Ereignis"] != "Verarbeitet"} == {
        world.user.get_full_name() or world.user.username
    }


def test_history_page_writes_changes_in_page_language_CD_15(client, world, caseworker):
    """CD-15: an edit's changes read as the page writes dates and amounts ("31.12.2026",
    "45,50"; English "31 Dec 2026", "45.50"), not as stored values."""
    deduction = create(world, activate=True)
    old_end = deduction.end_date
    services.deduction_update(
        deduction=deduction,
        user=world.user,
        amount=Decimal("45.50"),
        end_date=date(2026, 12, 31),
    )
    client.force_login(caseworker)
    url = reverse("deductions:history", args=[deduction.pk])
    rows = table_rows(client.get(url).content.decode(), 'data-testid="history-table"')
    edit = [row for row in rows if row["Ereignis"] == "Geändert"][0]["Grund / Änderungen"]
    assert "40,00 → 45,50" in edit
    assert f"{old_end:%d.%m.%Y} → 31.12.2026" in edit
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(url).content.decode()
    assert "40.00 → 45.50" in html
    assert f"{old_end.day} {old_end:%b %Y} → 31 Dec 2026" in html
