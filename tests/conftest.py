"""Shared fixtures: users per role, API clients, the browser."""

import pytest
from rest_framework.test import APIClient

from config import roles
from config.celery import app as celery_app
from tests import factories


@pytest.fixture(autouse=True)
def _german_by_default(settings):
    settings.LANGUAGE_CODE = "de"


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Run Celery tasks in-process even where a broker is configured (CI sets one), so a
    test sees the effect of the task it caused. Tests marked `celery_broker` talk to the
    real broker and a real worker instead."""
    if request.node.get_closest_marker("celery_broker"):
        yield
        return
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def _case_start_bound_for_fixed_dates(settings):
    """The worked examples and many tests use fixed 2026 dates; with the production bound
    of one year they would fail from late 2027 on. Tests of the bound set it back to 1."""
    settings.CASE_START_MAX_YEARS_BACK = 100


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test users are made by the dozen; PBKDF2 would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def caseworker(db):
    return factories.UserFactory(username="cw", role=roles.CASEWORKER)


@pytest.fixture
def supervisor(db):
    return factories.UserFactory(username="sv", role=roles.SUPERVISOR)


@pytest.fixture
def administrator(db):
    return factories.UserFactory(username="adm", role=roles.ADMINISTRATOR, is_staff=True)


def _client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(caseworker) -> APIClient:
    """An API client signed in as a caseworker."""
    return _client_for(caseworker)


@pytest.fixture
def supervisor_api(supervisor) -> APIClient:
    return _client_for(supervisor)


@pytest.fixture
def admin_api(administrator) -> APIClient:
    return _client_for(administrator)


@pytest.fixture
def administrator_client(client, administrator):
    """A page client signed in with the administrator role (RO-1), not as a superuser
    (pytest-django's admin_client holds every permission and so proves nothing of a role)."""
    assert not administrator.is_superuser
    client.force_login(administrator)
    return client


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()


@pytest.fixture(autouse=True)
def _api_limits_high(settings):
    """API throttles are real in production; tests make hundreds of requests from one
    address, so the limits are high here. The throttle tests set their own."""
    settings.API_THROTTLE_RATES = {
        "user": "100000/minute",
        "anon": "100000/minute",
        "failed_token": "100000/minute",
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached reads keyed by row ids (the agency
    account's totals) must not carry over between tests, whose rollbacks reuse ids."""
    from django.core.cache import cache

    cache.clear()
    yield
