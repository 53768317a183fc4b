"""Browser: further nominees of a new integrated case chosen with one picker (issue 14;
IC-10 first benefit with the case, IC-7 nominees). By keyboard only: type, arrow to the
participant, Enter adds a chip (the search input empties and keeps the focus), a chosen
participant cannot be added again, Tab reaches the chips' remove buttons, removing
returns the focus to the input, and the case gets the chosen nominees. axe-core finds no
serious or critical violation with chips present and the list open, and the page fits a
390 px window. Without JavaScript the field takes references with commas and a chip
rendered after a round-trip can be unchecked."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import IntegratedCase, Nominee
from config import roles
from participants.models import ParticipantType
from tests import factories
from tests.browser.conftest import sign_in
from tests.browser.test_accessibility import _violations, axe_script  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEASURE = "[document.documentElement.scrollWidth, window.innerWidth]"


def _world(username):
    factories.IntegratedCaseTypeFactory()  # the default type (transactional tests lose it)
    factories.UserFactory(username=username, role=roles.CASEWORKER)
    world = {
        "thomas": factories.PersonFactory(name="Thomas Schmidt", reference="B-0000001"),
        "linda": factories.PersonFactory(name="Linda Schmidt", reference="B-0000002"),
        "firm": factories.ParticipantFactory(
            name="Schmidt Bau GmbH", reference="B-0000003", type=ParticipantType.EMPLOYER
        ),
        "product": factories.ProductFactory(name="Grundsicherung"),
    }
    factories.UtilityFactory(name="Schmidt Stadtwerke", reference="B-0000004")  # no nominee
    return world


def _nominees(case) -> set[str]:
    pdc = case.product_delivery_cases.get()
    return set(Nominee.objects.filter(case=pdc).values_list("participant__name", flat=True))


def _fill_case(page, world):
    page.goto("/cases/new/")
    page.fill("#id_participant_reference", world["thomas"].reference)
    page.select_option("#id_product", str(world["product"].pk))


def test_two_nominees_added_one_removed_by_keyboard_only_IC_10_IC_7(page, login):
    world = _world("cw-multi")
    login("cw-multi")
    _fill_case(page, world)
    picker = page.locator("#id_nominee_references")
    listbox = page.locator("#id_nominee_references-listbox")
    chips = page.locator("#id_nominee_references-chosen .picker-chip")
    status = page.locator("#id_nominee_references-status")
    labelled = page.get_by_role("combobox", name="Weitere Leistungsempfänger:", exact=True)
    expect(labelled).to_have_id("id_nominee_references")
    picker.focus()

    page.keyboard.type("schmidt")  # persons and employers; the utility is not offered
    expect(listbox).to_be_visible()
    expect(listbox.get_by_role("option")).to_have_text(
        [
            re.compile(r"^\s*Linda Schmidt"),
            re.compile(r"^\s*Schmidt Bau"),
            re.compile(r"^\s*Thomas"),
        ]
    )
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(picker).to_have_value("schmidt")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # adds Linda; does not submit
    expect(chips).to_have_count(1)
    chosen = page.get_by_role("list", name="Gewählte weitere Leistungsempfänger")
    expect(chosen.get_by_role("listitem")).to_have_text(
        ["Linda Schmidt, geb. 01.01.1980 (B-0000002)×"]
    )
    expect(picker).to_have_value("")
    expect(picker).to_be_focused()
    expect(listbox).to_be_hidden()
    expect(status).to_have_text("Linda Schmidt, geb. 01.01.1980 (B-0000002) hinzugefügt.")
    assert not IntegratedCase.objects.exists()

    page.keyboard.type("schmidt")
    expect(listbox).to_be_visible()
    linda = listbox.get_by_role("option").first
    expect(linda).to_have_attribute("aria-disabled", "true")  # chosen: not again
    expect(linda).to_contain_text("bereits gewählt")
    page.keyboard.press("ArrowDown")  # skips Linda
    expect(listbox.locator('[aria-selected="true"]')).to_contain_text("Schmidt Bau GmbH")
    page.keyboard.press("Enter")
    expect(chips).to_have_count(2)
    expect(chips.nth(1)).to_contain_text("Schmidt Bau GmbH (B-0000003)")
    expect(picker).to_be_focused()

    page.keyboard.press("Tab")  # to Linda's remove button
    remove = page.get_by_role("button", name="Linda Schmidt, geb. 01.01.1980 (B-0000002) entfernen")
    expect(remove).to_be_focused()
    page.keyboard.press("Enter")
    expect(chips).to_have_count(1)
    expect(chips.first).to_contain_text("Schmidt Bau GmbH")
    expect(picker).to_be_focused()
    expect(status).to_have_text("Linda Schmidt, geb. 01.01.1980 (B-0000002) entfernt.")

    page.keyboard.press("Enter")  # the list is closed: submits the form
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = IntegratedCase.objects.get()
    assert _nominees(case) == {"Thomas Schmidt", "Schmidt Bau GmbH"}


def test_picker_with_chips_and_open_list_has_no_serious_axe_violations_and_fits_390_px_IC_10(
    browser,
    live_server,
    axe_script,  # noqa: F811 (the fixture imported above)
):
    world = _world("cw-multi-axe")
    world["firm"].name = "Schmidt Hoch- und Tiefbau Gesellschaft mit beschränkter Haftung"
    world["firm"].save()
    context = browser.new_context(
        base_url=live_server.url,
        locale="de-DE",
        bypass_csp=True,
        viewport={"width": 1366, "height": 768},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "cw-multi-axe")
        _fill_case(page, world)
        listbox = page.locator("#id_nominee_references-listbox")
        chips = page.locator("#id_nominee_references-chosen .picker-chip")
        page.locator("#id_nominee_references").focus()
        for expected in (1, 2):
            page.keyboard.type("schmidt")
            expect(listbox.locator('.picker-option:not([aria-disabled="true"])')).to_have_count(
                4 - expected
            )
            page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
            expect(chips).to_have_count(expected)
        page.keyboard.type("schmidt")
        expect(listbox).to_be_visible()
        page.keyboard.press("ArrowDown")
        found = _violations(page, axe_script, "nominee picker open with chips")
        assert not found, "axe-core violations:\n" + "\n".join(found)

        page.set_viewport_size({"width": 390, "height": 768})
        scroll_width, inner_width = page.evaluate(MEASURE)
        assert scroll_width <= inner_width, f"{scroll_width} px wide at 390 px"
        page.keyboard.press("Escape")
        scroll_width, inner_width = page.evaluate(MEASURE)
        assert scroll_width <= inner_width, f"{scroll_width} px wide at 390 px"
    finally:
        context.close()


def test_without_javascript_references_with_commas_and_chips_unchecked_IC_10_IC_7(
    browser, live_server
):
    """No JavaScript: the references typed with commas; after a refusal the accepted
    participants are checked checkboxes (unchecking takes one out), the refused reference
    stays in the text to correct."""
    world = _world("cw-multi-nojs")
    context = browser.new_context(
        base_url=live_server.url, locale="de-DE", java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        sign_in(page, "cw-multi-nojs", wait="load")
        _fill_case(page, world)
        page.fill("#id_nominee_references", "b-0000002, B-0000004, B-0000003")
        page.get_by_role("button", name="Fall anlegen").click()
        expect(page.locator("#id_nominee_references-error")).to_contain_text(
            "Schmidt Stadtwerke (B-0000004) kann nicht Leistungsempfänger sein"
        )
        expect(page.locator("#id_nominee_references")).to_have_value("B-0000004")
        linda = page.get_by_role("checkbox", name="Linda Schmidt, geb. 01.01.1980 (B-0000002)")
        expect(linda).to_be_checked()
        expect(page.get_by_role("checkbox", name=re.compile("Schmidt Bau GmbH"))).to_be_checked()
        linda.uncheck()
        page.fill("#id_nominee_references", "")
        page.get_by_role("button", name="Fall anlegen").click()
        page.wait_for_url(re.compile(r"/cases/\d+/$"))
        assert _nominees(IntegratedCase.objects.get()) == {"Thomas Schmidt", "Schmidt Bau GmbH"}
    finally:
        context.close()
