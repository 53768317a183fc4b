"""Every bad input a 4xx: defects found by probing the API from outside (nested JSON,
oversized and form-encoded bodies, dates out of range, silently coerced numbers)."""

from datetime import date
from decimal import Decimal

import pytest

from cases.models import CaseComponent, Liability
from deductions.models import Deduction
from payments.models import PaymentRun
from products.models import DeductionType
from tests import factories
from tests.deductions.conftest import make_world

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    return '{"name": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("depth", [100_000, 200])
def test_deeply_nested_json_is_a_json_400(api, depth):
    """Defect: `{"name": [[[…100,000 deep…]]]}` to a JSON endpoint raised RecursionError
    in the parser (a 500). Now a 400 with a JSON message, also for nesting just beyond
    the limit."""
    response = api.generic(
        "POST", "/api/v1/participants/", nested(depth), content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


def test_nesting_within_the_limit_is_parsed(api, settings):
    """The depth limit leaves ordinary bodies alone: nesting within API_JSON_MAX_DEPTH is
    validated field by field (here a 400 on the field, not on the body)."""
    response = api.generic(
        "POST", "/api/v1/participants/", nested(10), content_type="application/json"
    )
    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_body_over_the_upload_limit_is_a_json_413(api, settings, content_type):
    """Defect: bodies over the upload limit got an HTML 400. On API paths the answer is
    now JSON (413 Payload Too Large)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = '{"name": "' + "x" * 2000 + '"}'
    response = api.generic("POST", "/api/v1/participants/", payload, content_type=content_type)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=xx"]
)
def test_form_encoded_body_is_415(api, content_type):
    """Defect: form-encoded bodies were accepted where the contract says JSON only.
    The API parses JSON only and answers 415 otherwise."""
    body = "type=person&name=Anna" if "urlencoded" in content_type else "--xx--\r\n"
    response = api.generic("POST", "/api/v1/participants/", body, content_type=content_type)
    assert response.status_code == 415
    assert response["Content-Type"].startswith("application/json")


# --- dates --------------------------------------------------------------------------------


def test_payment_run_date_before_1900_is_400(admin_api):
    """Defect: dates before year 1000 were accepted and returned unpadded —
    `{"run_date": "0001-01-01"}` gave 201 with `"run_date": "1-01-01"` and a run that
    could not be removed. Dates outside DATE_MIN..DATE_MAX are a 400 on the field."""
    response = admin_api.post("/api/v1/payment-runs/", {"run_date": "0001-01-01"}, format="json")
    assert response.status_code == 400
    assert "run_date" in response.json()
    assert not PaymentRun.objects.exists()


def test_dates_are_rendered_with_four_digit_years(api, settings):
    """Defect: year 1 was rendered "1-01-01". Dates are rendered ISO with four-digit years
    (here with the range widened, as an operator could)."""
    settings.DATE_MIN = date(1, 1, 1)
    person = factories.PersonFactory(date_of_birth=date(999, 3, 4))
    response = api.get(f"/api/v1/participants/{person.pk}/")
    assert response.json()["date_of_birth"] == "0999-03-04"


def test_deduction_starting_in_year_1_is_400(caseworker, api):
    """Defect: a deduction could start on 0001-01-01 on a case that starts in 2026."""
    world = make_world(caseworker)
    body = {
        "case": world.case.pk,
        "deduction_type": world.unapplied.pk,
        "amount": "40.00",
        "nominee": world.thomas.pk,
        "start_date": "0001-01-01",
        "end_date": "2026-06-30",
    }
    response = api.post("/api/v1/deductions/", body, format="json")
    assert response.status_code == 400
    assert "start_date" in response.json()
    assert not Deduction.objects.exists()


def component_body(world, **overrides):
    body = {
        "component_type": world.thomas_component.component_type_id,
        "amount": "50.00",
        "nominee": world.thomas.pk,
        "start_date": "2026-03-01",
    }
    body.update(overrides)
    return body


def test_component_starting_in_year_9999_is_400(caseworker, api):
    """Defect: a component could start on 9999-12-31."""
    world = make_world(caseworker)
    before = CaseComponent.objects.count()
    response = api.post(
        f"/api/v1/product-delivery-cases/{world.case.pk}/components/",
        component_body(world, start_date="9999-12-31"),
        format="json",
    )
    assert response.status_code == 400
    assert "start_date" in response.json()
    assert CaseComponent.objects.count() == before


def test_date_range_in_forms(caseworker, client):
    """Dates out of range are refused in the page forms too, beside the field."""
    client.force_login(caseworker)
    response = client.post(
        "/participants/new/",
        {"type": "person", "name": "Anna Alt", "date_of_birth": "0001-01-01"},
    )
    assert response.status_code == 200
    assert "date_of_birth" in response.context["form"].errors


# --- silent coercion ----------------------------------------------------------------------


def test_participant_id_with_a_fraction_is_400(api):
    """Defect: participant `1.5` was read as participant 1 (a liability was created for
    them). A related id must be a whole number."""
    person = factories.PersonFactory()
    for value in (person.pk + 0.5, f"{person.pk}.5", f"{person.pk}.0"):
        response = api.post(
            "/api/v1/liabilities/",
            {"participant": value, "original_amount": "100.00"},
            format="json",
        )
        assert response.status_code == 400, (value, response.content)
        assert "participant" in response.json()
    assert not Liability.objects.exists()


def test_related_id_beyond_64_bits_is_400_naming_the_field(api):
    """Ids beyond what the database stores are a 400 on the field, never a 500."""
    response = api.post(
        "/api/v1/liabilities/",
        {"participant": 2**63, "original_amount": "100.00"},
        format="json",
    )
    assert response.status_code == 400
    assert "participant" in response.json()


def test_deduction_priority_beyond_range_is_400(caseworker, api):
    """Defect: deduction priority 2^63 became 3 (clamped to the next free place). A
    priority beyond the column's range is a 400 naming "priority"."""
    world = make_world(caseworker)
    body = {
        "case": world.case.pk,
        "deduction_type": world.unapplied.pk,
        "amount": "40.00",
        "nominee": world.thomas.pk,
        "start_date": "2026-02-01",
        "end_date": "2026-06-30",
        "priority": 2**63,
    }
    response = api.post("/api/v1/deductions/", body, format="json")
    assert response.status_code == 400
    assert "priority" in response.json()
    assert not Deduction.objects.exists()


def test_component_amount_zero_is_400(caseworker, api):
    """Defect: a component amount of 0.00 was accepted. Component amounts must be > 0."""
    world = make_world(caseworker)
    before = CaseComponent.objects.count()
    for amount in ("0.00", "-0.00", "0"):
        response = api.post(
            f"/api/v1/product-delivery-cases/{world.case.pk}/components/",
            component_body(world, amount=amount),
            format="json",
        )
        assert response.status_code == 400, amount
        assert "amount" in response.json()
    assert CaseComponent.objects.count() == before


def test_deduction_type_max_amount_negative_zero_is_400(admin_api):
    """Defect: a deduction type `max_amount` of `-0.00` was accepted. Money limits are
    ≥ 0 and negative zero is refused (a sign on a limit is always a typo)."""
    body = {
        "name": "Miete",
        "category": "unapplied",
        "max_amount": "-0.00",
        "priority": None,
        "allowed_participant_types": ["person"],
        "insufficient_balance_action": "skip",
    }
    response = admin_api.post("/api/v1/deduction-types/", body, format="json")
    assert response.status_code == 400
    assert "max_amount" in response.json()
    assert not DeductionType.objects.filter(name="Miete").exists()


def test_arabic_indic_digits_in_amounts_are_400(api):
    """Defect: Arabic-Indic digits were read as amounts ("١٠٠.٠٠" = 100.00). Amounts
    accept ASCII digits only."""
    person = factories.PersonFactory()
    for amount in ("١٠٠.٠٠", "۱۰۰", "１００.00"):
        response = api.post(
            "/api/v1/liabilities/",
            {"participant": person.pk, "original_amount": amount},
            format="json",
        )
        assert response.status_code == 400, amount
        assert "original_amount" in response.json()
    assert not Liability.objects.exists()
    ok = api.post(
        "/api/v1/liabilities/",
        {"participant": person.pk, "original_amount": "100.00"},
        format="json",
    )
    assert ok.status_code == 201, ok.content
    assert Liability.objects.get().original_amount == Decimal("100.00")


def test_type_and_link_priorities_beyond_range_are_400(admin_api):
    """Priorities beyond their range are a 400 naming the field (not clamped), for
    deduction types and product links as for deductions."""
    body = {
        "name": "Miete",
        "category": "unapplied",
        "priority": 2**63,
        "allowed_participant_types": ["person"],
        "insufficient_balance_action": "skip",
    }
    response = admin_api.post("/api/v1/deduction-types/", body, format="json")
    assert response.status_code == 400
    assert "priority" in response.json()
    product = factories.ProductFactory()
    deduction_type = factories.DeductionTypeFactory()
    response = admin_api.post(
        f"/api/v1/products/{product.pk}/deduction-types/",
        {"deduction_type": deduction_type.pk, "priority": 2**31},
        format="json",
    )
    assert response.status_code == 400
    assert "priority" in response.json()
