"""Every list page is paged (issue #14, item 11): with more rows than a page it shows a
pagination control and only one page of rows; the agency account (LI-2) pages its cases
and sums the entries of all of them in the database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db.models import Sum
from django.urls import reverse

from cases.views import applications as application_views
from cases.views import integrated_cases as case_views
from config.paging import EstimatedCountPaginator, LargeTableAdminMixin
from deductions import views as deduction_views
from participants import views as participant_views
from payments import third_party_views
from payments import views as payment_views
from payments.models import AgencyAccountEntry, Payment, PaymentRun
from tests import factories
from workflow import views as workflow_views

pytestmark = pytest.mark.django_db

PAGER = 'class="pagination"'


@pytest.fixture
def cw(client, caseworker):
    client.force_login(caseworker)
    return client


def _rows(html: str, marker: str) -> int:
    return html.count(marker)


def test_integrated_case_list_is_paged(cw, monkeypatch):
    monkeypatch.setattr(case_views, "PAGE_SIZE", 2)
    cases = factories.IntegratedCaseFactory.create_batch(3)
    html = cw.get(reverse("cases:integrated-case-list")).content.decode()
    assert PAGER in html and "page=2" in html
    assert sum(c.reference in html for c in cases) == 2


def test_participant_search_is_paged(cw, monkeypatch):
    monkeypatch.setattr(participant_views, "PAGE_SIZE", 2)
    people = factories.PersonFactory.create_batch(3, name="Meier")
    html = cw.get(reverse("participants:search"), {"q": "Meier"}).content.decode()
    assert PAGER in html and "page=2" in html
    assert sum(p.reference in html for p in people) == 2


def test_application_list_is_paged(cw, caseworker, monkeypatch):
    monkeypatch.setattr(application_views, "PAGE_SIZE", 2)
    from cases.models import Application

    product = factories.ProductFactory(has_application_process=True)
    case_type = factories.IntegratedCaseTypeFactory()
    for person in factories.PersonFactory.create_batch(3):
        Application.objects.create(
            applicant=person,
            product=product,
            case_type=case_type,
            submitted_on=date(2026, 1, 5),
            requested_start_date=date(2026, 1, 5),
            created_by=caseworker,
        )
    html = cw.get(reverse("cases:application-list")).content.decode()
    assert PAGER in html and "page=2" in html


def test_person_deduction_list_is_paged(cw, monkeypatch):
    monkeypatch.setattr(deduction_views, "PAGE_SIZE", 2)
    case = factories.ProductDeliveryCaseFactory()
    factories.DeductionFactory.create_batch(3, case=case)
    url = reverse("deductions:person-list", args=[case.primary_client_id])
    html = cw.get(url).content.decode()
    assert PAGER in html and "page=2" in html


def test_case_payments_are_paged(cw, monkeypatch):
    monkeypatch.setattr(payment_views, "PAYMENTS_PAGE", 2)
    case = factories.ProductDeliveryCaseFactory()
    for week in range(3):
        factories.BenefitPaymentFactory(
            case=case, period_start=case.start_date + timedelta(days=7 * week)
        )
    html = cw.get(reverse("payments:case-payments", args=[case.pk])).content.decode()
    assert PAGER in html and "page=2" in html


def test_third_party_payments_are_paged(cw, monkeypatch):
    monkeypatch.setattr(third_party_views, "PAGE_SIZE", 2)
    utility = factories.UtilityFactory()
    factories.ThirdPartyPaymentFactory.create_batch(3, deduction__third_party=utility)
    assert Payment.objects.filter(payee=utility).count() == 3
    html = cw.get(reverse("payments:third-party-payments", args=[utility.pk])).content.decode()
    assert PAGER in html and "page=2" in html


def test_run_list_is_paged(client, administrator, monkeypatch):
    monkeypatch.setattr(payment_views, "RUNS_PAGE", 2)
    for day in range(3):
        PaymentRun.objects.create(run_date=date(2026, 1, 5) + timedelta(days=day))
    client.force_login(administrator)
    html = client.get(reverse("payments:run-list")).content.decode()
    assert PAGER in html and "page=2" in html


def test_task_and_notification_lists_are_paged(client, supervisor, monkeypatch):
    monkeypatch.setattr(workflow_views, "PAGE_SIZE", 2)
    factories.TaskFactory.create_batch(3, assignee=supervisor)
    factories.NotificationFactory.create_batch(3, recipient=supervisor)
    client.force_login(supervisor)
    for name in ("workflow:task-list", "workflow:notification-list"):
        html = client.get(reverse(name)).content.decode()
        assert PAGER in html and "page=2" in html, name


@pytest.fixture
def entries():
    """Agency-account entries on three cases (two on the first), amounts 30/30/30/30."""
    entries = factories.AgencyAccountEntryFactory.create_batch(3)
    first = entries[0]
    second_payment = factories.ThirdPartyPaymentFactory(
        deduction=first.deduction,
        period_start=date(2026, 1, 12),
        period_end=date(2026, 1, 18),
        effective_date=date(2026, 1, 19),
    )
    entries.append(factories.AgencyAccountEntryFactory(payment=second_payment))
    return entries


def test_agency_account_pages_cases_and_sums_all_entries_LI_2(cw, entries, monkeypatch):
    """LI-2: the cases come one page at a time (by case id), each with the sum of its
    entries; the grand total is the database's sum of every entry, on every page."""
    monkeypatch.setattr(payment_views, "AGENCY_ACCOUNT_PAGE", 2)
    url = reverse("payments:agency-account")
    response = cw.get(url)
    html = response.content.decode()
    cases = sorted({e.case for e in entries}, key=lambda c: c.pk)
    assert PAGER in html
    assert cases[0].reference in html and cases[1].reference in html
    assert cases[2].reference not in html
    page = response.context["cases"]
    assert [row["case_id"] for row in page.object_list] == [c.pk for c in cases[:2]]
    first = page.object_list[0]
    assert (first["entries"], first["total"]) == (2, Decimal("60.00"))
    grand = AgencyAccountEntry.objects.aggregate(total=Sum("amount"))["total"]
    assert grand == sum(e.amount for e in entries) == Decimal("120.00")
    assert response.context["grand_total"] == {"total": grand, "entries": 4}
    assert 'data-testid="grand-total">120,00' in html

    following = cw.get(url, {"after": page.next_after})
    rows = following.context["cases"].object_list
    assert [row["case_id"] for row in rows] == [cases[2].pk]
    assert following.context["grand_total"]["total"] == grand
    back = cw.get(url, {"before": following.context["cases"].previous_before})
    assert [row["case_id"] for row in back.context["cases"].object_list] == [
        c.pk for c in cases[:2]
    ]


def test_agency_account_summary_api_pages_cases_LI_2(api, entries, monkeypatch):
    """LI-2: per case the API answers a bounded array; the next page in the Link header."""
    from payments import api as payments_api

    monkeypatch.setattr(payments_api, "SUMMARY_CASES", 2)
    response = api.get("/api/v1/agency-account-entries/summary/?by=case")
    assert len(response.json()) == 2
    link = response.headers["Link"]
    assert 'rel="next"' in link
    following = api.get(link.split(">")[0].lstrip("<"))
    assert len(following.json()) == 1 and "Link" not in following.headers
    every = response.json() + following.json()
    assert sum(Decimal(row["total"]) for row in every) == Decimal("120.00")


LARGE_ADMINS = [
    ("payments", "payment"),
    ("payments", "deductionprocessing"),
    ("payments", "agencyaccountentry"),
    ("deductions", "deduction"),
    ("cases", "productdeliverycase"),
    ("cases", "integratedcase"),
    ("participants", "participant"),
]


@pytest.mark.parametrize("app_label, model_name", LARGE_ADMINS)
def test_large_table_changelists_page_without_full_count(
    client, app_label, model_name, monkeypatch
):
    """The changelists of the large tables count through the estimating paginator and
    never add the count of the whole table; with more rows than a page they page."""
    for week in range(3):
        processing = factories.DeductionProcessingFactory(
            payment__period_start=date(2026, 1, 5) + timedelta(days=7 * week)
        )
        factories.AgencyAccountEntryFactory(
            payment__deduction__case=processing.deduction.case,
        )
    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    model_admin = next(
        ma
        for model, ma in admin.site._registry.items()
        if (model._meta.app_label, model._meta.model_name) == (app_label, model_name)
    )
    assert isinstance(model_admin, LargeTableAdminMixin)
    assert model_admin.show_full_result_count is False
    monkeypatch.setattr(model_admin, "list_per_page", 2)
    response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert isinstance(changelist.paginator, EstimatedCountPaginator)
    assert changelist.full_result_count is None
    assert changelist.multi_page and len(changelist.result_list) == 2
    assert '<p class="paginator">' in response.content.decode()
