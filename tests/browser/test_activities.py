"""Browser: a caseworker plans an activity on an integrated case, finds it on their home
page, marks it done with an outcome, and closes the case, asked what becomes of another
planned activity (IC-11)."""

import pytest

from cases import services
from cases.models import Activity, ActivityType, IntegratedCase
from config import roles
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case():
    factories.IntegratedCaseTypeFactory()  # the default type (flushed between browser tests)
    for code, name in (("hausbesuch", "Hausbesuch"), ("beratungsgespraech", "Beratungsgespräch")):
        ActivityType.objects.get_or_create(code=code, defaults={"name": name})
    user = factories.UserFactory(username="cw-activity", role=roles.CASEWORKER)
    return services.integrated_case_create(
        user=user, primary_client=factories.PersonFactory(name="Thomas Schmidt")
    )


def _plan(page, case, subject: str, kind: str):
    page.goto(f"/cases/{case.pk}/")
    page.click("#activities a:has-text('Aktivität planen')")
    page.wait_for_url(f"**/cases/{case.pk}/activities/new/")
    page.fill("#id_subject", subject)
    page.select_option("#id_activity_type", label=kind)
    page.fill("#id_planned_at", "2026-11-20T09:30")
    page.get_by_label("Thomas Schmidt").check()
    page.click("#activity-form button[type=submit]")
    page.wait_for_url(f"**/cases/{case.pk}/")


def test_activity_journey_plan_home_done_close_IC_11(page, login, case):
    """IC-11: plan → listed on the case and on my home page → done with outcome (leaves
    the home page) → closing the case asks about the other planned activity and records
    the choice."""
    login("cw-activity")
    _plan(page, case, "Hausbesuch bei Thomas", "Hausbesuch")
    row = page.locator("[data-testid=activity-row]", has_text="Hausbesuch bei Thomas")
    assert "Geplant" in row.inner_text() and "20.11.2026 09:30" in row.inner_text()

    page.goto("/")
    mine = page.locator("#my-activities")
    assert "Meine geplanten Aktivitäten" in mine.inner_text()
    mine.get_by_role("link", name="Hausbesuch bei Thomas").click()
    page.wait_for_selector("#activity-done")
    # Without an outcome "done" is refused beside the field.
    page.click("#activity-done button[type=submit]")
    page.wait_for_selector("#id_done-outcome-error")
    page.fill("#id_done-outcome", "Wohnung besichtigt, alles in Ordnung.")
    page.click("#activity-done button[type=submit]")
    page.wait_for_selector("[data-testid=activity-outcome]")
    assert page.locator("[data-testid=activity-status]").inner_text() == "Erledigt"
    assert "Wohnung besichtigt" in page.locator("[data-testid=activity-outcome]").inner_text()
    page.goto("/")
    assert "Hausbesuch bei Thomas" not in page.locator("#my-activities").inner_text()

    _plan(page, case, "Beratung zum Umzug", "Beratungsgespräch")
    page.fill("#id_reason", "Umzug in eine andere Stadt")
    page.click("#close-form button[type=submit]")
    page.wait_for_selector("#id_planned_activities-error")
    assert IntegratedCase.objects.get(pk=case.pk).status == "open"
    page.get_by_label("Geplante Aktivitäten absagen").check()
    page.click("#close-form button[type=submit]")
    page.wait_for_selector("[data-testid=closure-reason]")
    assert page.locator("[data-testid=case-status]").inner_text() == "Geschlossen"
    assert Activity.objects.get(subject="Beratung zum Umzug").status == "cancelled"
    assert "geplante Aktivität(en) abgesagt" in page.locator("#history").inner_text()
