"""Participants API (/api/v1/participants/): PT-1, PT-2, PT-3 over REST, roles (RO-1)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from deductions.models import Deduction
from participants.models import Participant
from products.models import DeductionCategory
from tests import factories
from workflow.models import WorkflowEvent

pytestmark = pytest.mark.django_db
URL = "/api/v1/participants/"
TODAY = timezone.localdate()


def test_create_person_with_bank_account_and_display_labels_PT_1_PT_2(api):
    """PT-1 / PT-2: POST creates a participant with reference, bank accounts, labels."""
    response = api.post(
        URL,
        {
            "type": "person",
            "name": "Thomas Schmidt",
            "date_of_birth": "1980-04-12",
            "bank_accounts": [
                {
                    "account_name": "T. Schmidt",
                    "account_number": "DE89370400440532013000",
                    "bic": "COBADEFFXXX",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["reference"].startswith("B-")
    assert body["type_display"] == "Person"
    assert body["bank_accounts"][0]["account_number"] == "DE89370400440532013000"
    assert body["date_of_death"] is None and body["is_ended"] is False


def test_create_employer_gets_trading_status_label_PT_2(api):
    response = api.post(URL, {"type": "employer", "name": "Muster AG"}, format="json")
    assert response.status_code == 201
    assert response.json()["trading_status"] == "active"
    assert response.json()["trading_status_display"] == "Aktiv"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"type": "alien", "name": "X"}, "type"),
        ({"type": "utility", "name": "X", "date_of_birth": "1980-01-01"}, "date_of_birth"),
        (
            {
                "type": "person",
                "name": "X",
                "date_of_birth": "1980-01-01",
                "trading_status": "active",
            },
            "trading_status",
        ),
        (
            {
                "type": "person",
                "name": "X",
                "date_of_birth": "1980-01-01",
                "end_date": "2026-01-01",
            },
            "end_date",
        ),
        ({"type": "person", "name": "X"}, "date_of_birth"),
        ({"type": "utility", "name": ""}, "name"),
        (
            {
                "type": "utility",
                "name": "X",
                "bank_accounts": [{"account_name": "A", "account_number": "DE00123"}],
            },
            "bank_accounts",
        ),
        ({"type": "person", "name": "X", "date_of_birth": "kein Datum"}, "date_of_birth"),
    ],
)
def test_bad_input_400_with_field_and_nothing_written_PT_2(api, payload, field):
    """PT-2: unknown type, fields of other types, missing data → 400 naming the field."""
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Participant.objects.exists()


def test_search_filter_and_pagination_PT_1(api):
    """PT-1: search by name or reference, filter by type; paginated."""
    thomas = factories.PersonFactory(name="Thomas Schmidt", reference="B-0000001")
    factories.PersonFactory(name="Linda Schmidt")
    factories.UtilityFactory(name="Stadtwerke Musterstadt")
    body = api.get(URL, {"search": "schmidt tho"}).json()
    assert body["count"] == 1 and body["results"][0]["id"] == thomas.pk
    body = api.get(URL, {"search": "B-0000001"}).json()
    assert [r["id"] for r in body["results"]] == [thomas.pk]
    body = api.get(URL, {"type": "utility"}).json()
    assert [r["name"] for r in body["results"]] == ["Stadtwerke Musterstadt"]
    body = api.get(URL, {"page_size": 1}).json()
    assert body["count"] == 3 and len(body["results"]) == 1 and body["next"]


def test_patch_ending_third_party_payee_answers_warnings_PT_3_TP_1(api, caseworker):
    """PT-3 / TP-1: a PATCH that ends a third-party payee answers 200 with warnings naming
    the deductions, and one event is recorded; a later PATCH has no warnings."""
    utility = factories.UtilityFactory(name="Stadtwerke")
    dtype = factories.DeductionTypeFactory(name="Strom", category=DeductionCategory.THIRD_PARTY)
    deduction = factories.DeductionFactory(
        deduction_type=dtype,
        third_party=utility,
        third_party_account_number="1",
        end_date=TODAY + timedelta(days=30),
        case=factories.ProductDeliveryCaseFactory(
            start_date=TODAY - timedelta(days=7), expected_end_date=TODAY + timedelta(days=90)
        ),
        start_date=TODAY - timedelta(days=7),
    )
    response = api.patch(f"{URL}{utility.pk}/", {"end_date": str(TODAY)}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["is_ended"] is True
    assert len(body["warnings"]) == 1
    assert f"Nr. {deduction.pk}" in body["warnings"][0] and "Strom" in body["warnings"][0]
    assert WorkflowEvent.objects.filter(event_type="third_party_participant_ended").count() == 1

    again = api.patch(f"{URL}{utility.pk}/", {"name": "Stadtwerke alt"}, format="json")
    assert again.status_code == 200 and again.json()["warnings"] == []
    assert WorkflowEvent.objects.count() == 1
    assert Deduction.objects.get(pk=deduction.pk).status == "inactive"


def test_patch_invalid_field_400_PT_2(api):
    person = factories.PersonFactory()
    response = api.patch(f"{URL}{person.pk}/", {"trading_status": "wound_up"}, format="json")
    assert response.status_code == 400 and "trading_status" in response.json()
    response = api.patch(f"{URL}{person.pk}/", {"type": "utility"}, format="json")
    assert response.status_code == 400 and "type" in response.json()


def test_promote_prospect_keeps_id_PT_1(api):
    """PT-1: POST .../promote/ turns a prospect into a person with the same id."""
    prospect = factories.ParticipantFactory(type="prospect", date_of_birth=None)
    response = api.post(
        f"{URL}{prospect.pk}/promote/", {"date_of_birth": "1990-02-03"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["id"] == prospect.pk and response.json()["type"] == "person"
    again = api.post(f"{URL}{prospect.pk}/promote/", {}, format="json")
    assert again.status_code == 409


def test_roles_RO_1(admin_api, anon_api, api):
    """RO-1: administrators read, do not write; anonymous gets 401; no DELETE."""
    person = factories.PersonFactory()
    assert admin_api.get(URL).status_code == 200
    assert admin_api.post(URL, {"type": "utility", "name": "X"}, format="json").status_code == 403
    assert admin_api.patch(f"{URL}{person.pk}/", {"name": "Y"}, format="json").status_code == 403
    assert anon_api.get(URL).status_code == 401
    assert api.delete(f"{URL}{person.pk}/").status_code == 405
