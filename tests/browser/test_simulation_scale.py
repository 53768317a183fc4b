"""Browser: simulation at scale (issue 14, SIM-1..SIM-3). A ten-year weekly simulation
opens with its totals and the save form, its payments collapsed one line each, under
500 kB; filters and pages work with htmx and without JavaScript; two saved simulations
get names and are compared, totals first, with a jump to the first difference."""

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from cases.models import ProductDeliveryCase
from config import roles
from deductions.models import Deduction
from tests import factories
from tests.browser.conftest import PASSWORD
from tests.payments.builders import add_deduction, build_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEN_YEARS = "2035-06-25"  # 494 weekly periods from 05.01.2026, two nominees: 988 payments
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => v.id + " " + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))"""


def _ten_year_case():
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    add_deduction(setup, name="Gas", amount="40", nominee="thomas", end=date(2036, 1, 1))
    ProductDeliveryCase.objects.filter(pk=setup.case.pk).update(expected_end_date=date(2036, 1, 1))
    return setup


def test_ten_year_simulation_totals_filters_and_collapsed_payments_SIM_1_SIM_2(page, login):
    """SIM-1, SIM-2: the first load of a ten-year weekly simulation is under 500 kB; the
    totals per nominee and the save form come first; each payment is one line that opens
    its breakdown; the filters and the pages swap the list with htmx."""
    factories.UserFactory(username="clara", role=roles.CASEWORKER)
    setup = _ten_year_case()
    login("clara")
    url = reverse("payments:simulate", args=[setup.case.pk])
    response = page.goto(f"{url}?up_to={TEN_YEARS}")
    assert len(response.body()) < 500_000, len(response.body())

    totals = page.get_by_test_id("simulation-totals")
    expect(totals.get_by_test_id("nominee-totals")).to_have_count(2)
    expect(totals.get_by_test_id("overall-totals")).to_contain_text("74.100,00 €")
    save = page.get_by_role("button", name="Simulation speichern")
    first_card = page.get_by_test_id("payment").first
    assert save.bounding_box()["y"] < first_card.bounding_box()["y"]
    assert totals.bounding_box()["y"] < save.bounding_box()["y"]

    # 52 collapsed cards; one click opens a breakdown with its deduction lines.
    expect(page.get_by_test_id("payment")).to_have_count(52)
    lines = first_card.get_by_test_id("deduction-line")
    expect(lines.first).to_be_hidden()
    first_card.get_by_test_id("payment-line").click()
    expect(lines.first).to_be_visible()
    expect(lines.nth(1)).to_contain_text("Übersprungen")
    # The overview's link to a card opens it (payment 3: Thomas's second week).
    page.get_by_role("link", name="12.01.2026 – 18.01.2026").first.click()
    expect(page.locator("#payment-3 [data-testid=deduction-line]").first).to_be_visible()

    # Filters with htmx: Linda only, then page 2; the address keeps them.
    page.get_by_label("Leistungsempfänger", exact=True).select_option(label="Linda Müller")
    expect(page.get_by_test_id("simulation-range")).to_have_text(
        "Zahlungen 1–52 von 494 (gefiltert aus 988)"
    )
    expect(page.get_by_test_id("payment-line").first).to_contain_text("Linda Müller")
    page.get_by_role("link", name="Weiter").first.click()
    expect(page.get_by_test_id("simulation-range")).to_contain_text("Zahlungen 53–104 von 494")
    assert "page=2" in page.url and f"nominee={setup.linda.pk}" in page.url
    # The totals stay those of the whole simulation.
    expect(totals.get_by_test_id("overall-totals")).to_contain_text("988")

    page.get_by_label("Leistungsempfänger", exact=True).select_option(label="Alle")
    expect(page.get_by_test_id("simulation-range")).to_have_text("Zahlungen 1–52 von 988")
    page.get_by_label("nur mit Abzügen").check()
    expect(page.get_by_test_id("simulation-range")).to_have_text(
        "Zahlungen 1–52 von 52 (gefiltert aus 988)"
    )
    expect(page.get_by_test_id("skip-marker")).to_have_count(52)

    if AXE.exists():  # axe-core from npm (test_accessibility.py): the result page too
        axe_page = page.context.browser.new_context(
            base_url=page.url.split("/cases/")[0], bypass_csp=True, locale="de-DE"
        ).new_page()
        _sign_in(axe_page, "clara")
        axe_page.goto(f"{url}?up_to={TEN_YEARS}&expand=1")
        axe_page.add_script_tag(path=str(AXE))
        assert axe_page.evaluate(RUN_AXE) == []
        axe_page.context.close()
    elif os.environ.get("REQUIRE_BROWSER_TESTS"):
        pytest.fail(f"axe-core not found at {AXE}")


def _sign_in(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_filters_and_pages_work_without_javascript_SIM_2(browser, live_server):
    """SIM-2: without JavaScript the filter form and the page links are plain GET."""
    factories.UserFactory(username="clara", role=roles.CASEWORKER)
    setup = _ten_year_case()
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", java_script_enabled=False
    )
    page = context.new_page()
    _sign_in(page, "clara")
    page.goto(reverse("payments:simulate", args=[setup.case.pk]))
    page.get_by_label("Simulieren bis").fill(TEN_YEARS)
    page.get_by_role("button", name="Simulieren").click()
    expect(page.get_by_test_id("simulation-range")).to_have_text("Zahlungen 1–52 von 988")
    page.get_by_label("nur mit übersprungenen Abzügen").check()
    page.get_by_role("button", name="Filtern").click()
    expect(page.get_by_test_id("simulation-range")).to_have_text(
        "Zahlungen 1–52 von 494 (gefiltert aus 988)"
    )
    page.get_by_role("link", name="Weiter").first.click()
    expect(page.get_by_test_id("simulation-range")).to_contain_text("Zahlungen 53–104 von 494")
    assert "with_skips=on" in page.url and "page=2" in page.url
    # Opening a card needs no script either (<details>).
    card = page.get_by_test_id("payment").first
    card.get_by_test_id("payment-line").click()
    expect(card.get_by_test_id("deduction-line").first).to_be_visible()
    context.close()


def test_simulation_stops_at_the_expected_end_unless_asked_SIM_1(page, login):
    """SIM-1: the page says the simulation ended at the expected end date; the checkbox
    simulates beyond it."""
    factories.UserFactory(username="clara", role=roles.CASEWORKER)
    setup = build_case(components=(("c1", "thomas", "100"),))
    login("clara")
    page.goto(reverse("payments:simulate", args=[setup.case.pk]))
    page.get_by_label("Simulieren bis").fill("2027-03-31")
    page.get_by_role("button", name="Simulieren").click()
    expect(page.get_by_test_id("cut-notice")).to_contain_text("31.12.2026")
    expect(page.get_by_test_id("simulation-range")).to_have_text("Zahlungen 1–52 von 52")
    page.get_by_label("Über das voraussichtliche Ende hinaus").check()
    page.get_by_role("button", name="Simulieren").click()
    expect(page.get_by_test_id("cut-notice")).to_have_count(0)
    expect(page.get_by_test_id("simulation-range")).to_have_text("Zahlungen 1–52 von 64")


def test_name_save_and_compare_two_simulations_SIM_3(page, login):
    """SIM-3: two simulations saved with names are listed by name with their totals and
    compared: totals and B − A per nominee first, "Nur Unterschiede" and a jump to the
    first difference; differing values are highlighted."""
    factories.UserFactory(username="clara", role=roles.CASEWORKER)
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    strom = add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    login("clara")
    url = reverse("payments:simulate", args=[setup.case.pk])

    page.goto(url)
    page.get_by_label("Simulieren bis").fill("2026-02-02")
    page.get_by_role("button", name="Simulieren").click()
    expect(page.get_by_label("Name")).to_have_attribute("placeholder", "Simulation bis 02.02.2026")
    page.get_by_label("Name").fill("Strom 20 €")
    page.get_by_label("Notiz").fill("Heutiger Plan")
    page.get_by_role("button", name="Simulation speichern").click()
    page.get_by_text("Die Simulation wurde gespeichert.").wait_for()
    expect(page.get_by_role("heading", level=1)).to_have_text("Strom 20 €")

    Deduction.objects.filter(pk=strom.pk).update(amount=Decimal("25.00"))
    page.goto(f"{url}?up_to=2026-02-02")
    page.get_by_label("Name").fill("Strom 25 €")
    page.get_by_role("button", name="Simulation speichern").click()
    page.get_by_text("Die Simulation wurde gespeichert.").wait_for()

    page.goto(url)
    saved = page.get_by_test_id("saved-simulation")
    expect(saved).to_have_count(2)
    expect(saved.first).to_contain_text("Strom 25 €")
    expect(saved.first).to_contain_text("100,00 €")  # deductions: 4 weeks × 25
    expect(saved.nth(1)).to_contain_text("Heutiger Plan")
    page.get_by_label("Als A vergleichen: Strom 20 €").check()
    page.get_by_label("Als B vergleichen: Strom 25 €").check()
    page.get_by_role("button", name="Vergleichen").click()

    totals = page.get_by_test_id("compare-totals")
    comparison = page.get_by_test_id("comparison")
    assert totals.bounding_box()["y"] < comparison.bounding_box()["y"]
    thomas = totals.get_by_test_id("compare-totals-nominee").first
    expect(thomas).to_contain_text("Thomas Müller")
    expect(thomas.locator("td.diff")).to_have_count(4)  # deductions and net, A and B
    expect(thomas).to_contain_text("20,00 €")  # B − A: 4 weeks × 5
    expect(comparison.get_by_test_id("compare-row")).to_have_count(8)
    page.get_by_test_id("first-difference-link").click()
    assert page.url.endswith("#erster-unterschied")
    expect(page.locator("#erster-unterschied")).to_contain_text("Thomas Müller")
    expect(page.locator("#erster-unterschied td.diff").first).to_be_visible()

    payments = page.get_by_role("region", name="Zahlungen im Vergleich")
    payments.get_by_label("Nur Unterschiede").check()
    payments.get_by_role("button", name="Anzeigen").click()
    expect(comparison.get_by_test_id("compare-row")).to_have_count(4)
    expect(comparison).not_to_contain_text("Linda Müller")
