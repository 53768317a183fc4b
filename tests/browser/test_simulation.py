"""Browser: a caseworker simulates a case's payments (SIM-1, SIM-2, SIM-3)."""

import pytest

from config import roles
from tests import factories
from tests.payments.builders import add_deduction, build_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_simulates_and_sees_lines_and_german_skip_reason_SIM_1_SIM_2(page, login):
    """SIM-1, SIM-2, SIM-3: the caseworker opens the case, simulates up to a date and
    sees every deduction line with its amount or its skip reason in plain German, the
    balance after each line, the net and the waterfall chart; then saves the simulation."""
    factories.UserFactory(username="clara", role=roles.CASEWORKER)
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    add_deduction(setup, name="Gas", amount="40", nominee="thomas")

    login("clara")
    page.goto(f"/cases/pdc/{setup.case.pk}/payments/")
    page.get_by_role("link", name="Zahlungen simulieren").click()
    page.get_by_label("Simulieren bis").fill("2026-01-12")
    page.get_by_role("button", name="Simulieren").click()

    result = page.locator("#simulation-result")
    # Payments are collapsed one-line cards (issue 14): open them all.
    result.get_by_role("link", name="Alle aufklappen").click()
    result.get_by_text(
        "Der verbleibende Leistungsbetrag reicht für den Abzug nicht aus."
    ).wait_for()
    lines = result.locator("[data-testid=deduction-line]")
    assert lines.count() == 2
    assert "Strom" in lines.nth(0).inner_text() and "20,00" in lines.nth(0).inner_text()
    assert "Würde abgezogen" in lines.nth(0).inner_text()
    assert "Gas" in lines.nth(1).inner_text() and "Übersprungen" in lines.nth(1).inner_text()
    assert "10,00" in lines.nth(1).inner_text()  # balance after: 30 − 20
    nets = result.locator("[data-testid=net]").all_inner_texts()
    assert nets == ["80,00 €", "50,00 €"]
    assert result.locator("svg rect").count() >= 3

    result.get_by_role("button", name="Simulation speichern").click()
    page.get_by_text("Die Simulation wurde gespeichert.").wait_for()
    assert "Strom" in page.content()
