"""Playwright against Debian's Chromium and pytest-django's live_server.

Skips with a clear message when Chromium is not installed; .ci/run always installs it."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures and the live server are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "pass-word-123"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(f"Chromium not found at {CHROMIUM}, but REQUIRE_BROWSER_TESTS is set.")
        pytest.skip(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium "
            "(apt-get install -y chromium); .ci/run does this."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="de-DE")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, username: str, *, password: str = PASSWORD, wait: str = "networkidle"):
    """Signs a user in through the login form (in a page of any context) and returns the
    page; without JavaScript there is no network to wait for: ``wait="load"``."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state(wait)
    return page


@pytest.fixture
def login(page):
    """Signs a user in through the login form and returns the page."""

    def _login(username: str, password: str = PASSWORD):
        return sign_in(page, username, password=password)

    return _login
