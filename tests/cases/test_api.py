"""Cases API: integrated cases (IC-1, IC-3..5), applications (IC-2), product delivery
cases (IC-6..9), liabilities (LI-1); role checks (RO-1); 400 with fields, 409."""

from datetime import date
from decimal import Decimal

import pytest

from cases.models import (
    CaseComponent,
    FinancialComponent,
    IntegratedCase,
    Liability,
    ProductDeliveryCase,
)
from participants.models import Participant
from tests import factories

pytestmark = pytest.mark.django_db
IC = "/api/v1/integrated-cases/"
PDC = "/api/v1/product-delivery-cases/"
LI = "/api/v1/liabilities/"


@pytest.fixture
def thomas(db):
    return factories.PersonFactory(name="Thomas Schmidt")


@pytest.fixture
def linda(db):
    return factories.PersonFactory(name="Linda Schmidt")


@pytest.fixture
def product(db):
    product = factories.ProductFactory(name="Grundsicherung")
    factories.ComponentTypeFactory(product=product, name="Maximale persönliche Leistung")
    factories.ComponentTypeFactory(product=product, name="Max. Kindergeldbetrag")
    return product


def _ic(api, client):
    response = api.post(IC, {"primary_client": client.pk}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _pdc(api, ic_id, product, nominees=(), **extra):
    payload = {
        "integrated_case": ic_id,
        "product": product.pk,
        "start_date": "2026-11-02",
        "expected_end_date": "2027-05-23",
        "nominees": [n.pk for n in nominees],
        **extra,
    }
    return api.post(PDC, payload, format="json")


def test_integrated_case_types_list_IC_1(api):
    """IC-1: GET /integrated-case-types/ → [{"code", "name"}], the default first."""
    body = api.get("/api/v1/integrated-case-types/").json()
    assert body[0]["code"] == "social_assistance" and body[0]["name"] == "Sozialhilfe"
    assert {"code", "name"} <= set(body[0])


def test_create_integrated_case_default_type_and_members_IC_1_IC_4(api, thomas):
    """IC-1 / IC-4: case type optional (default); members list the primary client."""
    body = _ic(api, thomas)
    assert body["case_type"] == "social_assistance" and body["status"] == "open"
    assert body["status_display"] == "Offen" and body["reference"].startswith("IF-")
    assert body["members"][0]["participant"] == thomas.pk
    assert body["members"][0]["role_display"] == "Hauptbeteiligter"


def test_create_integrated_case_registering_new_person_IC_1(api):
    """IC-1: a new person is registered in the same request."""
    response = api.post(
        IC,
        {
            "new_client": {"type": "person", "name": "Neu", "date_of_birth": "1985-01-01"},
            "case_type": "jobseeker_support",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    client = Participant.objects.get(pk=response.json()["primary_client"])
    assert client.name == "Neu" and client.reference.startswith("B-")


@pytest.mark.parametrize(
    "payload, field",
    [
        ({}, "primary_client"),
        ({"primary_client": 999999}, "primary_client"),
        (
            {"case_type": "unbekannt", "new_client": {"name": "X", "date_of_birth": "1990-01-01"}},
            "case_type",
        ),
        ({"new_client": {"type": "utility", "name": "X"}}, "new_client"),
        ({"new_client": {"type": "person", "name": "X"}}, "new_client.date_of_birth"),
    ],
)
def test_integrated_case_bad_input_400_nothing_written_IC_1(api, payload, field):
    response = api.post(IC, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not IntegratedCase.objects.exists() and not Participant.objects.exists()


def test_close_reopen_over_api_with_history_IC_3(
    api, supervisor_api, thomas, caseworker, supervisor
):
    """IC-3: close with reason, reopen; 409 for illegal transitions; history with who/why."""
    case = _ic(api, thomas)
    url = f"{IC}{case['id']}/"
    assert api.post(url + "close/", {}, format="json").status_code == 400
    assert "reason" in api.post(url + "close/", {"reason": ""}, format="json").json()
    assert api.post(url + "reopen/", format="json").status_code == 409
    closed = api.post(url + "close/", {"reason": "Verzogen"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["closure_reason"] == "Verzogen"
    again = api.post(url + "close/", {"reason": "x"}, format="json")
    assert again.status_code == 409 and "detail" in again.json()
    reopened = supervisor_api.post(url + "reopen/", {"reason": "Zurück"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["id"] == case["id"]
    assert reopened.json()["status"] == "open"
    history = api.get(url + "history/").json()
    assert history[0]["user"] == supervisor.get_full_name()
    assert history[0]["reason"] == "Erneut geöffnet: Zurück"
    assert history[1]["user"] == caseworker.get_full_name()
    assert history[1]["status"] == "closed" and history[1]["closure_reason"] == "Verzogen"


def test_members_service_deliveries_referrals_IC_4_IC_5(api, thomas, linda):
    """IC-4 / IC-5: household members, service deliveries, referrals over the API."""
    case = _ic(api, thomas)
    url = f"{IC}{case['id']}/"
    response = api.post(url + "members/", {"participant": linda.pk}, format="json")
    assert response.status_code == 201 and response.json()["role"] == "household_member"
    assert api.post(url + "members/", {"participant": linda.pk}, format="json").status_code == 400
    assert len(api.get(url + "members/").json()) == 2
    response = api.post(
        url + "service-deliveries/",
        {"service": "Schuldnerberatung", "start_date": "2026-01-01", "end_date": "2025-12-31"},
        format="json",
    )
    assert response.status_code == 400 and "end_date" in response.json()
    response = api.post(
        url + "service-deliveries/",
        {"service": "Schuldnerberatung", "start_date": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 201
    response = api.post(url + "referrals/", {"service": "Sprachkurs"}, format="json")
    assert response.status_code == 201
    assert len(api.get(url + "referrals/").json()) == 1
    assert api.post(url + "referrals/", {"service": ""}, format="json").status_code == 400


def test_filters_and_pagination_of_integrated_cases_IC_1(api, thomas, linda):
    _ic(api, thomas)
    _ic(api, linda)
    assert api.get(IC, {"primary_client": thomas.pk}).json()["count"] == 1
    assert api.get(IC, {"search": "Linda"}).json()["count"] == 1
    assert api.get(IC, {"status": "closed"}).json()["count"] == 0
    assert api.get(IC, {"page_size": 1}).json()["next"]


def test_product_delivery_case_create_and_components_IC_6_IC_7_IC_8(
    api, thomas, linda, product, caseworker
):
    """IC-6..8: create with defaults (supervisor = requesting user, nominees incl. primary
    client), add components; the component list shows them."""
    case = _ic(api, thomas)
    response = _pdc(api, case["id"], product, nominees=[linda])
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["case_supervisor"] == caseworker.pk and body["status"] == "open"
    assert body["nominees"] == [thomas.pk, linda.pk] and body["status_display"] == "Offen"
    assert body["override_max_deduction_rate"] is False
    assert body["frequency"] == "weekly"
    ctype = product.component_types.first()
    url = f"{PDC}{body['id']}/components/"
    response = api.post(
        url,
        {"component_type": ctype.pk, "amount": "100.00", "nominee": thomas.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == "100.00"
    assert response.json()["start_date"] == "2026-11-02"
    assert len(api.get(url).json()) == 1


@pytest.mark.parametrize(
    "change, field",
    [
        ({"amount": "-10.00"}, "amount"),
        ({"end_date": "2026-11-01"}, "end_date"),
        ({"component_type": "foreign"}, "component_type"),
        ({"component_type": 999999}, "component_type"),
        ({"nominee": "stranger"}, "nominee"),
        ({"amount": "zehn"}, "amount"),
    ],
)
def test_component_bad_input_400_nothing_written_IC_8(api, thomas, product, change, field):
    """IC-8: negative amounts, end before start, component type of another product,
    a nominee not on the case → 400 naming the field, nothing written."""
    case = _ic(api, thomas)
    pdc = _pdc(api, case["id"], product).json()
    payload = {
        "component_type": product.component_types.first().pk,
        "amount": "100.00",
        "nominee": thomas.pk,
        "start_date": "2026-11-02",
    }
    payload.update(change)
    if payload["component_type"] == "foreign":
        payload["component_type"] = factories.ComponentTypeFactory().pk
    if payload["nominee"] == "stranger":
        payload["nominee"] = factories.PersonFactory().pk
    response = api.post(f"{PDC}{pdc['id']}/components/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not CaseComponent.objects.exists()


def test_pdc_bad_input_400_IC_6(api, thomas, product):
    """IC-6: expected end before start, unknown product → 400 naming the field."""
    case = _ic(api, thomas)
    response = _pdc(api, case["id"], product, expected_end_date="2026-11-01")
    assert response.status_code == 400 and "expected_end_date" in response.json()
    response = api.post(
        PDC,
        {"integrated_case": case["id"], "product": 99999, "start_date": "2026-11-02"},
        format="json",
    )
    assert response.status_code == 400 and "product" in response.json()
    assert not ProductDeliveryCase.objects.exists()


def test_override_flag_only_for_supervisors_RO_1_IC_6(api, supervisor_api, thomas, product):
    """RO-1 / IC-6: a caseworker setting the override gets 403 naming the field."""
    case = _ic(api, thomas)
    response = _pdc(api, case["id"], product, override_max_deduction_rate=True)
    assert response.status_code == 403 and "override_max_deduction_rate" in response.json()
    assert not ProductDeliveryCase.objects.exists()
    response = _pdc(supervisor_api, case["id"], product, override_max_deduction_rate=True)
    assert response.status_code == 201 and response.json()["override_max_deduction_rate"]
    pdc_id = response.json()["id"]
    patch = api.patch(f"{PDC}{pdc_id}/", {"override_max_deduction_rate": False}, format="json")
    assert patch.status_code == 403
    patch = supervisor_api.patch(
        f"{PDC}{pdc_id}/", {"override_max_deduction_rate": False}, format="json"
    )
    assert patch.status_code == 200 and patch.json()["override_max_deduction_rate"] is False


def test_nominees_action_IC_7(api, thomas, product):
    """IC-7: nominees are a person, employer or representative."""
    case = _ic(api, thomas)
    pdc = _pdc(api, case["id"], product).json()
    employer = factories.ParticipantFactory(type="employer", date_of_birth=None)
    response = api.post(f"{PDC}{pdc['id']}/nominees/", {"participant": employer.pk}, format="json")
    assert response.status_code == 201 and employer.pk in response.json()["nominees"]
    utility = factories.UtilityFactory()
    response = api.post(f"{PDC}{pdc['id']}/nominees/", {"participant": utility.pk}, format="json")
    assert response.status_code == 400 and "participant" in response.json()


def test_activate_and_reassess_IC_9(api, thomas, linda, product):
    """IC-9: activation 409 without components; then creates financial components;
    reassessment regenerates from the change date; second activation 409."""
    case = _ic(api, thomas)
    pdc = _pdc(api, case["id"], product, nominees=[linda]).json()
    url = f"{PDC}{pdc['id']}/"
    refused = api.post(url + "activate/")
    assert refused.status_code == 409 and "Komponenten" in refused.json()["detail"]
    first, second = product.component_types.order_by("id")
    api.post(
        url + "components/",
        {"component_type": first.pk, "amount": "100.00", "nominee": thomas.pk},
        format="json",
    )
    api.post(
        url + "components/",
        {"component_type": second.pk, "amount": "50.00", "nominee": linda.pk},
        format="json",
    )
    activated = api.post(url + "activate/")
    assert activated.status_code == 200 and activated.json()["status"] == "active"
    fcs = api.get(url + "financial-components/").json()
    assert sorted(fc["amount"] for fc in fcs) == ["100.00", "50.00"]
    assert {fc["frequency_display"] for fc in fcs} == {"Wöchentlich"}
    assert api.post(url + "activate/").status_code == 409

    component = CaseComponent.objects.get(nominee=thomas)
    response = api.post(
        f"{url}components/{component.pk}/reassess/",
        {"amount": "120.00", "effective_from": "2026-11-16"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["amount"] == "120.00"
    rows = list(
        FinancialComponent.objects.filter(component=component)
        .order_by("start_date")
        .values_list("amount", "start_date", "end_date")
    )
    assert rows == [
        (Decimal("100.00"), date(2026, 11, 2), date(2026, 11, 15)),
        (Decimal("120.00"), date(2026, 11, 16), None),
    ]
    bad = api.post(
        f"{url}components/{component.pk}/reassess/",
        {"amount": "-1.00", "effective_from": "2026-11-16"},
        format="json",
    )
    assert bad.status_code == 400 and "amount" in bad.json()


def test_pdc_filters_IC_6(api, thomas, linda, product):
    case = _ic(api, thomas)
    _pdc(api, case["id"], product, nominees=[linda])
    assert api.get(PDC, {"nominee": linda.pk}).json()["count"] == 1
    assert api.get(PDC, {"integrated_case": case["id"]}).json()["count"] == 1
    assert api.get(PDC, {"status": "active"}).json()["count"] == 0


def test_application_approval_once_IC_2(api, supervisor_api):
    """IC-2: approving creates exactly one integrated and one product delivery case; a
    second approval is 409 with a clear message and creates nothing."""
    product = factories.ProductFactory(has_application_process=True)
    response = api.post(
        "/api/v1/applications/",
        {
            "product": product.pk,
            "requested_start_date": "2026-11-02",
            "new_applicant": {"type": "person", "name": "Petra", "date_of_birth": "1990-01-01"},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    url = f"/api/v1/applications/{response.json()['id']}/"
    approved = supervisor_api.post(url + "approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["product_delivery_case"] and approved.json()["integrated_case"]
    again = supervisor_api.post(url + "approve/")
    assert again.status_code == 409 and "bereits" in again.json()["detail"]
    assert IntegratedCase.objects.count() == 1 and ProductDeliveryCase.objects.count() == 1


def test_liabilities_api_LI_1(api, thomas):
    """LI-1: create (outstanding = original, read-only), filter, settled status label."""
    response = api.post(
        LI,
        {
            "participant": thomas.pk,
            "original_amount": "600.00",
            "liability_case_id": "VB-2026-0001",
            "outstanding_amount": "1.00",
            "description": "Überzahlung",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["outstanding_amount"] == "600.00" and body["status_display"] == "Offen"
    patch = api.patch(f"{LI}{body['id']}/", {"outstanding_amount": "0.00"}, format="json")
    assert patch.status_code == 200 and patch.json()["outstanding_amount"] == "600.00"
    patch = api.patch(f"{LI}{body['id']}/", {"original_amount": "1.00"}, format="json")
    assert patch.status_code == 400 and "original_amount" in patch.json()
    assert Liability.objects.get().original_amount == Decimal("600.00")
    for payload, field in [
        ({"original_amount": "-5.00"}, "original_amount"),
        ({"original_amount": "5.00", "liability_case_id": "VB-2026-0001"}, "liability_case_id"),
    ]:
        bad = api.post(LI, {"participant": thomas.pk, **payload}, format="json")
        assert bad.status_code == 400 and field in bad.json()
    assert Liability.objects.count() == 1
    assert api.get(LI, {"participant": thomas.pk}).json()["count"] == 1
    assert api.get(LI, {"status": "settled"}).json()["count"] == 0


@pytest.mark.parametrize("url", [IC, PDC, LI, "/api/v1/applications/"])
def test_roles_on_case_endpoints_RO_1(url, admin_api, anon_api):
    """RO-1: administrators read only; anonymous 401."""
    assert admin_api.get(url).status_code == 200
    assert admin_api.post(url, {}, format="json").status_code == 403
    assert anon_api.get(url).status_code == 401


# --- list performance (IC-6, IC-7) -------------------------------------------------------------


def _pdc_with_nominees(n_extra: int = 1):
    case = factories.ProductDeliveryCaseFactory()
    factories.NomineeFactory(case=case, participant=case.primary_client)
    for _ in range(n_extra):
        factories.NomineeFactory(case=case)
    return case


def test_pdc_list_query_count_does_not_grow_with_rows_IC_6_IC_7(api):
    """IC-6 / IC-7: the list reads nominees from one prefetch, not once per case: the
    same number of queries for 1 row as for 10, nominees still primary client first."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = _pdc_with_nominees()
    api.get(PDC)  # warm up what is cached per user (roles)
    with CaptureQueriesContext(connection) as one:
        body = api.get(PDC).json()
    assert body["count"] == 1
    assert body["results"][0]["nominees"][0] == first.primary_client_id
    assert len(body["results"][0]["nominees"]) == 2
    for _ in range(9):
        _pdc_with_nominees(2)
    with CaptureQueriesContext(connection) as ten:
        body = api.get(PDC).json()
    assert body["count"] == 10
    assert len(ten) == len(one)
    for row in body["results"]:
        case = ProductDeliveryCase.objects.get(pk=row["id"])
        assert row["nominees"][0] == case.primary_client_id
        assert row["nominees"][1:] == sorted(row["nominees"][1:])


def test_patch_status_of_pdc_and_liability_is_400_IC_6_IC_9_LI_1(api, thomas, product):
    """IC-6 / IC-9 / LI-1: statuses change only through the actions (activate, suspend,
    resume, close) or, for liabilities, through deductions: a PATCH naming another status
    is a 400 on "status" (not a silent 200); the current status is harmless."""
    case = _ic(api, thomas)
    pdc_id = _pdc(api, case["id"], product).json()["id"]
    response = api.patch(f"{PDC}{pdc_id}/", {"status": "closed"}, format="json")
    assert response.status_code == 400, response.json()
    assert "activate/suspend/resume/close" in response.json()["status"][0]
    assert ProductDeliveryCase.objects.get(pk=pdc_id).status == "open"
    assert api.patch(f"{PDC}{pdc_id}/", {"status": "open"}, format="json").status_code == 200
    liability = api.post(
        LI, {"participant": thomas.pk, "original_amount": "600.00"}, format="json"
    ).json()
    response = api.patch(f"{LI}{liability['id']}/", {"status": "settled"}, format="json")
    assert response.status_code == 400 and "Abzüge" in response.json()["status"][0]
    assert Liability.objects.get().status == "open"
    # Integrated cases take no PATCH at all (close/reopen are their actions).
    assert api.patch(f"{IC}{case['id']}/", {"status": "closed"}, format="json").status_code == 405


# Within DATE_MIN..DATE_MAX, so that the case's own rule answers (not the date range).
@pytest.mark.parametrize("closed_on", ["1900-01-01", "2199-12-31"])
def test_close_pdc_with_impossible_date_is_400_IC_6(api, thomas, product, closed_on):
    """IC-6: closing on a day before the case start or in the future is a 400 naming
    closed_on with a German reason; the case stays open."""
    case = _ic(api, thomas)
    pdc_id = _pdc(api, case["id"], product).json()["id"]
    response = api.post(
        f"{PDC}{pdc_id}/close/", {"reason": "Umzug", "closed_on": closed_on}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert "Schließungsdatum" in response.json()["closed_on"][0]
    assert ProductDeliveryCase.objects.get(pk=pdc_id).status == "open"


def test_pdc_start_date_typo_far_in_the_past_is_400_IC_6(api, thomas, product, settings):
    """IC-6: POST with start_date 1926-11-02 (typo for 2026) → 400 on start_date. (Before
    DATE_MIN, e.g. 0206-11-02, the date range refuses it first.)"""
    settings.CASE_START_MAX_YEARS_BACK = 1
    case = _ic(api, thomas)
    response = _pdc(api, case["id"], product, start_date="1926-11-02")
    assert response.status_code == 400, response.json()
    assert "Startdatum" in response.json()["start_date"][0]
    assert not ProductDeliveryCase.objects.exists()


# --- ids beyond 64 bits (SQLite) -------------------------------------------------------------

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/applications/?applicant={HUGE}",
        f"/api/v1/applications/?product={HUGE}",
        f"{IC}?member={HUGE}",
        f"{PDC}?case_supervisor={HUGE}",
        f"{PDC}?product={HUGE}",
        f"{PDC}?nominee=0",
        f"{LI}?participant=-{HUGE}",
        f"/api/v1/deductions/?case={HUGE}",
        f"/api/v1/payments/?case={HUGE}",
    ],
)
def test_id_filter_beyond_64_bits_is_400_not_500_IC_2_IC_6(api, url):
    """Never a 500 for input: an id filter outside 1..2**63-1 (SQLite overflows beyond 64
    bits) is a 400 naming the parameter with a German message."""
    response = api.get(url)
    assert response.status_code == 400, response.content
    name = url.split("?")[1].split("=")[0]
    assert "gültige Nummer" in response.json()[name][0]


def test_id_filters_in_range_still_filter_IC_6(api, thomas, product):
    """The bounds leave valid ids alone: ?product= still filters."""
    case = _ic(api, thomas)
    pdc_id = _pdc(api, case["id"], product).json()["id"]
    other = factories.ProductFactory()
    assert [r["id"] for r in api.get(f"{PDC}?product={product.pk}").json()["results"]] == [pdc_id]
    assert api.get(f"{PDC}?product={other.pk}").json()["count"] == 0
