"""Participant pages: search, register with type-specific fields, home page, edit/end
with the PT-3 warning, promote (PT-1..3); roles (RO-1)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from participants.models import Participant
from products.models import DeductionCategory
from tests import factories
from workflow.models import WorkflowEvent

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def cw_client(client, caseworker):
    client.force_login(caseworker)
    return client


def _accounts(n=1, **rows):
    data = {"accounts-TOTAL_FORMS": str(n), "accounts-INITIAL_FORMS": "0"}
    data.update(rows)
    return data


def test_register_person_and_see_home_page_PT_1_PT_2(cw_client):
    """PT-1 / PT-2: register a person with a bank account; the home page shows it."""
    response = cw_client.post(
        "/participants/new/",
        {
            "type": "person",
            "name": "Thomas Schmidt",
            "date_of_birth": "1980-04-12",
            **_accounts(
                **{
                    "accounts-0-account_name": "T. Schmidt",
                    "accounts-0-account_number": "DE89 3704 0044 0532 0130 00",
                }
            ),
        },
    )
    participant = Participant.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/participants/{participant.pk}/"
    )
    page = cw_client.get(response["Location"]).content.decode()
    assert "Thomas Schmidt" in page and participant.reference in page
    assert "DE89370400440532013000" in page
    assert f"/participants/{participant.pk}/deductions/" in page
    assert f"/participants/{participant.pk}/payments/" in page  # TP-2 financial view


def test_register_shows_german_errors_beside_fields_PT_2(cw_client):
    """PT-2: type-specific fields refused with a message beside the field; nothing saved."""
    response = cw_client.post(
        "/participants/new/",
        {"type": "utility", "name": "Stadtwerke", "date_of_birth": "1980-01-01", **_accounts()},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ein Geburtsdatum gibt es nur bei Personen und Anwärtern." in html
    assert 'id="id_date_of_birth-error"' in html
    assert not Participant.objects.exists()


def test_search_by_name_reference_type_PT_1(cw_client):
    factories.PersonFactory(name="Linda Schmidt", reference="B-0000042")
    factories.UtilityFactory(name="Stadtwerke Musterstadt")
    assert "Linda Schmidt" in cw_client.get("/participants/?q=linda").content.decode()
    assert "Linda Schmidt" in cw_client.get("/participants/?q=B-0000042").content.decode()
    page = cw_client.get("/participants/?type=utility").content.decode()
    assert "Stadtwerke Musterstadt" in page and "Linda Schmidt" not in page


def test_ending_payee_in_edit_page_shows_warning_PT_3_TP_1(cw_client):
    """PT-3 / TP-1: ending a utility paid by a current third-party deduction shows the
    warning list on its page, and records the event once."""
    utility = factories.UtilityFactory(name="Stadtwerke")
    dtype = factories.DeductionTypeFactory(name="Gas", category=DeductionCategory.THIRD_PARTY)
    deduction = factories.DeductionFactory(
        deduction_type=dtype,
        third_party=utility,
        third_party_account_number="1",
        end_date=TODAY + timedelta(days=30),
        start_date=TODAY - timedelta(days=3),
        case=factories.ProductDeliveryCaseFactory(
            start_date=TODAY - timedelta(days=3), expected_end_date=TODAY + timedelta(days=90)
        ),
    )
    response = cw_client.post(
        f"/participants/{utility.pk}/edit/",
        {"name": "Stadtwerke", "end_date": str(TODAY), **_accounts()},
        follow=True,
    )
    html = response.content.decode()
    assert 'data-testid="ended-warnings"' in html
    assert f"Nr. {deduction.pk}" in html and "Gas" in html
    assert WorkflowEvent.objects.filter(event_type="third_party_participant_ended").count() == 1
    # The warning is shown once; reloading the page does not repeat it.
    assert (
        'data-testid="ended-warnings"'
        not in cw_client.get(f"/participants/{utility.pk}/").content.decode()
    )


def test_promote_prospect_page_PT_1(cw_client):
    prospect = factories.ParticipantFactory(type="prospect", date_of_birth=None)
    cw_client.post(f"/participants/{prospect.pk}/promote/", {"date_of_birth": "1991-01-01"})
    assert Participant.objects.get(pk=prospect.pk).type == "person"


def test_page_roles_RO_1(client, administrator):
    """RO-1: administrators may read participant pages but not register."""
    person = factories.PersonFactory()
    client.force_login(administrator)
    assert client.get("/participants/").status_code == 200
    assert client.get(f"/participants/{person.pk}/").status_code == 200
    assert client.get("/participants/new/").status_code == 403
    assert client.post(f"/participants/{person.pk}/edit/", {"name": "X"}).status_code == 403
