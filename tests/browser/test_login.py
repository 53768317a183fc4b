"""Browser: the demo caseworker logs in, sees the German home page, switches to English."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_logs_in_and_switches_language_RO_1(page, login):
    call_command("seed_demo")
    login("caseworker", "caseworker-demo-2026")
    assert page.locator("h1").inner_text().startswith("Willkommen")
    assert page.locator("html").get_attribute("lang") == "de"
    assert "Abmelden" in page.locator("header").inner_text()
    page.select_option("#language-select", "en")
    page.click("#language-submit")  # the switch's button submits: a new page loads
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.locator("h1").inner_text().startswith("Welcome")
    assert "Log out" in page.locator("header").inner_text()


def test_anonymous_user_is_sent_to_login_RO_1(page):
    page.goto("/")
    assert "/accounts/login/" in page.url
