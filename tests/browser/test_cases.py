"""Browser: a caseworker creates an integrated case while registering a new person (IC-1)
and closes and reopens it with reasons (IC-3)."""

import pytest

from cases import services
from cases.models import IntegratedCase
from config import roles
from participants.models import Participant
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def caseworker_user():
    factories.IntegratedCaseTypeFactory()  # the default type (flushed between browser tests)
    return factories.UserFactory(username="cw-browser", role=roles.CASEWORKER)


def test_create_integrated_case_registering_new_person_IC_1(page, login, caseworker_user):
    """IC-1: the create form registers a new person in the same step."""
    login("cw-browser")
    page.goto("/cases/new/")
    page.get_by_label("Neue Person oder neuen Anwärter registrieren").check()
    assert page.locator("#id_participant_reference").is_hidden()
    page.fill("#id_new_name", "Maria Beispiel")
    page.click("button[type=submit]:has-text('Fall anlegen')")
    page.wait_for_load_state("networkidle")
    # No date of birth: the message stands beside the field, nothing is saved.
    assert (
        "Bitte geben Sie das Geburtsdatum der Person an."
        in page.locator("#id_new_date_of_birth-error").inner_text()
    )
    assert not Participant.objects.exists()

    page.fill("#id_new_date_of_birth", "1975-06-01")
    page.click("button[type=submit]:has-text('Fall anlegen')")
    page.wait_for_load_state("networkidle")
    case = IntegratedCase.objects.get()
    assert page.url.endswith(f"/cases/{case.pk}/")
    assert case.reference in page.locator("h1").inner_text()
    assert page.locator("[data-testid=case-status]").inner_text() == "Offen"
    assert "Maria Beispiel" in page.locator("#members").inner_text()
    assert case.primary_client.name == "Maria Beispiel"
    assert case.primary_client.reference.startswith("B-")


def test_close_and_reopen_integrated_case_IC_3(page, login, caseworker_user):
    """IC-3: closing needs a reason; closed and reopened, the case keeps its id and the
    history shows who and why."""
    case = services.integrated_case_create(
        user=caseworker_user, primary_client=factories.PersonFactory(name="Thomas Schmidt")
    )
    login("cw-browser")
    page.goto(f"/cases/{case.pk}/")
    page.click("#close-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Bitte geben Sie einen Schließungsgrund an." in page.locator("#close-form").inner_text()
    assert IntegratedCase.objects.get(pk=case.pk).status == "open"

    page.fill("#id_reason", "Umzug ins Ausland")
    page.click("#close-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=case-status]").inner_text() == "Geschlossen"
    assert page.locator("[data-testid=closure-reason]").inner_text() == "Umzug ins Ausland"

    page.fill("#reopen-form #id_reason", "Rückkehr")
    page.click("#reopen-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/cases/{case.pk}/")
    assert page.locator("[data-testid=case-status]").inner_text() == "Offen"
    history = page.locator("#history").inner_text()
    assert "Erneut geöffnet: Rückkehr" in history
    assert "Geschlossen: Umzug ins Ausland" in history
    assert caseworker_user.get_full_name() in history
    assert IntegratedCase.objects.get(pk=case.pk).status == "open"
