"""Browser: money and percentages typed into real pages of Chromium, launched once with an
English and once with a German browser language (CD-6, IC-8, DT-2, DT-4, DT-12).

The app picks the page language itself: German unless the user chose English with the
language switch in the header (the browser's Accept-Language is ignored on pages, so an
English browser first sees German pages). The inputs are text inputs read by the server
for the page's language; the browser never parses the number (a number input in an
English browser once stored "400,50" as 40050)."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cases.models import CaseComponent
from deductions.models import Deduction
from products.models import DeductionType
from tests import factories
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.deductions.conftest import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GERMAN_FORM = "Betrag bitte als 1.234,56 eingeben."
ENGLISH_FORM = "Please enter the amount as 1,234.56."


@pytest.fixture(scope="module", params=["de-DE", "en-US"])
def lang_browser(request, browser):
    """Chromium started with the browser language of a German or an English user (through
    the Playwright of the shared `browser` fixture: one Playwright per process)."""
    started = browser.browser_type.launch(
        executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, f"--lang={request.param}"]
    )
    yield request.param, started
    started.close()


@pytest.fixture
def user_page(lang_browser, live_server):
    """A page of that browser. Playwright's context otherwise reports en-US whatever
    --lang says, so the context's locale is set to the same language: navigator.language
    and the Accept-Language header are those of the browser's user."""
    browser_language, browser = lang_browser
    context = browser.new_context(base_url=live_server.url, locale=browser_language)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.browser_language = browser_language
    yield page
    context.close()


def _login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pass-word-123")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    # The browser really speaks its language; the app still starts in German.
    assert page.evaluate("navigator.language") == page.browser_language
    expect(page.locator("html")).to_have_attribute("lang", "de")


def _switch_to_english(page):
    """The header's language switch, as a user would use it."""
    page.select_option("#language-select", "en")
    page.click("#language-submit")  # the switch's button submits: a new page loads
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _field(page, input_id):
    """The field's box on the page (label, input, help, messages)."""
    return page.locator(f".field:has(#{input_id})")


# --- a component's amount on the case page ------------------------------------------------


def _add_component(page, case, amount):
    page.goto(f"/cases/pdc/{case.pk}/")
    page.evaluate("document.querySelector('#component-form').closest('details').open = true")
    page.select_option("#id_component-component_type", label="Regelbedarf")
    page.fill("#id_component-amount", amount)
    with page.expect_navigation():
        page.click("#component-form button[type=submit]")


def test_component_amount_in_german_and_english_IC_8_CD_6(user_page, caseworker):
    """IC-8, CD-6: 400,50 and 1.234,56 on the German page, 400.50 on the English page are
    stored as typed; 12,345 and abc are refused beside the field and nothing is saved."""
    page = user_page
    case = factories.ProductDeliveryCaseFactory(case_supervisor=caseworker)
    factories.NomineeFactory(case=case, participant=case.primary_client)
    factories.ComponentTypeFactory(product=case.product, name="Regelbedarf")
    _login(page, "cw")

    def amounts():
        return list(CaseComponent.objects.order_by("pk").values_list("amount", flat=True))

    _add_component(page, case, "400,50")
    _add_component(page, case, "1.234,56")
    assert amounts() == [Decimal("400.50"), Decimal("1234.56")]
    for typed in ("12,345", "abc"):
        _add_component(page, case, typed)
        expect(_field(page, "id_component-amount")).to_contain_text(GERMAN_FORM)
        assert page.input_value("#id_component-amount") == typed
    assert len(amounts()) == 2

    _switch_to_english(page)
    _add_component(page, case, "400.50")
    assert amounts()[-1] == Decimal("400.50") and len(amounts()) == 3
    for typed in ("400,50", "abc"):
        _add_component(page, case, typed)
        expect(_field(page, "id_component-amount")).to_contain_text(ENGLISH_FORM)
    assert len(amounts()) == 3


# --- the wizard's amount and percentage ---------------------------------------------------


def _wizard_to_amount(page, world):
    page.goto(f"/cases/pdc/{world.case.pk}/deductions/new/")
    page.check("input[name=category][value=unapplied]")
    _next(page)
    page.check(f"input[name=deduction_type][value='{world.unapplied.pk}']")
    _next(page)


def _next(page):
    with page.expect_navigation():
        page.click("form button.primary")


def _wizard_amount(page, kind, typed):
    page.check(f"input[name=kind][value={kind}]")
    field = "#id_amount" if kind == "fixed" else "#id_percentage"
    page.fill(field, typed)
    _next(page)


def _wizard_finish(page, world):
    page.check("input[name=assignment][value=nominee]")
    page.select_option("#id_nominee", str(world.thomas.pk))
    _next(page)
    page.fill("#id_start_date", "2026-02-01")
    page.fill("#id_end_date", "2026-06-30")
    _next(page)  # no details for an unapplied deduction
    _next(page)
    page.wait_for_url("**/deductions/*/")


def test_wizard_amount_and_percentage_in_german_and_english_CD_6_DT_4(user_page, caseworker):
    """CD-6, DT-4: the wizard's fixed amount and variable rate are stored as typed on the
    German page (400,50; 1.234,56; 2,5) and on the English page (400.50; 2.5); 12,345 and
    abc are refused beside the field and no deduction is saved."""
    page = user_page
    world = make_world(caseworker)
    # No amount limits: the typed numbers themselves are under test here.
    DeductionType.objects.filter(pk=world.unapplied.pk).update(
        min_amount=None, max_amount=None, default_amount=None
    )
    _login(page, "cw")

    def saved():
        return list(Deduction.objects.order_by("pk").values_list("amount", "percentage"))

    _wizard_to_amount(page, world)
    for kind, typed, message in [
        ("fixed", "12,345", GERMAN_FORM),
        ("fixed", "abc", GERMAN_FORM),
        ("variable", "12,345", "Prozentsatz bitte als 12,5 eingeben."),
        ("variable", "abc", "Prozentsatz bitte als 12,5 eingeben."),
    ]:
        _wizard_amount(page, kind, typed)
        field = "id_amount" if kind == "fixed" else "id_percentage"
        expect(_field(page, field)).to_contain_text(message)
    assert saved() == []

    for kind, typed in [("fixed", "400,50"), ("fixed", "1.234,56"), ("variable", "2,5")]:
        _wizard_to_amount(page, world)
        _wizard_amount(page, kind, typed)
        _wizard_finish(page, world)
    assert saved() == [
        (Decimal("400.50"), None),
        (Decimal("1234.56"), None),
        (None, Decimal("2.50")),
    ]

    _switch_to_english(page)
    _wizard_to_amount(page, world)
    _wizard_amount(page, "fixed", "400,50")
    expect(_field(page, "id_amount")).to_contain_text(ENGLISH_FORM)
    for kind, typed in [("fixed", "400.50"), ("variable", "2.5")]:
        _wizard_to_amount(page, world)
        _wizard_amount(page, kind, typed)
        _wizard_finish(page, world)
    assert saved()[3:] == [(Decimal("400.50"), None), (None, Decimal("2.50"))]


# --- Django admin: a deduction type's maximum amount --------------------------------------


def _save_type_max_amount(page, dtype, typed):
    page.goto(f"/admin/products/deductiontype/{dtype.pk}/change/")
    page.fill("#id_max_amount", typed)
    with page.expect_navigation():
        page.click("input[name=_continue]")


def test_admin_deduction_type_max_amount_in_german_and_english_DT_2_DT_12(user_page, administrator):
    """DT-2, DT-12: admin reads the maximum amount like the caseworker pages; a refusal
    is shown beside the field and the saved value is kept; the saved value is shown
    back in the page's language."""
    page = user_page
    dtype = factories.DeductionTypeFactory(name="Miete")
    _login(page, "adm")

    def max_amount():
        return DeductionType.objects.get(pk=dtype.pk).max_amount

    _save_type_max_amount(page, dtype, "400,50")
    assert max_amount() == Decimal("400.50")
    _save_type_max_amount(page, dtype, "1.234,56")
    assert max_amount() == Decimal("1234.56")
    assert page.input_value("#id_max_amount") == "1.234,56"
    for typed in ("12,345", "abc"):
        _save_type_max_amount(page, dtype, typed)
        expect(page.locator(".form-row.field-max_amount")).to_contain_text(GERMAN_FORM)
    assert max_amount() == Decimal("1234.56")

    page.goto("/")
    _switch_to_english(page)
    _save_type_max_amount(page, dtype, "400.50")
    assert max_amount() == Decimal("400.50")
    assert page.input_value("#id_max_amount") == "400.50"
    _save_type_max_amount(page, dtype, "400,50")
    expect(page.locator(".form-row.field-max_amount")).to_contain_text(ENGLISH_FORM)
    assert max_amount() == Decimal("400.50")
