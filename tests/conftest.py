"""Shared fixtures: users per role, API clients, the browser."""

import pytest
from rest_framework.test import APIClient

from config import roles
from tests import factories


@pytest.fixture(autouse=True)
def _german_by_default(settings):
    settings.LANGUAGE_CODE = "de"


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
def anon_api() -> APIClient:
    return APIClient()
