"""Case pages: integrated case create (existing or new person, IC-1), detail with members,
service deliveries, referrals (IC-4, IC-5), close/reopen (IC-3), product delivery case
create and page with components, activation, reassessment (IC-6..9), applications (IC-2),
liabilities (LI-1); roles (RO-1)."""

from decimal import Decimal

import pytest

from cases import services
from cases.models import (
    Application,
    CaseComponent,
    FinancialComponent,
    IntegratedCase,
    Liability,
    ProductDeliveryCase,
)
from participants.models import Participant
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw_client(client, caseworker):
    client.force_login(caseworker)
    return client


@pytest.fixture
def product(db):
    product = factories.ProductFactory(name="Grundsicherung")
    factories.ComponentTypeFactory(product=product, name="Maximale persönliche Leistung")
    return product


def test_create_integrated_case_registering_new_person_IC_1(cw_client):
    """IC-1: the create form registers a new person in the same step."""
    response = cw_client.post(
        "/cases/new/",
        {
            "mode": "new",
            "new_type": "person",
            "new_name": "Maria Neu",
            "new_date_of_birth": "1975-06-01",
            "case_type": "social_assistance",
        },
    )
    case = IntegratedCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.primary_client.name == "Maria Neu"
    page = cw_client.get(response["Location"]).content.decode()
    assert "Maria Neu" in page and case.reference in page


def test_create_form_errors_beside_fields_IC_1(cw_client):
    """IC-1: missing date of birth of the new person is named beside its field."""
    response = cw_client.post(
        "/cases/new/",
        {"mode": "new", "new_type": "person", "new_name": "Ohne", "case_type": "social_assistance"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_new_date_of_birth-error"' in html
    assert not Participant.objects.exists()
    response = cw_client.post(
        "/cases/new/", {"mode": "existing", "participant_reference": "B-9999999"}
    )
    assert "Es gibt keinen Beteiligten mit der Referenznummer" in response.content.decode()


def test_create_for_existing_person_preselected_IC_1(cw_client):
    person = factories.PersonFactory(reference="B-0000007")
    page = cw_client.get(f"/cases/new/?participant={person.pk}").content.decode()
    assert 'value="B-0000007"' in page
    cw_client.post(
        "/cases/new/",
        {
            "mode": "existing",
            "participant_reference": "b-0000007",
            "case_type": "social_assistance",
        },
    )
    assert IntegratedCase.objects.get().primary_client == person


def test_close_and_reopen_pages_IC_3(cw_client, caseworker):
    """IC-3: close with reason (refused without), reopen; the page shows history."""
    case = services.integrated_case_create(
        user=caseworker, primary_client=factories.PersonFactory()
    )
    response = cw_client.post(f"/cases/{case.pk}/close/", {"reason": ""})
    assert response.status_code == 400
    assert "Bitte geben Sie einen Schließungsgrund an." in response.content.decode()
    assert IntegratedCase.objects.get(pk=case.pk).status == "open"
    cw_client.post(f"/cases/{case.pk}/close/", {"reason": "Umzug"})
    assert IntegratedCase.objects.get(pk=case.pk).status == "closed"
    page = cw_client.get(f"/cases/{case.pk}/").content.decode()
    assert "Umzug" in page and "Fall erneut öffnen" in page
    cw_client.post(f"/cases/{case.pk}/reopen/", {"reason": "Rückkehr"})
    page = cw_client.get(f"/cases/{case.pk}/").content.decode()
    assert IntegratedCase.objects.get(pk=case.pk).status == "open"
    assert "Erneut geöffnet: Rückkehr" in page and "Geschlossen: Umzug" in page


def test_members_deliveries_referrals_pages_IC_4_IC_5(cw_client, caseworker):
    case = services.integrated_case_create(
        user=caseworker, primary_client=factories.PersonFactory()
    )
    linda = factories.PersonFactory(name="Linda Schmidt")
    cw_client.post(
        f"/cases/{case.pk}/members/add/",
        {
            "member-mode": "existing",
            "member-participant_reference": linda.reference,
            "member-role": "household_member",
        },
    )
    cw_client.post(
        f"/cases/{case.pk}/service-deliveries/add/",
        {"delivery-service": "Schuldnerberatung", "delivery-start_date": "2026-01-01"},
    )
    cw_client.post(f"/cases/{case.pk}/referrals/add/", {"referral-service": "Sprachkurs"})
    page = cw_client.get(f"/cases/{case.pk}/").content.decode()
    assert "Linda Schmidt" in page and "Haushaltsmitglied" in page
    assert "Schuldnerberatung" in page and "Sprachkurs" in page
    bad = cw_client.post(
        f"/cases/{case.pk}/service-deliveries/add/",
        {"delivery-service": "", "delivery-start_date": "2026-01-01"},
    )
    assert bad.status_code == 400 and "Bitte geben Sie den Service an." in bad.content.decode()


def test_pdc_create_page_components_activate_reassess_IC_6_IC_8_IC_9(
    cw_client, caseworker, product
):
    """IC-6..9 through the pages: create, add a component, activate, reassess."""
    case = services.integrated_case_create(
        user=caseworker, primary_client=factories.PersonFactory()
    )
    page = cw_client.get(f"/cases/{case.pk}/pdc/new/").content.decode()
    assert "Maximalen Abzugssatz überschreiben" not in page  # caseworker: no override
    response = cw_client.post(
        f"/cases/{case.pk}/pdc/new/",
        {
            "product": product.pk,
            "start_date": "2026-11-02",
            "expected_end_date": "2026-11-01",
            "case_supervisor": caseworker.pk,
        },
    )
    assert "Das voraussichtliche Fall-Enddatum darf nicht vor dem Startdatum liegen." in (
        response.content.decode()
    )
    response = cw_client.post(
        f"/cases/{case.pk}/pdc/new/",
        {"product": product.pk, "start_date": "2026-11-02", "case_supervisor": caseworker.pk},
    )
    pdc = ProductDeliveryCase.objects.get()
    assert response["Location"] == f"/cases/pdc/{pdc.pk}/"
    detail = cw_client.get(f"/cases/pdc/{pdc.pk}/").content.decode()
    for link in ("deductions", "deductions/new", "simulate", "payments"):
        assert f"/cases/pdc/{pdc.pk}/{link}/" in detail
    refused = cw_client.post(f"/cases/pdc/{pdc.pk}/activate/")
    assert refused.status_code == 409 and "keine Komponenten" in refused.content.decode()
    bad = cw_client.post(
        f"/cases/pdc/{pdc.pk}/components/add/",
        {
            "component-component_type": product.component_types.get().pk,
            "component-amount": "-1",
            "component-nominee": pdc.primary_client_id,
        },
    )
    assert bad.status_code == 400 and "Der Betrag darf nicht negativ sein." in bad.content.decode()
    cw_client.post(
        f"/cases/pdc/{pdc.pk}/components/add/",
        {
            "component-component_type": product.component_types.get().pk,
            "component-amount": "100,00",
            "component-nominee": pdc.primary_client_id,
        },
    )
    component = CaseComponent.objects.get()
    cw_client.post(f"/cases/pdc/{pdc.pk}/activate/")
    assert ProductDeliveryCase.objects.get().status == "active"
    cw_client.post(
        f"/cases/pdc/{pdc.pk}/components/{component.pk}/reassess/",
        {
            f"reassess-{component.pk}-amount": "80,00",
            f"reassess-{component.pk}-effective_from": "2026-11-09",
        },
    )
    amounts = list(
        FinancialComponent.objects.order_by("start_date").values_list("amount", flat=True)
    )
    assert amounts == [Decimal("100.00"), Decimal("80.00")]


def test_application_pages_approve_once_IC_2(cw_client):
    product = factories.ProductFactory(name="Kinderzuschlag", has_application_process=True)
    cw_client.post(
        "/cases/applications/new/",
        {
            "mode": "new",
            "new_type": "person",
            "new_name": "Petra",
            "new_date_of_birth": "1990-01-01",
            "product": product.pk,
            "requested_start_date": "2026-11-02",
        },
    )
    application_id = product.application_set.get().pk
    response = cw_client.post(f"/cases/applications/{application_id}/approve/")
    pdc = ProductDeliveryCase.objects.get()
    assert response["Location"] == f"/cases/pdc/{pdc.pk}/"
    again = cw_client.post(f"/cases/applications/{application_id}/approve/", follow=True)
    assert "bereits" in again.content.decode()
    assert IntegratedCase.objects.count() == 1 and ProductDeliveryCase.objects.count() == 1


def test_liability_page_LI_1(cw_client):
    person = factories.PersonFactory()
    page = cw_client.get(f"/cases/liabilities/new/?participant={person.pk}").content.decode()
    assert person.reference in page
    bad = cw_client.post(
        "/cases/liabilities/new/",
        {"participant_reference": person.reference, "original_amount": "-5"},
    )
    assert "Der Betrag darf nicht negativ sein." in bad.content.decode()
    cw_client.post(
        "/cases/liabilities/new/",
        {
            "participant_reference": person.reference,
            "original_amount": "600,00",
            "liability_case_id": "VB-2026-0001",
            "description": "Überzahlung",
        },
    )
    liability = Liability.objects.get()
    assert liability.outstanding_amount == Decimal("600.00")
    assert "VB-2026-0001" in cw_client.get(f"/participants/{person.pk}/").content.decode()


def test_case_pages_roles_RO_1(client, administrator, caseworker):
    case = services.integrated_case_create(
        user=caseworker, primary_client=factories.PersonFactory()
    )
    client.force_login(administrator)
    assert client.get("/cases/").status_code == 200
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert client.get("/cases/new/").status_code == 403
    assert client.post(f"/cases/{case.pk}/close/", {"reason": "x"}).status_code == 403
    assert IntegratedCase.objects.get(pk=case.pk).status == "open"


def test_pdc_close_page_refuses_impossible_date_beside_the_field_IC_6(
    cw_client, caseworker, product
):
    """IC-6: the close form shows the refusal of a closing day before the case start."""
    pdc = factories.ProductDeliveryCaseFactory(product=product, case_supervisor=caseworker)
    response = cw_client.post(
        f"/cases/pdc/{pdc.pk}/close/", {"close-reason": "Umzug", "close-closed_on": "1900-01-01"}
    )
    assert response.status_code == 400
    assert "Das Schließungsdatum darf nicht vor dem Fallbeginn" in response.content.decode()
    assert response.context["close_form"].errors["closed_on"]
    assert ProductDeliveryCase.objects.get().status == "open"


def test_pdc_create_page_refuses_start_far_in_the_past_IC_6(
    cw_client, caseworker, product, settings
):
    """IC-6: the create form shows the refusal of a start date more than a year back."""
    settings.CASE_START_MAX_YEARS_BACK = 1
    case = services.integrated_case_create(
        user=caseworker, primary_client=factories.PersonFactory()
    )
    response = cw_client.post(
        f"/cases/{case.pk}/pdc/new/",
        {"product": product.pk, "start_date": "1926-11-02", "case_supervisor": caseworker.pk},
    )
    assert "Das Startdatum darf höchstens 1 Jahr zurückliegen" in response.content.decode()
    assert not ProductDeliveryCase.objects.exists()


def test_pdc_create_page_with_nominee_id_beyond_64_bits_IC_6_IC_7(cw_client, caseworker, product):
    """IC-6 / IC-7: a nominee id beyond 64 bits is an invalid choice on the form (400 page
    with the message), not a 500 from SQLite."""
    case = services.integrated_case_create(
        user=caseworker, primary_client=factories.PersonFactory()
    )
    response = cw_client.post(
        f"/cases/{case.pk}/pdc/new/",
        {
            "product": product.pk,
            "start_date": "2026-11-02",
            "case_supervisor": caseworker.pk,
            "nominees": ["99999999999999999999999"],
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["nominees"]
    assert not ProductDeliveryCase.objects.exists()


def test_application_list_paginates_keeping_the_filter_IC_2(cw_client, caseworker):
    """IC-2: more than 25 applications get page links that keep the status filter."""
    product = factories.ProductFactory(has_application_process=True)
    case_type = factories.IntegratedCaseTypeFactory()
    person = factories.PersonFactory()
    Application.objects.bulk_create(
        Application(
            applicant=person,
            product=product,
            case_type=case_type,
            submitted_on="2026-11-02",
            requested_start_date="2026-11-02",
            created_by=caseworker,
        )
        for _ in range(30)
    )
    first = cw_client.get("/cases/applications/?status=submitted").content.decode()
    assert "Seite 1 von 2" in first
    assert 'href="?status=submitted&amp;page=2"' in first
    second = cw_client.get("/cases/applications/?status=submitted&page=2").content.decode()
    assert "Seite 2 von 2" in second and second.count('name="reason"') == 5


def test_application_form_explains_missing_application_process_IC_2(cw_client):
    """IC-2: without a product that has the application process the page says so (German)
    instead of offering an empty product list; once one exists the form is shown."""
    factories.ProductFactory(has_application_process=False)
    page = cw_client.get("/cases/applications/new/").content.decode()
    assert "Für kein Leistungsprodukt ist das Anliegenverfahren eingerichtet" in page
    assert 'name="product"' not in page
    posted = cw_client.post("/cases/applications/new/", {"mode": "new"}).content.decode()
    assert "Anliegenverfahren eingerichtet" in posted
    assert "Dieses Feld ist zwingend erforderlich." not in posted
    factories.ProductFactory(name="Kinderzuschlag", has_application_process=True)
    page = cw_client.get("/cases/applications/new/").content.decode()
    assert 'name="product"' in page and "Kinderzuschlag" in page


def test_case_section_links_only_for_allowed_roles_RO_1(client, administrator, caseworker):
    """RO-1: administrators read a product delivery case but get no links to creating a
    deduction or simulating (both would be 403); caseworkers get both."""
    pdc = factories.ProductDeliveryCaseFactory(case_supervisor=caseworker)
    client.force_login(administrator)
    page = client.get(f"/cases/pdc/{pdc.pk}/").content.decode()
    assert f"/cases/pdc/{pdc.pk}/payments/" in page
    assert f"/cases/pdc/{pdc.pk}/deductions/new/" not in page
    assert f"/cases/pdc/{pdc.pk}/simulate/" not in page
    assert client.get(f"/cases/pdc/{pdc.pk}/simulate/").status_code == 403
    client.force_login(caseworker)
    page = client.get(f"/cases/pdc/{pdc.pk}/").content.decode()
    assert f"/cases/pdc/{pdc.pk}/deductions/new/" in page
    assert f"/cases/pdc/{pdc.pk}/simulate/" in page


def test_liability_form_prefills_participant_and_offers_a_way_back_LI_1(cw_client):
    """LI-1: ?participant= prefills the reference and the cancel link returns to that
    person; an id beyond 64 bits or garbage is ignored, never a server error."""
    person = factories.PersonFactory()
    page = cw_client.get(f"/cases/liabilities/new/?participant={person.pk}").content.decode()
    assert person.reference in page and f'href="/participants/{person.pk}/"' in page
    for junk in ("9" * 30, "abc", "-1"):
        response = cw_client.get(f"/cases/liabilities/new/?participant={junk}")
        assert response.status_code == 200
        assert 'href="/participants/"' in response.content.decode()
