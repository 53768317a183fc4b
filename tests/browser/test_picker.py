"""Browser: the participant picker used by keyboard only (issue 14): type part of a name,
arrow down to the wanted participant, Enter chooses (the name is echoed), Escape closes,
and the form submits the chosen participant (LI-1 liability form)."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from cases.models import Liability
from config import roles
from tests import factories

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
