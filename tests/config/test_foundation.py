"""Foundation: roles (RO-1), authentication, health, schema, language."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from config import roles
from tests import factories

pytestmark = pytest.mark.django_db


def test_role_groups_exist_with_permissions_RO_1():
    """RO-1: the three groups exist after migrate, with the permissions of their duties."""
    caseworker = Group.objects.get(name=roles.CASEWORKER)
    administrator = Group.objects.get(name=roles.ADMINISTRATOR)
    Group.objects.get(name=roles.SUPERVISOR)
    cw_perms = set(caseworker.permissions.values_list("codename", flat=True))
    admin_perms = set(administrator.permissions.values_list("codename", flat=True))
    assert "add_deduction" in cw_perms
    assert "change_deductiontype" not in cw_perms
    assert "view_deductiontype" in cw_perms
    assert "change_deductiontype" in admin_perms
    assert "add_deduction" not in admin_perms


@pytest.mark.parametrize("path", ["/", "/participants/", "/cases/", "/admin/"])
def test_anonymous_pages_redirect_to_login_RO_1(client, path):
    """RO-1: anonymous users see only the login page."""
    response = client.get(path)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/", "/api/v1/participants/", "/api/v1/deductions/", "/api/v1/payments/"],
)
def test_anonymous_api_gets_401_RO_1(anon_api, path):
    response = anon_api.get(path)
    assert response.status_code == 401


def test_login_page_open_and_login_works(client, caseworker):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "cw", "password": "pass-word-123"})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert "Willkommen" in home.content.decode()


def test_wrong_password_shows_error_beside_form(client, caseworker):
    response = client.post(reverse("login"), {"username": "cw", "password": "falsch"})
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_schema_and_docs_need_a_login_RO_1(client, caseworker):
    """RO-1: anonymous users see only the login page, so the schema (401, like the API)
    and the Swagger UI (login page) need a login (formerly public)."""
    assert client.get("/api/schema/").status_code == 401
    assert client.get("/api/docs/").status_code == 302
    client.force_login(caseworker)
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_token_auth_and_create_api_token_command(capsys, caseworker):
    call_command("create_api_token", "cw")
    key = capsys.readouterr().out.strip()
    assert Token.objects.get(user=caseworker).key == key
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert client.get("/api/v1/").status_code == 401


def test_user_without_role_cannot_use_api_RO_1(db):
    from rest_framework.test import APIClient

    user = factories.UserFactory(username="norole")
    client = APIClient()
    client.force_authenticate(user)
    assert client.get("/api/v1/participants/").status_code == 403


def test_language_switch_to_english(client, caseworker):
    client.force_login(caseworker)
    assert 'lang="de"' in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "caseworker" in out
    from django.contrib.auth.models import User

    assert User.objects.filter(username__in=["admin", "caseworker", "supervisor"]).count() == 3


def test_check_deploy_leaves_only_proxy_https_warnings():
    """Production settings pass `check --deploy` except HSTS/SSL redirect (done by the proxy)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x7#kq2!vR9mZ4pL0sT8wY3nB6cF1hJ5dG-aE_uI+oP=QzXyWvUtSrNmLkJiHg",
        "DJANGO_ALLOWED_HOSTS": "deductions.example.org",
    }
    # Set for Playwright in the browser tests; never in production.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    found = set(__import__("re").findall(r"\((\w+\.\w+)\)", output))
    assert found <= {"security.W004", "security.W008"}, output


def test_pages_german_despite_english_browser_api_follows_header(client, caseworker, api):
    """Pages default to German whatever the browser asks; the API honours Accept-Language."""
    client.force_login(caseworker)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="de"' in page
    response = api.get("/api/v1/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_refused_and_missing_pages_explain_in_german_RO_1(client, supervisor):
    """RO-1: a page the role does not allow answers 403 with a German explanation; an
    unknown address answers 404 with a way back, both inside the normal page frame."""
    client.force_login(supervisor)
    refused = client.get("/payments/runs/")
    assert refused.status_code == 403
    assert "Ihre Rolle erlaubt diese Seite oder Aktion nicht" in refused.content.decode()
    missing = client.get("/cases/pdc/999999/")
    assert missing.status_code == 404
    assert "Seite nicht gefunden" in missing.content.decode()


@pytest.mark.django_db
def test_refused_page_logs_one_warning_line_without_traceback_RO_1(client, supervisor, caplog):
    """RO-1: a 403 from a role check is logged once, as a warning line without the
    PermissionDenied traceback; Django's loggers have no second handler of their own."""
    import logging

    client.force_login(supervisor)
    with caplog.at_level(logging.INFO):
        assert client.get("/payments/runs/").status_code == 403
    forbidden = [r for r in caplog.records if "Forbidden" in r.getMessage()]
    assert len(forbidden) == 1
    assert forbidden[0].levelno == logging.WARNING and forbidden[0].exc_info is None
    assert logging.getLogger("django").handlers == []


@pytest.mark.django_db
def test_pages_reference_a_favicon_RO_1(client, caseworker):
    """Pages name an SVG favicon, so browsers do not ask for /favicon.ico (404)."""
    from django.contrib.staticfiles import finders

    client.force_login(caseworker)
    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    path = finders.find("favicon.svg")
    assert path and "<svg" in open(path, encoding="utf-8").read()
