"""Browser: the participant picker used by keyboard only (issue 14): type part of a name,
arrow down to the wanted participant, Enter chooses (the name is echoed), Escape closes,
and the form submits the chosen participant (LI-1 liability form)."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from cases.models import Liability
from config import roles
from participants.models import ParticipantType
from tests import factories
from tests.browser.conftest import PASSWORD
from tests.browser.test_accessibility import _violations, axe_script  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_participant_picker_by_keyboard_only(page, login):
    factories.UserFactory(username="cw-picker", role=roles.CASEWORKER)
    factories.ParticipantFactory(name="Anna Schmidt", reference="B-0000101")
    bernd = factories.ParticipantFactory(
        name="Bernd Schmidt", reference="B-0000102", date_of_birth=date(1975, 7, 9)
    )
    factories.ParticipantFactory(name="Erika Mustermann", reference="B-0000103")
    login("cw-picker")
    page.goto("/cases/liabilities/new/")
    picker = page.locator("#id_participant_reference")
    listbox = page.locator("#id_participant_reference-listbox")
    picker.focus()
    expect(picker).to_have_attribute("role", "combobox")

    page.keyboard.type("schmi")
    expect(listbox).to_be_visible()
    expect(picker).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option")).to_have_count(2)
    page.keyboard.press("Escape")  # closes, keeps the text
    expect(listbox).to_be_hidden()
    expect(picker).to_have_attribute("aria-expanded", "false")
    expect(picker).to_have_value("schmi")

    page.keyboard.press("ArrowDown")  # opens again on the first option
    page.keyboard.press("ArrowDown")
    expect(picker).to_have_attribute("aria-activedescendant", "id_participant_reference-listbox-1")
    expect(listbox.locator('[aria-selected="true"]')).to_contain_text("Bernd Schmidt")
    page.keyboard.press("Enter")  # chooses; does not submit yet
    expect(picker).to_have_value("B-0000102")
    expect(listbox).to_be_hidden()
    expect(page.locator("#id_participant_reference-echo")).to_have_text(
        "Bernd Schmidt, geb. 09.07.1975 (B-0000102)"
    )
    assert not Liability.objects.exists()

    page.keyboard.press("Tab")
    expect(page.locator("#id_original_amount")).to_be_focused()
    page.keyboard.type("250,00")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/participants/{bernd.pk}/$"))  # the holder's page
    liability = Liability.objects.get()
    assert liability.participant == bernd
    expect(page.locator("main")).to_contain_text("Bernd Schmidt")


def test_open_picker_has_no_serious_axe_violations_and_offers_the_fields_types_IC_1(
    browser,
    live_server,
    axe_script,  # noqa: F811 (the fixture imported above)
):
    """IC-1 form: with the list open, axe-core finds no serious or critical violation; the
    client picker offers persons and prospects only (the employer of the same name is not
    listed)."""
    factories.IntegratedCaseTypeFactory()
    factories.UserFactory(username="cw-picker-axe", role=roles.CASEWORKER)
    factories.ParticipantFactory(name="Clara Schmidt", reference="B-0000201")
    factories.ParticipantFactory(
        name="Schmidt Bau GmbH", reference="B-0000202", type=ParticipantType.EMPLOYER
    )
    context = browser.new_context(base_url=live_server.url, locale="de-DE", bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.fill("#id_username", "cw-picker-axe")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        page.goto("/cases/new/")
        page.locator("#id_participant_reference").focus()
        page.keyboard.type("schmidt")
        listbox = page.locator("#id_participant_reference-listbox")
        expect(listbox).to_be_visible()
        expect(listbox.get_by_role("option")).to_have_count(1)
        expect(listbox).to_contain_text("Clara Schmidt")
        page.keyboard.press("ArrowDown")
        found = _violations(page, axe_script, "picker open")
        assert not found, "axe-core violations:\n" + "\n".join(found)
    finally:
        context.close()


def test_wizard_liability_holder_picked_by_keyboard_reloads_the_liabilities_CD_3_IC_1(
    page, login, caseworker
):
    """CD-3, IC-1 (issue 14): in the wizard's details step the holder picker offers only
    persons (the type's allowed type) with an open liability; choosing another holder by
    keyboard reloads the liability choice with that holder's open liabilities only, and
    the deduction is created against the one chosen."""
    from deductions.models import Deduction
    from tests.deductions.conftest import make_world

    world = make_world(caseworker)  # Thomas Schmidt (the client) holds VB-2026-0001
    factories.LiabilityFactory(
        participant=factories.UtilityFactory(name="Schmidt Wasserwerke"),
        liability_case_id="VB-WASSER-1",
    )
    erika = factories.PersonFactory(name="Erika Fremd", reference="B-0000777")
    factories.LiabilityFactory(participant=erika, liability_case_id="VB-FREMD-1")
    wanted = factories.LiabilityFactory(participant=erika, liability_case_id="VB-FREMD-2")
    factories.LiabilityFactory(
        participant=erika, liability_case_id="VB-FREMD-3", status="settled", outstanding_amount=0
    )
    login("cw")
    page.goto(f"/cases/pdc/{world.case.pk}/deductions/new/")
    next_button = page.get_by_role("button", name="Weiter")
    page.get_by_label("Ausgeführt", exact=True).check()
    next_button.click()
    page.get_by_label(world.applied.name, exact=True).check()
    next_button.click()
    page.get_by_label("Variabler Satz", exact=True).check()
    page.fill("#id_percentage", "3")
    next_button.click()
    page.get_by_label("Alle Leistungsempfänger", exact=True).check()
    next_button.click()
    page.fill("#id_start_date", "2026-02-01")
    page.fill("#id_end_date", "2026-06-30")
    next_button.click()

    holder = page.locator("#id_liability_holder")
    listbox = page.locator("#id_liability_holder-listbox")
    liabilities = page.locator('#id_liability option:not([value=""])')
    expect(holder).to_have_value(world.thomas.reference)  # the client, preselected
    expect(liabilities).to_have_text([re.compile(r"^VB-2026-0001 – ")])

    reloads = []
    page.on(
        "request",
        lambda request: "options/liabilities" in request.url and reloads.append(request.url),
    )
    holder.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("schmidt")  # Linda has no liability, the waterworks are no person
    expect(listbox.get_by_role("option")).to_have_count(1)
    expect(listbox).to_contain_text("Thomas Schmidt")
    page.keyboard.press("Control+A")
    page.keyboard.type("fremd")
    expect(listbox).to_contain_text("Erika Fremd")
    page.keyboard.press("ArrowDown")
    with page.expect_response(lambda response: "options/liabilities" in response.url):
        page.keyboard.press("Enter")  # chooses (and reloads the liabilities), not submits
    expect(holder).to_have_value("B-0000777")
    expect(page.locator("#id_liability_holder-echo")).to_contain_text("Erika Fremd")
    expect(liabilities).to_have_text(["VB-FREMD-1 – 500,00 € offen", "VB-FREMD-2 – 500,00 € offen"])
    assert not Deduction.objects.exists()

    page.keyboard.press("Tab")  # leaving the picker does not reload the choice again
    expect(page.locator("#id_liability")).to_be_focused()
    assert len(reloads) == 1, reloads
    page.select_option("#id_liability", str(wanted.pk))
    next_button.click()
    expect(page.locator("dl.details")).to_contain_text("VB-FREMD-2")
    page.get_by_role("button", name="Abzug anlegen").click()
    page.wait_for_url("**/deductions/*/")
    deduction = Deduction.objects.get()
    assert deduction.liability == wanted
