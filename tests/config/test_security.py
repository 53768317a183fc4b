"""Fail closed, brute-force protection, headers and sessions (RO-1 where it applies):
defects found by probing the running application from outside."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests import factories

BASE_DIR = Path(django_settings.BASE_DIR)
PRODUCTION_KEY = "Zq8v1oN3-production-only-" + "k" * 40


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`manage.py <args>` in a fresh process with the given environment on top of ours
    (None removes a variable, so that the setting's default applies)."""
    full_env = {**os.environ, **env}
    # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE in this process; a
    # deployment does not (check --deploy reports it as async.E001).
    dropped = ["DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"]
    for name in [*dropped, *(k for k, v in env.items() if v is None)]:
        full_env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- fail closed --------------------------------------------------------------------------


def test_debug_off_without_secret_key_refuses_to_start():
    """Defect: settings failed open — with DJANGO_DEBUG=false and no DJANGO_SECRET_KEY
    the app started with the key committed in the repository. Now the settings refuse to
    load, with a clear message."""
    result = manage("check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_off_with_the_committed_development_key_refuses_to_start():
    """Defect: the committed development key was accepted in production. It is refused
    everywhere but development (DEBUG on: `make run` and the tests)."""
    result = manage(
        "check",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=django_settings.DEVELOPMENT_SECRET_KEY,
    )
    assert result.returncode != 0
    assert "development key" in result.stderr


def deploy_check_warnings(**env: str) -> set[str]:
    result = manage(
        "check",
        "--deploy",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=PRODUCTION_KEY,
        DJANGO_ALLOWED_HOSTS="deductions.example.org",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return set(re.findall(r"\(([a-z_]+\.[EW]\d+)\)", result.stdout + result.stderr))


def test_check_deploy_with_production_settings_warns_only_about_the_proxy():
    """Defect: `check --deploy` passed the committed key and HSTS was 0. With production
    settings the only warning left is security.W008 (HTTP→HTTPS redirect), which
    docs/decisions.md assigns to the TLS proxy."""
    assert deploy_check_warnings() == {"security.W008"}
    decisions = (BASE_DIR / "docs" / "decisions.md").read_text()
    assert "security.W008" in decisions


def test_docker_compose_reads_secrets_from_env_binds_locally_and_seeds_only_when_asked():
    """Defect: docker-compose set a default secret key, DJANGO_SECURE_COOKIES=false, ran
    seed_demo (known passwords) and published 0.0.0.0:8000."""
    text = (BASE_DIR / "docker-compose.yml").read_text()
    compose = yaml.safe_load(text)
    app = compose["services"]["web"]
    assert app["env_file"] == ".env"
    assert app["environment"]["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    assert "change-me" not in text
    assert app["environment"]["DJANGO_SECURE_COOKIES"] == "${DJANGO_SECURE_COOKIES:-true}"
    assert app["ports"] == ["${WEB_BIND:-127.0.0.1}:${WEB_PORT:-8000}:8000"]
    assert "SEED_DEMO" in app["command"]
    example = (BASE_DIR / ".env.example").read_text()
    assert re.search(r"^DJANGO_SECRET_KEY=$", example, re.M)
    assert ".env" in (BASE_DIR / ".gitignore").read_text().split()


# --- login lockout (django-axes) ----------------------------------------------------------


@pytest.fixture
def login_user(db):
    user = factories.UserFactory(username="erika")
    user.set_password("richtig-123")
    user.save()
    return user


def attempt(client, password, username="erika"):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_login_locked_after_failures_even_with_the_right_password(client, login_user, settings):
    """Defect: 30 wrong passwords on /accounts/login/, then the right one → logged in.
    After AXES_FAILURE_LIMIT failures of one username from one address, the login page
    says so in German (429) and the right password no longer logs in."""
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        assert attempt(client, "falsch").status_code in (200, 429)
    response = attempt(client, "richtig-123")
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_is_per_user_and_address(client, login_user, settings):
    """Another address may still log in as the locked user; the lock is per user + IP."""
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        attempt(client, "falsch")
    other = client.__class__(REMOTE_ADDR="10.9.8.7")
    response = attempt(other, "richtig-123")
    assert response.status_code == 302


@pytest.mark.django_db
def test_success_resets_the_failure_count(client, login_user, settings):
    """A successful login resets the count (AXES_RESET_ON_SUCCESS)."""
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        attempt(client, "falsch")
    assert attempt(client, "richtig-123").status_code == 302
    client.logout()
    for _ in range(2):
        attempt(client, "falsch")
    assert attempt(client, "richtig-123").status_code == 302


@pytest.mark.django_db
def test_administrator_unlocks_a_locked_login_in_admin(client, login_user, settings):
    """RO-1: an administrator unlocks a locked login in Django admin (deleting the
    access attempt); the user can then log in again."""
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        attempt(client, "falsch")
    assert attempt(client, "richtig-123").status_code == 429
    from config import roles

    admin = factories.UserFactory(username="chefin", role=roles.ADMINISTRATOR, is_staff=True)
    admin_client = client.__class__()
    admin_client.force_login(admin)
    listing = admin_client.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    entry = AccessAttempt.objects.get(username="erika")
    response = admin_client.post(f"/admin/axes/accessattempt/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert attempt(client, "richtig-123").status_code == 302


@pytest.mark.django_db
def test_login_without_a_request_still_works(client, login_user):
    """authenticate() without a request (the test client's login(), scripts) is not
    counted by axes and does not fail."""
    assert client.login(username="erika", password="richtig-123")


# --- API throttling -----------------------------------------------------------------------


@pytest.fixture
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_api_throttles_per_user_429_with_retry_after(fresh_throttles, settings, caseworker):
    """API requests per user are limited (API_THROTTLE_RATES["user"]): 429 with
    Retry-After once used up."""
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "user": "3/minute"}
    client = APIClient()
    client.force_authenticate(caseworker)
    statuses = [client.get("/api/v1/participants/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/participants/")
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()


@pytest.mark.django_db
def test_anonymous_api_requests_throttled_per_address(fresh_throttles, settings):
    """Anonymous API requests are counted per address although each is refused (401):
    429 with Retry-After once API_THROTTLE_RATES["anon"] is used up."""
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "anon": "2/minute"}
    client = APIClient()
    statuses = [client.get("/api/v1/participants/").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    assert int(client.get("/api/v1/participants/")["Retry-After"]) > 0
    other = APIClient(REMOTE_ADDR="10.1.2.3")
    assert other.get("/api/v1/participants/").status_code == 401


@pytest.mark.django_db
def test_failed_tokens_throttled_per_address(fresh_throttles, settings, caseworker):
    """Defect: 30 invalid API tokens → 30 × 401, no throttle. Failed token attempts are
    counted per address even though authentication fails; once
    API_THROTTLE_RATES["failed_token"] is used up, the answer is 429 with Retry-After,
    for any token from that address."""
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "failed_token": "3/minute"}
    valid = Token.objects.create(user=caseworker).key
    client = APIClient()
    statuses = []
    for n in range(4):
        client.credentials(HTTP_AUTHORIZATION=f"Token wrong{n:036d}")
        statuses.append(client.get("/api/v1/participants/").status_code)
    assert statuses == [401, 401, 401, 429]
    client.credentials(HTTP_AUTHORIZATION=f"Token {valid}")
    blocked = client.get("/api/v1/participants/")
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    elsewhere = APIClient(REMOTE_ADDR="10.4.5.6")
    elsewhere.credentials(HTTP_AUTHORIZATION=f"Token {valid}")
    assert elsewhere.get("/api/v1/participants/").status_code == 200


# --- headers and sessions -----------------------------------------------------------------


@pytest.mark.django_db
def test_schema_and_docs_need_a_login_RO_1(client, anon_api, caseworker):
    """Defect, RO-1: anonymous users read /api/schema/ and /api/docs/. Anonymous users see
    only the login page: the docs page redirects there, the schema answers 401."""
    docs = client.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/login/")
    assert anon_api.get("/api/schema/").status_code == 401
    client.force_login(caseworker)
    assert client.get("/api/docs/").status_code == 200
    assert client.get("/api/schema/").status_code == 200


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_without_inline_code(client, caseworker):
    """Defect: no Content-Security-Policy. Pages send one that allows scripts and styles
    from this origin only (no 'unsafe-inline')."""
    client.force_login(caseworker)
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy
    login = client.get("/accounts/login/")
    assert "Content-Security-Policy" in login


@pytest.mark.django_db
def test_docs_page_has_no_inline_script(client, caseworker):
    """The Swagger UI page loads its init script as a separate request; its policy adds
    only the Swagger UI CDN."""
    client.force_login(caseworker)
    page = client.get("/api/docs/")
    html = page.content.decode()
    assert not re.search(r"<script>|<style", html)
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_templates_have_no_inline_script_style_or_handlers():
    """The CSP refuses inline code, so no template may need any: no <script> without src,
    no style attribute or <style> block, no on…= event handler."""
    offenders = []
    for path in (BASE_DIR / "templates").rglob("*.html"):
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\sstyle=", r"<style", r"\son[a-z]+="):
            if re.search(pattern, text):
                offenders.append(f"{path.name}: {pattern}")
    assert offenders == []


def test_production_sends_hsts_and_session_settings():
    """Defect: HSTS was 0 by default and sessions lived two weeks without an idle timeout.
    Production settings turn HSTS on; sessions expire after SESSION_IDLE_MINUTES (30)
    without a request (sliding) and when the browser closes."""
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST,"
        " s.SESSION_EXPIRE_AT_BROWSER_CLOSE, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = manage(
        "shell",
        "-c",
        code,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=PRODUCTION_KEY,
        SESSION_IDLE_MINUTES=None,
        DJANGO_HSTS_SECONDS=None,
        DJANGO_SECURE_COOKIES=None,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "31536000",
        "1800",
        "True",
        "True",
        "True",
        "True",
    ]


@pytest.mark.django_db
def test_session_cookie_ends_with_the_browser_and_slides(client, caseworker):
    """The session cookie carries no expiry (ends with the browser); each request renews
    the session's idle timeout."""
    client.force_login(caseworker)
    response = client.get("/")
    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert client.session.get_expiry_age() == django_settings.SESSION_COOKIE_AGE
