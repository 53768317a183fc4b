"""Browser: every page a caseworker, a case supervisor and an administrator reach in the
demo data fits the window at 390, 768 and 1366 px (RO-1 pages; layout of issue 14).

One context per role, each page loaded once and measured at the three widths by resizing
the viewport (the layout reflows; no reload). Every <details> is opened first, so the
forms folded into a page (add a member, a nominee, a component) are measured too; the
"Neuer Abzug" wizard is walked step by step up to its confirmation."""

import io

import pytest
from django.core.management import call_command

from tests.browser.wizard_walk import walk_wizard
from tools.demo_pages import ADMIN, CASEWORKER, DEMO_PASSWORDS, SUPERVISOR, pages_by_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 768, 1366)
HEIGHT = 768
OPEN_DETAILS = "document.querySelectorAll('details').forEach(d => { d.open = true; })"
MEASURE = "[document.documentElement.scrollWidth, window.innerWidth]"


def _login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORDS[username])
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, f"{username} could not log in"


def test_every_demo_page_fits_the_window_at_390_768_1366_px_RO_1(browser, live_server):
    """No page is wider than the window: `scrollWidth <= innerWidth` for each role's pages
    at each width. A failure names every offending page, role and width."""
    call_command("seed_demo", stdout=io.StringIO())
    by_role = pages_by_role()
    assert {len(by_role[role]) > 0 for role in (CASEWORKER, SUPERVISOR, ADMIN)} == {True}
    too_wide, visited = [], 0

    def measure(page, label):
        nonlocal visited
        page.evaluate(OPEN_DETAILS)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            scroll_width, inner_width = page.evaluate(MEASURE)
            visited += 1
            if scroll_width > inner_width:
                too_wide.append(f"{label} at {width} px: {scroll_width} px wide")
        page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})

    for role, pages in by_role.items():
        context = browser.new_context(
            base_url=live_server.url,
            locale="de-DE",
            viewport={"width": WIDTHS[-1], "height": HEIGHT},
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        _login(page, role)
        for target in pages:
            page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})
            response = page.goto(target.path)
            assert response.status == 200, f"{role}: {target.path} answered {response.status}"
            measure(page, f"{target.path} ({target.name}) as {role}")
        if role == CASEWORKER:
            case_path = next(p.path for p in pages if p.name == "pdc-detail").rstrip("/")
            steps = walk_wizard(
                page, case_path, lambda page, step: measure(page, f"wizard step {step}")
            )
            assert steps[-1] == "confirm", f"the wizard walk stopped at {steps}"
        context.close()
    assert visited >= 3 * 90  # every role's pages at every width were measured
    assert not too_wide, "Pages wider than the window:\n" + "\n".join(too_wide)
