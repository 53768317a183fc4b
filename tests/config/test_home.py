"""The home page (issue 14, item 7): the user's open tasks, recent cases, cases with skips
in the last payment run and the run's state, each in a bounded number of queries."""

from datetime import date, timedelta

import pytest

from config import roles
from payments.models import PaymentRun, PaymentRunStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _skip_in_run(run, *, case=None):
    deduction = factories.DeductionFactory(**({"case": case} if case else {}))
    line = factories.DeductionProcessingFactory(
        deduction=deduction, status="skipped", amount=0, reason="insufficient"
    )
    line.payment.payment_run_id = run.pk
    line.payment.save(update_fields=["payment_run_id"])
    return deduction.case


def test_open_tasks_panel_lists_mine_only_home(client, caseworker):
    factories.TaskFactory(assignee=caseworker, subject="Meine Aufgabe")
    factories.TaskFactory(subject="Fremde Aufgabe")
    client.force_login(caseworker)
    page = client.get("/").content.decode()
    assert "Meine offenen Aufgaben (1)" in page
    assert "Meine Aufgabe" in page
    assert "Fremde Aufgabe" not in page
    assert 'href="/tasks/"' in page


def test_empty_states_are_german_home(client, supervisor):
    client.force_login(supervisor)
    page = client.get("/").content.decode()
    assert "Sie haben keine offenen Aufgaben." in page
    assert "Sie haben noch keine Fälle bearbeitet oder betreut." in page
    assert "Es hat noch kein Zahlungslauf stattgefunden." in page


def test_recent_cases_are_supervised_or_changed_by_me_newest_first_home(client, caseworker):
    supervised = factories.ProductDeliveryCaseFactory(case_supervisor=caseworker)
    other = factories.ProductDeliveryCaseFactory()
    untouched = factories.ProductDeliveryCaseFactory()
    deduction = factories.DeductionFactory(case=other)
    # A change by the user recorded in the deduction's history makes its case recent.
    deduction._history_user = caseworker
    deduction.save()
    client.force_login(caseworker)
    page = client.get("/").content.decode()
    assert supervised.reference in page and other.reference in page
    assert untouched.reference not in page
    assert page.index(other.reference) < page.index(supervised.reference)
    full = client.get("/cases/recent/").content.decode()
    assert other.reference in full and supervised.reference in full


def test_skipped_cases_of_the_last_run_home(client, caseworker):
    old = PaymentRun.objects.create(run_date=date(2026, 1, 1), status=PaymentRunStatus.COMPLETED)
    run = PaymentRun.objects.create(run_date=date(2026, 2, 1), status=PaymentRunStatus.COMPLETED)
    skipped = _skip_in_run(run)
    earlier = _skip_in_run(old)
    client.force_login(caseworker)
    page = client.get("/").content.decode()
    assert "Fälle mit übersprungenen Abzügen im letzten Zahlungslauf (1)" in page
    assert skipped.reference in page
    assert earlier.reference not in page
    full = client.get(f"/payments/runs/{run.pk}/skips/")
    assert full.status_code == 200
    assert skipped.reference in full.content.decode()


def test_no_skips_in_the_last_run_home(client, caseworker):
    PaymentRun.objects.create(run_date=date(2026, 2, 1), status=PaymentRunStatus.COMPLETED)
    client.force_login(caseworker)
    page = client.get("/").content.decode()
    assert "wurde kein Abzug übersprungen" in page


def test_last_run_state_for_supervisors_and_admins_only_home(client, caseworker, supervisor):
    PaymentRun.objects.create(
        run_date=date(2026, 3, 1), status=PaymentRunStatus.COMPLETED_WITH_FAILURES
    )
    client.force_login(caseworker)
    assert "Letzter Zahlungslauf" not in client.get("/").content.decode()
    client.force_login(supervisor)
    page = client.get("/").content.decode()
    assert "Letzter Zahlungslauf" in page
    assert "Abgeschlossen mit Fehlern" in page
    assert "/payments/runs/" in page


def test_administrator_sees_run_with_link_home(administrator_client):
    run = PaymentRun.objects.create(run_date=date(2026, 3, 1), status=PaymentRunStatus.RUNNING)
    page = administrator_client.get("/").content.decode()
    assert f'href="/payments/runs/{run.pk}/"' in page
    assert "Läuft" in page


def test_english_catalogue_covers_home(client, supervisor):
    client.force_login(supervisor)
    client.cookies["django_language"] = "en"
    page = client.get("/").content.decode()
    assert "You have no open tasks." in page
    assert "Last payment run" in page


def test_home_queries_do_not_grow_with_data_home(client, django_assert_max_num_queries, settings):
    user = factories.UserFactory(username="sup2", role=roles.SUPERVISOR)
    user.groups.add(*factories.UserFactory(username="a2", role=roles.ADMINISTRATOR).groups.all())
    run = PaymentRun.objects.create(run_date=date(2026, 4, 1), status=PaymentRunStatus.COMPLETED)

    def grow(n):
        for _ in range(n):
            case = factories.ProductDeliveryCaseFactory(case_supervisor=user)
            factories.TaskFactory(assignee=user, case=case, due_date=date(2026, 4, 2))
            _skip_in_run(run, case=case)

    client.force_login(user)
    grow(2)
    with django_assert_max_num_queries(30) as small:
        assert client.get("/").status_code == 200
    grow(12)
    with django_assert_max_num_queries(len(small.captured_queries) + 2):
        page = client.get("/").content.decode()
    assert "… und 4 weitere." in page  # 14 tasks, 10 shown
    assert "… und 6 weitere." in page  # 14 cases with skips, 8 shown


def test_recent_cases_selector_bounded_home(caseworker, django_assert_num_queries):
    from cases import selectors

    for _ in range(5):
        factories.ProductDeliveryCaseFactory(case_supervisor=caseworker)
    with django_assert_num_queries(4):
        cases = selectors.recent_cases_for_user(user=caseworker, limit=3)
    assert len(cases) == 3
    assert cases[0].last_touched >= cases[1].last_touched >= cases[2].last_touched
    assert timedelta(0) <= cases[0].last_touched - cases[2].last_touched
