"""Browser: axe-core finds no serious or critical accessibility violation on the main
pages of the demo data — home, integrated case, product delivery case, the "Neuer Abzug"
wizard (every step), the simulation, tasks, admin changelists and change forms (RO-1
pages; issue 14), in German and in English; and the language switch changes the language
only with its button.

axe-core comes from npm (package.json / package-lock.json; `npm ci`, done by `make test`
and `.ci/run`). It is injected from node_modules with `add_script_tag(path=…)` in a
context that bypasses the page's Content-Security-Policy, which allows no foreign script.
Without node_modules the axe tests skip, except in CI (REQUIRE_BROWSER_TESTS=1)."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.wizard_walk import walk_wizard
from tools.demo_pages import ADMIN, CASEWORKER, DEMO_PASSWORDS, SUPERVISOR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = {"serious", "critical"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


@pytest.fixture
def axe_script():
    if not AXE.exists():
        message = (
            f"axe-core not found at {AXE}: run `npm ci` in the project folder "
            "(make test and .ci/run do this when node and npm are installed)."
        )
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message + " REQUIRE_BROWSER_TESTS is set.")
        pytest.skip(message)
    return AXE


def _context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="de-DE",
        bypass_csp=True,
        viewport={"width": 1366, "height": 768},
    )
    context.set_default_timeout(15_000)
    return context


def _login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORDS[username])
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url


def _violations(page, axe_script, label):
    page.add_script_tag(path=str(axe_script))
    return [
        f"{label}: {v['id']} ({v['impact']}) {v['help']} at {v['targets']}"
        for v in page.evaluate(RUN_AXE)
        if v["impact"] in BLOCKING
    ]


def _main_pages():
    """Paths of the main pages per role, from the demo objects."""
    from cases.models import ProductDeliveryCase
    from payments.models import Simulation
    from workflow.models import EventProcessMapping, Task

    case = ProductDeliveryCase.objects.get(primary_client__name="Thomas Schmidt")
    pdc = f"/cases/pdc/{case.pk}"
    simulation = Simulation.objects.filter(case=case).order_by("pk").first()
    task = Task.objects.order_by("pk").first()
    mapping = EventProcessMapping.objects.exclude(user=None).order_by("pk").first()
    casework = [
        "/",
        "/cases/",
        f"/cases/{case.integrated_case_id}/",
        f"{pdc}/",
        f"{pdc}/deductions/",
        f"{pdc}/simulate/",
        f"{pdc}/simulations/{simulation.pk}/",
        f"{pdc}/payments/",
        "/tasks/",
    ]
    return {
        CASEWORKER: casework,
        SUPERVISOR: ["/", "/tasks/", f"/tasks/{task.pk}/"],
        ADMIN: [
            "/",
            "/admin/",
            "/admin/deductions/deduction/",
            "/admin/products/deductiontype/",
            "/admin/payments/deductionprocessing/",  # the reason filter: no empty link
            "/admin/workflow/eventprocessmapping/",  # editable column: fields named
            f"/admin/products/product/{case.product_id}/change/",  # tabular inlines
            f"/admin/workflow/eventprocessmapping/{mapping.pk}/change/",  # autocomplete
        ],
    }


@pytest.mark.parametrize("language", ["de", "en"])
def test_main_pages_have_no_serious_or_critical_axe_violations_RO_1(
    browser, live_server, axe_script, language
):
    """axe-core: no serious/critical violation on home, cases, wizard, simulation, tasks
    and admin changelists, for each role, in German and English."""
    call_command("seed_demo", stdout=io.StringIO())
    pages = _main_pages()
    found, checked = [], 0
    for role, paths in pages.items():
        context = _context(browser, live_server)
        page = context.new_page()
        _login(page, role)
        if language == "en":
            page.select_option("#language-select", "en")
            page.click("#language-submit")
            expect(page.locator("html")).to_have_attribute("lang", "en")
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, f"{role}: {path} answered {response.status}"
            found.extend(_violations(page, axe_script, f"{path} as {role}"))
            checked += 1
        if role == CASEWORKER:
            steps = walk_wizard(
                page,
                paths[3].rstrip("/"),
                lambda page, step: found.extend(_violations(page, axe_script, f"wizard {step}")),
            )
            assert steps[-1] == "confirm", f"the wizard walk stopped at {steps}"
        context.close()
    assert checked == sum(len(paths) for paths in pages.values())
    assert not found, "axe-core violations:\n" + "\n".join(found)


def test_language_switch_changes_language_only_with_its_button_RO_1(page, login):
    """Choosing another language in the select (arrow keys included) changes nothing until
    the button "Sprache wechseln" is pressed; then the page comes back in English."""
    call_command("seed_demo", stdout=io.StringIO())
    login("caseworker", DEMO_PASSWORDS[CASEWORKER])
    url = page.url
    page.focus("#language-select")
    page.keyboard.press("ArrowDown")
    page.select_option("#language-select", "en")
    page.wait_for_timeout(300)  # a submit on change would have loaded a new page by now
    assert page.url == url
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.click("#language-submit")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#language-submit")).to_have_text("Change language")
    assert page.url == url


def test_focus_ring_contrast_at_least_3_to_1_on_white_and_header_RO_1(page, login):
    """The focus outline's colour against white (page content) and against the header's
    background has a contrast ratio of at least 3:1 (WCAG 2.2, 1.4.11)."""
    call_command("seed_demo", stdout=io.StringIO())
    login("caseworker", DEMO_PASSWORDS[CASEWORKER])
    page.keyboard.press("Tab")  # the skip link
    page.focus("main a")
    content_ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    page.focus("#language-select")
    header_ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    header_background = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert _contrast(content_ring, "rgb(255, 255, 255)") >= 3
    assert _contrast(header_ring, header_background) >= 3
    assert _contrast(content_ring, "rgb(246, 247, 249)") >= 3  # the page background


def _contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(css: str) -> float:
        channels = [int(part) / 255 for part in css[css.index("(") + 1 : -1].split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)
