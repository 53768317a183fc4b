"""Browser: a caseworker creates a third-party variable deduction through the "Neuer Abzug"
wizard, activates it on its detail page and finds it in the case's third-party view
(CD-2, CD-4, CD-6, CD-7, CD-10, CD-11, CD-14, TP-5)."""

import pytest
from playwright.sync_api import expect

from deductions.models import Deduction, DeductionStatus
from tests.deductions.conftest import create, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_wizard_third_party_variable_activate_and_list_CD_2_CD_4_CD_11_CD_14(
    page, login, caseworker
):
    """CD-2/4/6/7/11/14: wizard → detail → activate → third-party list."""
    world = make_world(caseworker)
    login("cw")
    page.goto(f"/cases/pdc/{world.case.pk}/deductions/new/")
    next_button = page.get_by_role("button", name="Weiter")

    page.get_by_label("Dritte", exact=True).check()
    next_button.click()
    page.get_by_label("Strom", exact=True).check()
    next_button.click()
    page.get_by_label("Variabler Satz", exact=True).check()
    page.fill("#id_percentage", "5")
    next_button.click()
    page.get_by_label("Alle Leistungsempfänger", exact=True).check()
    next_button.click()
    assert page.input_value("#id_priority") == "3"  # prefilled from the product link
    page.fill("#id_start_date", "2026-02-01")
    page.fill("#id_end_date", "2026-06-30")
    next_button.click()
    # Choosing the payee with the picker (issue 14) swaps the account field in (htmx); fill
    # it only after the swap.
    page.locator("#id_third_party").focus()
    page.keyboard.type("stadtwerke")
    expect(page.locator("#id_third_party-listbox").get_by_role("option")).to_have_count(1)
    page.keyboard.press("ArrowDown")
    with page.expect_response(lambda response: "account" in response.url):
        page.keyboard.press("Enter")
    expect(page.locator("#id_third_party")).to_have_value(world.utility.reference)
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')"
    )
    page.fill("#id_third_party_account_number", "DE02120300000000202051")
    page.fill("#id_third_party_reference", "STROM-4711")
    next_button.click()
    assert "Stadtwerke Musterstadt" in page.locator("dl.details").inner_text()
    page.get_by_role("button", name="Abzug anlegen").click()

    page.wait_for_url("**/deductions/*/")
    assert page.get_by_test_id("status").inner_text().strip() == "Inaktiv"
    page.get_by_role("button", name="Aktivieren").click()
    expect(page.get_by_test_id("status")).to_have_text("Aktiv")
    assert page.get_by_role("button", name="Deaktivieren").is_visible()

    page.goto(f"/cases/pdc/{world.case.pk}/deductions/third-party/")
    table = page.get_by_test_id("deduction-table").inner_text()
    assert "Strom" in table and "STROM-4711" in table and "Stadtwerke Musterstadt" in table

    deduction = Deduction.objects.get()
    assert deduction.status == DeductionStatus.ACTIVE
    assert deduction.percentage is not None and deduction.all_nominees


def test_wizard_shows_only_the_fields_of_the_chosen_kind_and_assignment_CD_6_CD_7(
    page, login, caseworker
):
    """CD-6/CD-7 (issue 14): picking "Fester Betrag" shows only the amount, "Variabler Satz"
    only the rate; at the assignment only the nominee or the component of the chosen
    assignment shows, and a hidden field is not sent ("Alle" with no nominee)."""
    world = make_world(caseworker)
    create(world, kind="third_party", priority="automatic")
    login("cw")
    page.goto(f"/cases/pdc/{world.case.pk}/deductions/new/")
    next_button = page.get_by_role("button", name="Weiter")
    page.get_by_label("Nicht ausgeführt", exact=True).check()
    next_button.click()
    expect(page.get_by_label(world.unapplied.name, exact=True)).to_be_checked()  # the only one
    expect(page.get_by_test_id(f"type-facts-{world.unapplied.pk}")).to_contain_text("50,00 €")
    next_button.click()

    amount, percentage = page.locator("#id_amount"), page.locator("#id_percentage")
    page.get_by_label("Variabler Satz", exact=True).check()
    expect(percentage).to_be_visible()
    expect(amount).to_be_hidden()
    expect(amount).to_be_disabled()
    page.get_by_label("Fester Betrag", exact=True).check()
    expect(amount).to_be_visible()
    expect(percentage).to_be_hidden()
    page.get_by_label("Variabler Satz", exact=True).check()
    page.fill("#id_percentage", "5")
    next_button.click()

    nominee, component = page.locator("#id_nominee"), page.locator("#id_component")
    for choice, visible, hidden in [
        ("Ein Leistungsempfänger", [nominee], [component]),
        ("Eine Fallkomponente", [component], [nominee]),
        ("Alle Leistungsempfänger", [], [nominee, component]),
    ]:
        page.get_by_label(choice, exact=True).check()
        for field in visible:
            expect(field).to_be_visible()
        for field in hidden:
            expect(field).to_be_hidden()
    # The nominee prefilled for "Ein Leistungsempfänger" is hidden, so not sent with "Alle".
    next_button.click()
    page.wait_for_url("**/period/")
    # The case's order with the new deduction in it, moved as the wanted priority changes.
    order = page.locator("ol.priority-order > li")
    expect(order).to_have_count(2)
    page.fill("#id_priority", "1")
    expect(order.first).to_contain_text("neuer Abzug")
    page.fill("#id_priority", "2")
    expect(order.last).to_contain_text("neuer Abzug")
    page.fill("#id_priority", "1")
    page.get_by_label("Priorität automatisch zuweisen").check()
    expect(order.last).to_contain_text("neuer Abzug")
