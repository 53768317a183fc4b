"""Django admin: integrated case types maintained by administrators (IC-1); participants,
cases and liabilities read-only with filters, search and history (RO-1)."""

import pytest
from django.test import Client

from cases import services
from cases.models import IntegratedCaseType
from tests import factories
from tests.html_tables import table_rows

pytestmark = pytest.mark.django_db


def test_administrator_maintains_case_types_default_moves_IC_1(administrator_client):
    """IC-1: case types are a code table in admin; a new default takes over the flag."""
    response = administrator_client.post(
        "/admin/cases/integratedcasetype/add/",
        {"code": "pflege", "name": "Hilfe zur Pflege", "is_default": "on", "active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert IntegratedCaseType.objects.get(is_default=True).code == "pflege"
    assert not IntegratedCaseType.objects.get(code="social_assistance").is_default
    assert services.integrated_case_type_default().code == "pflege"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/participants/participant/",
        "/admin/cases/integratedcase/",
        "/admin/cases/productdeliverycase/",
        "/admin/cases/liability/",
        "/admin/cases/application/",
        "/admin/cases/integratedcasetype/",
    ],
)
def test_admin_lists_with_filters_and_search_RO_1(administrator_client, caseworker, url):
    """RO-1: the administrator role (not a superuser) reads the lists with filters and
    search; the caseworker role is sent to the login page."""
    factories.LiabilityFactory()
    factories.ProductDeliveryCaseFactory()
    assert administrator_client.get(url).status_code == 200
    assert administrator_client.get(url + "?q=x").status_code == 200
    caseworker_client = Client()
    caseworker_client.force_login(caseworker)
    response = caseworker_client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_participant_admin_read_only_with_history_RO_1(administrator_client, caseworker):
    """RO-1: participants are read-only in admin (writes go through the services); the
    history page shows who changed them."""
    case = services.integrated_case_create(
        user=caseworker, primary_client=factories.PersonFactory()
    )
    person = case.primary_client
    assert administrator_client.get("/admin/participants/participant/add/").status_code == 403
    page = administrator_client.get(f"/admin/participants/participant/{person.pk}/change/")
    assert page.status_code == 200 and b'name="name"' not in page.content
    assert (
        administrator_client.get(
            f"/admin/participants/participant/{person.pk}/history/"
        ).status_code
        == 200
    )
    history = administrator_client.get(f"/admin/cases/integratedcase/{case.pk}/history/")
    assert history.status_code == 200 and b"Angelegt" in history.content
    rows = table_rows(history.content.decode(), 'id="change-history"')
    created = [row for row in rows if row["Änderungsgrund"] == "Angelegt"]
    assert [row["Geändert von"] for row in created] == [caseworker.username]
