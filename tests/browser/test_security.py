"""Browser: pages work under the Content-Security-Policy — no inline code is refused, and
the scripts moved to static files still switch the forms (issue defect: no CSP)."""

import pytest

from config import roles
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def csp_violations(page):
    """Collects the console's CSP refusals for the rest of the page's life."""
    refused = []
    page.on(
        "console",
        lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return refused


def test_pages_run_under_the_csp_without_refusals_RO_1(page, login):
    """Login, home, the participant and case forms and Django admin load without a single
    CSP refusal; the participant type switch (static/js/app.js) still hides the fields of
    other types."""
    factories.IntegratedCaseTypeFactory()
    factories.UserFactory(
        username="adm-browser", role=roles.ADMINISTRATOR, is_staff=True, is_superuser=True
    )
    refused = csp_violations(page)
    page.goto("/accounts/login/")
    login("adm-browser")
    for url in ("/", "/participants/new/", "/cases/new/", "/admin/", "/admin/axes/"):
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.goto("/participants/new/")
    page.select_option("#id_type", "utility")
    hidden = page.locator("#participant-form fieldset[data-types]:not([data-types~=utility])")
    assert hidden.count() > 0
    for index in range(hidden.count()):
        assert hidden.nth(index).is_hidden()
    assert refused == []
