"""The payments pages: simulation (SIM-1..3), a case's payments (PAY-12), payment runs
(PAY-13), the agency account (LI-2), and their roles (RO-1)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from config import roles
from payments.models import Payment, PaymentRun, Simulation
from payments.services import payment_run_process_inline, payment_run_start, simulation_run
from tests import factories
from tests.payments.builders import add_deduction, build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw_client(client, caseworker):
    client.force_login(caseworker)
    return client


@pytest.fixture
def admin_client_(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def setup():
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    add_deduction(setup, name="Gas", amount="40", nominee="thomas")
    return setup


def test_simulate_page_shows_lines_reasons_balances_and_waterfall_SIM_2(cw_client, setup):
    """SIM-2: each payment with period, effective date, nominee, gross per component,
    tax, every line (amount or German reason), the balance after each line, the net and
    an inline SVG waterfall; nothing is saved by simulating (SIM-1)."""
    url = reverse("payments:simulate", args=[setup.case.pk])
    page = cw_client.get(url)
    assert page.status_code == 200
    assert 'name="up_to"' in page.content.decode()
    response = cw_client.get(url, {"up_to": "2026-01-12"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thomas Müller" in html and "Linda Müller" in html
    assert "05.01.2026" in html or "2026-01-05" in html
    assert "Strom" in html and "20,00 €" in html
    assert "Der verbleibende Leistungsbetrag reicht für den Abzug nicht aus." in html
    assert "10,00 €" in html  # balance after Strom: 30 − 20
    assert "80,00 €" in html  # Thomas's net
    assert "<svg" in html and "<rect" in html
    # No script or stylesheet from another host (a CDN); a plain "cdn" search also hit the
    # random CSRF token now and then.
    assert not re.search(r'<(?:script|link)\b[^>]*(?:src|href)="(?:https?:)?//', html)
    assert Simulation.objects.count() == 0 and Payment.objects.count() == 0


def test_simulate_page_htmx_returns_the_result_fragment_SIM_2(cw_client, setup):
    response = cw_client.get(
        reverse("payments:simulate", args=[setup.case.pk]),
        {"up_to": "2026-01-12"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.startswith('<div id="simulation-result">')
    assert "<html" not in html


def test_simulate_page_shows_errors_beside_the_field_SIM_1(cw_client, setup):
    # Beyond the expected end (31.12.2026): without it the page stops there (issue 14).
    response = cw_client.get(
        reverse("payments:simulate", args=[setup.case.pk]),
        {"up_to": "2099-12-31", "beyond_end": "on"},
    )
    html = response.content.decode()
    assert 'class="field-error"' in html
    assert "höchstens 520 Zahlungszeiträume" in html


def test_simulate_page_far_future_date_shows_the_limit_beside_the_field_SIM_1(cw_client, setup):
    """SIM-1: a date centuries ahead (DATE_MAX, 2199-12-31) on the page is an error beside
    the date, not a 500."""
    url = reverse("payments:simulate", args=[setup.case.pk])
    # Beyond the expected end (31.12.2026): without it the page stops there (issue 14).
    far = {"up_to": "2199-12-31", "beyond_end": "on"}
    for response in (cw_client.get(url, far), cw_client.post(url, far)):
        html = response.content.decode()
        assert response.status_code == 200
        assert 'class="field-error"' in html
        assert "höchstens 520 Zahlungszeiträume" in html
    assert Simulation.objects.count() == 0


def test_saving_a_simulation_with_nothing_due_shows_the_error_beside_the_field_SIM_3(
    cw_client, setup
):
    """SIM-3: saving from the page when no payment is due up to the date shows the
    German message beside the date (not a 500) and saves nothing."""
    response = cw_client.post(
        reverse("payments:simulate", args=[setup.case.pk]), {"up_to": "2026-01-06"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="field-error"' in html
    assert "Bis zu diesem Datum ist keine Zahlung fällig; es gibt nichts zu speichern." in html
    assert Simulation.objects.count() == 0


def test_save_and_compare_pages_highlight_differences_SIM_3(cw_client, setup, caseworker):
    """SIM-3: saving from the page stores the simulation; two saved ones are compared
    side by side with the differing values marked with class "diff"."""
    url = reverse("payments:simulate", args=[setup.case.pk])
    response = cw_client.post(url, {"up_to": "2026-01-12"})
    assert response.status_code == 302
    first = Simulation.objects.get()
    assert response["Location"] == reverse(
        "payments:simulation-detail", args=[setup.case.pk, first.pk]
    )
    detail = cw_client.get(response["Location"])
    assert "Strom" in detail.content.decode()
    second = simulation_run(
        case_id=setup.case.pk, up_to=date(2026, 1, 19), user=caseworker, save=True
    )["id"]
    listing = cw_client.get(url).content.decode()
    assert f"Simulation {first.pk}" in listing and f"Simulation {second}" in listing
    compare = cw_client.get(
        reverse("payments:simulation-compare", args=[setup.case.pk]),
        {"a": first.pk, "b": second},
    )
    html = compare.content.decode()
    assert compare.status_code == 200
    assert 'class="num diff"' in html  # the second week exists only in B
    same = cw_client.get(
        reverse("payments:simulation-compare", args=[setup.case.pk]),
        {"a": first.pk, "b": first.pk},
    ).content.decode()
    assert "diff" not in same.split('data-testid="comparison"')[1].split("</table>")[0]
    assert "Die beiden Simulationen sind gleich." in same


def test_case_payments_and_payment_detail_pages_PAY_12(cw_client, setup):
    """PAY-12: the case's payment list, and a payment's gross, tax and net per component
    with each deduction line."""
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    payment_run_process_inline(run=run)
    listing = cw_client.get(reverse("payments:case-payments", args=[setup.case.pk]))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "Leistungszahlung" in html and "80,00 €" in html
    payment = Payment.objects.get(nominee=setup.thomas)
    detail = cw_client.get(reverse("payments:payment-detail", args=[payment.pk])).content.decode()
    assert "Komponente c1" in detail and "Strom" in detail
    assert "Der verbleibende Leistungsbetrag reicht für den Abzug nicht aus." in detail


def test_run_pages_start_a_run_and_poll_progress_PAY_13(admin_client_, setup):
    """PAY-13: administrators start a run from the run page and watch its progress bar,
    which polls with htmx until the run is finished."""
    listing = admin_client_.get(reverse("payments:run-list"))
    assert listing.status_code == 200
    response = admin_client_.post(reverse("payments:run-list"), {"run_date": "2026-01-12"})
    run = PaymentRun.objects.get()
    assert response["Location"] == reverse("payments:run-detail", args=[run.pk])
    page = admin_client_.get(response["Location"]).content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page
    payment_run_process_inline(run=run)
    fragment = admin_client_.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<section class="card" id="run-progress"')
    assert "hx-trigger" not in fragment  # finished: polling stops
    assert "Abgeschlossen" in fragment
    again = admin_client_.post(reverse("payments:run-list"), {"run_date": "2026-01-12"})
    assert again["Location"] == response["Location"]
    assert PaymentRun.objects.count() == 1
    bad = admin_client_.post(reverse("payments:run-list"), {"run_date": "kein Datum"})
    assert 'class="field-error"' in bad.content.decode()


def test_admin_starts_a_run_from_django_admin_PAY_13(admin_client_, setup):
    """PAY-13: "Zahlungslauf hinzufügen" in Django admin starts a run (the service plans
    its chunks); the change page shows its progress."""
    response = admin_client_.post(
        reverse("admin:payments_paymentrun_add"), {"run_date": "2026-01-12"}
    )
    assert response.status_code == 302
    run = PaymentRun.objects.get()
    assert run.total_chunks == 1 and run.started_by is not None
    change = admin_client_.get(reverse("admin:payments_paymentrun_change", args=[run.pk]))
    assert "<progress" in change.content.decode()


def test_agency_account_page_LI_2(cw_client, setup):
    """LI-2: the amounts credited to the agency's account, per type and per case."""
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    payment_run_process_inline(run=run)
    html = cw_client.get(reverse("payments:agency-account")).content.decode()
    assert "Strom" in html and "20,00 €" in html and setup.case.reference in html


@pytest.mark.parametrize(
    "name, args, allowed",
    [
        ("payments:simulate", "case", {"caseworker"}),
        ("payments:case-payments", "case", {"caseworker", "administrator"}),
        ("payments:run-list", None, {"administrator"}),
        ("payments:agency-account", None, {"caseworker", "administrator"}),
    ],
)
def test_pages_enforce_roles_RO_1(client, setup, name, args, allowed):
    """RO-1: every page checks the role; anonymous users are sent to the login page."""
    url = reverse(name, args=[setup.case.pk] if args else [])
    assert client.get(url).status_code == 302  # anonymous → login
    for role, user in (
        ("caseworker", factories.UserFactory(role=roles.CASEWORKER, username="cw-role")),
        ("administrator", factories.UserFactory(role=roles.ADMINISTRATOR, username="adm-role")),
    ):
        client.force_login(user)
        assert client.get(url).status_code == (200 if role in allowed else 403), (role, url)


def test_simulate_page_warns_that_runs_withhold_a_suspended_case_SIM_1(cw_client, setup):
    """SIM-1: simulating a suspended case still shows the payments, with a German notice
    that real runs pay nothing meanwhile and pay the withheld periods after resuming."""
    from cases.models import ProductDeliveryCase

    url = reverse("payments:simulate", args=[setup.case.pk])
    assert 'id="simulation-status-notice"' not in cw_client.get(url).content.decode()
    ProductDeliveryCase.objects.filter(pk=setup.case.pk).update(status="suspended")
    html = cw_client.get(url, {"up_to": "2026-01-12"}).content.decode()
    assert 'id="simulation-status-notice"' in html
    assert "Zahlungsläufe zahlen nichts aus, solange er ausgesetzt ist" in html
    assert "zurückgehaltenen Zeiträume" in html
    assert "80,00 €" in html  # the payments are still shown
    ProductDeliveryCase.objects.filter(pk=setup.case.pk).update(status="open")
    html = cw_client.get(url).content.decode()
    assert "Der Fall ist noch nicht aktiv" in html


def test_simulate_page_in_english_translates_waterfall_and_dates_SIM_2(cw_client, setup):
    """SIM-2: in English the waterfall's bars read Gross/Net (not Brutto/Netto) and dates
    read "12 Jan 2026" (issue 14; they read d.m.Y as in German before, D-014)."""
    cw_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    url = reverse("payments:simulate", args=[setup.case.pk])
    html = cw_client.get(url, {"up_to": "2026-01-12"}).content.decode()
    assert ">Gross<" in html and ">Net<" in html
    assert ">Brutto<" not in html and ">Netto<" not in html
    assert "12 Jan 2026" in html
    assert "12.01.2026" not in html and "01/12/2026" not in html


def _summary_rows(html: str) -> list[str]:
    table = html.split('data-testid="simulation-summary"')[1].split("</table>")[0]
    return table.split('data-testid="summary-row"')[1:]


def test_simulate_page_summary_rows_link_to_each_payment_card_SIM_1_SIM_2(cw_client, setup):
    """SIM-1, SIM-2: above the cards a compact table has one row per payment (period,
    effective date, nominee, gross, tax, deducted, net, skipped lines) whose link jumps
    to that payment's card, which carries the id payment-<n>."""
    url = reverse("payments:simulate", args=[setup.case.pk])
    html = cw_client.get(url, {"up_to": "2026-01-19"}).content.decode()
    assert html.index('data-testid="simulation-summary"') < html.index('data-testid="payment"')
    rows = _summary_rows(html)
    assert len(rows) == html.count('data-testid="payment"') == 4
    for n, row in enumerate(rows, start=1):
        assert f'href="#payment-{n}"' in row
        assert f'data-testid="payment" id="payment-{n}"' in html
    thomas, linda = rows[0], rows[1]
    assert "05.01.2026 – 11.01.2026" in thomas and "12.01.2026" in thomas
    assert "Thomas Müller" in thomas
    cells = ['<td class="num">100,00 €', '<td class="num">0,00 €', '<td class="num">20,00 €']
    assert all(cell in thomas for cell in cells)
    assert '<td class="num">80,00 €</td><td class="num">1</td>' in thomas  # net, 1 skipped
    assert "Linda Müller" in linda
    assert '<td class="num">50,00 €</td><td class="num">0</td>' in linda
    assert "12.01.2026 – 18.01.2026" in rows[2] and "19.01.2026" in rows[2]


def test_simulate_page_summary_totals_are_decimal_sums_in_german_format_SIM_2(cw_client):
    """SIM-2: the totals row sums gross, tax, deducted and net exactly (Decimal, cents
    that floats would miss) and writes them as the page does: 1.000,29 €."""
    setup = build_case(
        tax="10",
        taxable=("c1",),
        components=(("c1", "thomas", "333.33"), ("c2", "linda", "0.10")),
    )
    add_deduction(setup, name="Strom", amount="20.05", nominee="thomas")
    add_deduction(setup, name="Gas", amount="400", nominee="thomas")
    url = reverse("payments:simulate", args=[setup.case.pk])
    response = cw_client.get(url, {"up_to": "2026-01-26"})
    summary = response.context["summary"]
    assert len(summary["rows"]) == 6
    assert summary["totals"] == {
        "gross": Decimal("1000.29"),
        "tax": Decimal("99.99"),
        "deducted": Decimal("60.15"),
        "net": Decimal("840.15"),
    }
    assert all(isinstance(value, Decimal) for value in summary["totals"].values())
    for key in ("gross", "tax", "deducted", "net"):
        assert summary["totals"][key] == sum((row[key] for row in summary["rows"]), Decimal(0))
    html = response.content.decode()
    totals = html.split('data-testid="summary-totals"')[1].split("</tr>")[0]
    assert ">Summe<" in totals
    assert (
        '<td class="num">1.000,29 €</td><td class="num">99,99 €</td>'
        '<td class="num">60,15 €</td><td class="num">840,15 €</td>'
    ) in totals


def test_simulation_lines_read_would_be_deducted_not_processed_SIM_1_SIM_2(
    cw_client, setup, caseworker
):
    """SIM-1, SIM-2: nothing is processed by a simulation, so a line that would be taken
    reads "Würde abgezogen" (live and saved); skipped lines keep "Übersprungen" and their
    reason. A real payment's page still reads "Verarbeitet"."""
    url = reverse("payments:simulate", args=[setup.case.pk])
    html = cw_client.get(url, {"up_to": "2026-01-12"}).content.decode()
    lines = html.split('data-testid="deduction-line"')[1:]
    assert "Strom" in lines[0] and "Würde abgezogen" in lines[0]
    assert "Gas" in lines[1] and "Übersprungen" in lines[1]
    assert "Der verbleibende Leistungsbetrag reicht für den Abzug nicht aus." in lines[1]
    assert "Verarbeitet" not in html

    saved = simulation_run(
        case_id=setup.case.pk, up_to=date(2026, 1, 12), user=caseworker, save=True
    )["id"]
    detail = cw_client.get(
        reverse("payments:simulation-detail", args=[setup.case.pk, saved])
    ).content.decode()
    assert "Würde abgezogen" in detail and "Verarbeitet" not in detail
    assert len(_summary_rows(detail)) == 2 and 'id="payment-2"' in detail

    cw_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = cw_client.get(url, {"up_to": "2026-01-12"}).content.decode()
    assert "Would be deducted" in english and "Payments overview" in english
    assert "Skipped deductions" in english and ">Total<" in english
    cw_client.post("/i18n/setlang/", {"language": "de", "next": "/"})

    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    payment_run_process_inline(run=run)
    payment = Payment.objects.get(nominee=setup.thomas)
    real = cw_client.get(reverse("payments:payment-detail", args=[payment.pk])).content.decode()
    assert "Verarbeitet" in real and "Würde abgezogen" not in real
    assert 'data-testid="simulation-summary"' not in real
