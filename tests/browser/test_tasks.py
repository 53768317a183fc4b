"""Browser (acceptance 5 of issue 7): a utility paid by two third-party deductions is
ended; the case supervisor logs in, sees the task badge, opens the task and ends the
deduction from its link."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from config import roles
from deductions.models import Deduction
from participants import services as participant_services
from tests import factories
from workflow.demo import ensure_default_mappings
from workflow.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _supervisor_opens_edit_page_from_task(page, login):
    """Ends a utility paid by two third-party deductions, then, as the case supervisor:
    badge "2" → inbox → task → "Abzug beenden" → the deduction's edit page."""
    ensure_default_mappings()  # a transactional test before this one flushed them
    supervisor = factories.UserFactory(username="fallsupervisor", role=roles.SUPERVISOR)
    caseworker = factories.UserFactory(username="fallbearbeiter", role=roles.CASEWORKER)
    case = factories.ProductDeliveryCaseFactory(case_supervisor=supervisor)
    utility = factories.UtilityFactory(name="Stadtwerke Süd")
    ends = timezone.localdate() + timedelta(days=365)
    deductions = [
        factories.ThirdPartyDeductionFactory(
            case=case, third_party=utility, status="active", end_date=ends
        )
        for _ in range(2)
    ]
    end_of_utility = timezone.localdate() + timedelta(days=10)
    # Ended through the participants service: the event dispatches after the real commit.
    result = participant_services.participant_update(
        participant=utility, data={"end_date": end_of_utility}, user=caseworker
    )
    assert len(result.warnings) == 2
    assert Task.objects.filter(assignee=supervisor).count() == 2

    login("fallsupervisor")
    badge = page.get_by_test_id("task-badge")
    assert badge.inner_text().strip().endswith("2")
    badge.click()
    page.wait_for_url("**/tasks/")
    rows = page.get_by_test_id("task-row")
    assert rows.count() == 2
    first = deductions[0]
    row = rows.filter(has_text=f"Nr. {first.pk}").first
    assert "Stadtwerke Süd" in row.inner_text()
    row.get_by_role("link", name=f"Nr. {first.pk}", exact=False).first.click()
    page.wait_for_url("**/tasks/*/")
    link = page.get_by_test_id("task-link")
    assert link.inner_text().strip() == "Abzug beenden"
    task = Task.objects.get(deduction=first)
    assert link.get_attribute("href") == (
        f"/deductions/{first.pk}/edit/?next=/tasks/{task.pk}/&end_date={end_of_utility.isoformat()}"
    )
    link.click()
    page.wait_for_url(lambda url: f"/deductions/{first.pk}/edit/" in url)
    assert page.locator("h1").inner_text().startswith("Abzug bearbeiten")
    return first, deductions[1], ends, end_of_utility


def test_supervisor_opens_deduction_from_task_badge_WF_3_TP_1_PT_3(page, login):
    """WF-3, TP-1, PT-3: the case supervisor sees the badge, opens the task and follows its
    link to the edit page of that deduction."""
    first, _second, _ends, end = _supervisor_opens_edit_page_from_task(page, login)
    # The utility's end date is offered as the new end date, and the old one named.
    assert page.locator("#id_end_date").input_value() == end.isoformat()
    assert "Vorschlag aus der Aufgabe" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Zurück zur Aufgabe").is_visible()


def test_supervisor_ends_deduction_from_task_WF_3_TP_1(page, login):
    """WF-3, TP-1: … and ends the deduction there: the new end date is saved on that
    deduction only."""
    first, second, ends, end_of_utility = _supervisor_opens_edit_page_from_task(page, login)
    page.get_by_role("button", name="Speichern").click()  # the offered end date
    task = Task.objects.get(deduction=first)
    page.wait_for_url(f"**/tasks/{task.pk}/")  # back at the task, to close it
    assert Deduction.objects.get(pk=first.pk).end_date == end_of_utility
    assert Deduction.objects.get(pk=second.pk).end_date == ends
    page.get_by_role("button", name="Aufgabe schließen").click()
    expect(page.locator(".messages")).to_contain_text("ist geschlossen")
    task.refresh_from_db()
    assert task.status == "closed"
