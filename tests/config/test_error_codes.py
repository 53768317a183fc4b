"""Error codes (issue 12, item 5): every error body carries stable codes beside its German
messages, every code is listed in docs/errors.md and in the schema's ErrorCode enum, and
each endpoint family answers at least one refusal with its specific code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import override_settings
from rest_framework import exceptions as drf_exceptions

from config.errors import FrameworkError, all_codes, registered
from config.exceptions import IllegalTransition, ValidationFailed, api_exception_handler
from tests.factories import (
    DeductionFactory,
    IntegratedCaseFactory,
    TaskFactory,
    ThirdPartyPaymentFactory,
)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "errors.md"
APP_ENUMS = {
    "CommonError",
    "FrameworkError",
    "ParticipantError",
    "ProductError",
    "CaseError",
    "DeductionError",
    "PaymentError",
    "WorkflowError",
}


# --- the lists ----------------------------------------------------------------------------


def test_every_app_registers_its_enum():
    assert {enum.__name__ for enum in registered()} == APP_ENUMS


def test_codes_are_snake_case_and_unique_across_apps():
    values = [str(member) for enum in registered() for member in enum]
    assert len(values) == len(set(values)), sorted(v for v in values if values.count(v) > 1)
    assert all(re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", v) for v in values)


def test_every_code_is_explained_in_docs_errors_md():
    text = DOCS.read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| `([a-z0-9_]+)` \| (\d{3}) \|", text, flags=re.M))
    documented = {code for code, _status in rows}
    assert set(all_codes()) - documented == set()
    assert documented - set(all_codes()) == set()


def test_every_code_is_in_the_schema_enum(admin_api):
    schema = admin_api.get("/api/schema/?format=json").json()
    enum = schema["components"]["schemas"]["ErrorCode"]["enum"]
    assert enum == all_codes()
    error = schema["components"]["schemas"]["Error"]["properties"]
    assert error["code"] == {"$ref": "#/components/schemas/ErrorCode"}
    assert "codes" in error


def _framework_codes() -> set[str]:
    """Codes the installed DRF and Django give: field messages, exceptions, validators."""
    from django import forms
    from django.core import validators
    from django.db import models
    from rest_framework import fields

    codes: set[str] = set()

    def walk(cls):
        codes.update(getattr(cls, "default_error_messages", {}))
        for sub in cls.__subclasses__():
            walk(sub)

    for base in (fields.Field, forms.Field, models.Field):
        walk(base)

    def walk_exceptions(cls):
        for sub in cls.__subclasses__():
            codes.add(sub.default_code)
            walk_exceptions(sub)

    walk_exceptions(drf_exceptions.APIException)
    for value in vars(validators).values():
        if isinstance(value, type) and isinstance(getattr(value, "code", None), str):
            codes.add(value.code)
    return codes


def test_framework_enum_covers_the_installed_framework():
    """A DRF or Django upgrade with a new code fails here, not in a client."""
    assert _framework_codes() - set(all_codes()) == set()
    assert str(FrameworkError.REQUIRED) == "required"


# --- the handler --------------------------------------------------------------------------


def _body(exc):
    return api_exception_handler(exc, {}).data


def test_field_messages_carry_parallel_codes():
    exc = ValidationFailed(
        errors={
            "amount": [("Zu groß.", "deduction_amount_exceeds_max"), ("Zwei.", "not_a_number")],
            "end_date": ["Fehlt."],
        },
        code="deduction_end_date_missing",
    )
    assert _body(exc) == {
        "amount": ["Zu groß.", "Zwei."],
        "end_date": ["Fehlt."],
        "codes": {
            "amount": ["deduction_amount_exceeds_max", "not_a_number"],
            "end_date": ["deduction_end_date_missing"],
        },
    }
    assert exc.errors == {"amount": ["Zu groß.", "Zwei."], "end_date": ["Fehlt."]}
    assert exc.code == "deduction_amount_exceeds_max"


def test_detail_carries_code():
    assert _body(IllegalTransition("Schon zu.", code="task_closed")) == {
        "detail": "Schon zu.",
        "code": "task_closed",
    }
    assert _body(ValidationFailed("Kein Datum.", code="simulation_date_invalid")) == {
        "detail": "Kein Datum.",
        "code": "simulation_date_invalid",
    }


def test_pairs_pass_codes_on():
    inner = ValidationFailed(errors={"name": [("Fehlt.", "participant_name_missing")]})
    outer = ValidationFailed(errors={f"new_client.{k}": v for k, v in inner.pairs().items()})
    assert outer.codes == {"new_client.name": ["participant_name_missing"]}


def test_django_validation_errors_keep_their_codes():
    exc = DjangoValidationError({"user": DjangoValidationError("x", code="task_closed")})
    assert _body(exc)["codes"] == {"user": ["task_closed"]}
    assert _body(DjangoValidationError("y"))["code"] == "invalid"


def test_an_unregistered_code_is_sent_as_invalid(caplog):
    assert _body(ValidationFailed("z", field="x", code="no_such_code"))["codes"] == {
        "x": ["invalid"]
    }
    assert "no_such_code" in caplog.text


def test_drf_errors_carry_codes():
    assert _body(drf_exceptions.NotFound())["code"] == "not_found"
    assert _body(drf_exceptions.ValidationError({"a": ["m"]}))["codes"] == {"a": ["invalid"]}
    listed = _body(drf_exceptions.ValidationError(["m"], code="required"))
    assert listed == {"detail": ["m"], "codes": {"detail": ["required"]}}


# --- over HTTP: the framework's refusals ----------------------------------------------------


def test_refusals_before_the_view_carry_codes(api, anon_api):
    assert anon_api.get("/api/v1/participants/").json()["code"] == "not_authenticated"
    assert api.get("/api/v1/participants/999999999/").json()["code"] == "not_found"
    assert api.get("/api/v1/no-such-thing/").json()["code"] == "not_found"
    wrong = api.post(
        "/api/v1/participants/", "a=b", content_type="application/x-www-form-urlencoded"
    )
    assert (wrong.status_code, wrong.json()["code"]) == (415, "unsupported_media_type")
    broken = api.post("/api/v1/participants/", "{", content_type="application/json")
    assert (broken.status_code, broken.json()["code"]) == (400, "json_invalid")
    bad_id = api.get("/api/v1/integrated-cases/?primary_client=99999999999999999999")
    assert bad_id.status_code == 400
    assert bad_id.json()["codes"] == {"primary_client": ["invalid_id"]}


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100)
def test_a_body_too_large_carries_a_code(api):
    response = api.post("/api/v1/participants/", {"name": "x" * 200}, format="json")
    assert (response.status_code, response.json()["code"]) == (413, "payload_too_large")


def test_throttling_carries_a_code(api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1/minute"},
    }
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "user": "1/minute"}
    from django.core.cache import cache

    cache.clear()
    codes = [api.get("/api/v1/participants/").status_code for _ in range(3)]
    last = api.get("/api/v1/participants/")
    cache.clear()
    if 429 not in codes and last.status_code != 429:
        pytest.skip("the throttle rate is read once at start-up")
    assert last.json()["code"] == "throttled"


# --- over HTTP: one refusal of every endpoint family -----------------------------------------


def test_participants_codes(api):
    response = api.post("/api/v1/participants/", {"type": "person", "name": ""}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["codes"]["name"] == ["participant_name_missing"]
    assert body["codes"]["date_of_birth"] == ["birth_date_missing"]
    assert len(body["name"]) == len(body["codes"]["name"])
    serializer_error = api.post("/api/v1/participants/", {"type": "person"}, format="json")
    assert serializer_error.json()["codes"]["name"] == ["required"]


def test_products_codes(admin_api):
    response = admin_api.post(
        "/api/v1/deduction-types/",
        {"name": "Strom", "category": "unapplied", "min_amount": "20.00", "max_amount": "10.00"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["codes"] == {"min_amount": ["min_amount_above_max_amount"]}


def test_cases_codes(api):
    case = IntegratedCaseFactory()
    response = api.post(f"/api/v1/integrated-cases/{case.pk}/reopen/", {}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "integrated_case_not_closed"
    missing = api.post(f"/api/v1/integrated-cases/{case.pk}/close/", {}, format="json")
    assert missing.status_code == 400
    assert "close_reason_missing" in str(missing.json()["codes"])


def test_deductions_codes(api):
    deduction = DeductionFactory()
    response = api.post(f"/api/v1/deductions/{deduction.pk}/deactivate/")
    assert response.status_code == 409
    assert response.json()["code"] == "deduction_already_inactive"
    too_much = api.patch(f"/api/v1/deductions/{deduction.pk}/", {"amount": "-5.00"}, format="json")
    assert too_much.status_code == 400
    assert "deduction_amount_not_positive" in too_much.json()["codes"]["amount"]


def test_payments_codes(api):
    payment = ThirdPartyPaymentFactory()
    response = api.post(f"/api/v1/payments/{payment.pk}/reissue/")
    assert response.status_code == 409
    assert response.json()["code"] == "payment_not_cancelled"
    reason = api.post(f"/api/v1/payments/{payment.pk}/cancel/", {"reason": "x"}, format="json")
    assert reason.status_code == 400
    assert reason.json()["codes"] == {"reason": ["invalid_choice"]}
    compare = api.get("/api/v1/simulations/compare/?a=abc")
    assert compare.json()["codes"] == {
        "a": ["simulation_id_missing"],
        "b": ["simulation_id_missing"],
    }


def test_workflow_codes(caseworker):
    from tests.conftest import _client_for

    task = TaskFactory(assignee=caseworker)
    client = _client_for(caseworker)
    assert client.post(f"/api/v1/tasks/{task.pk}/close/").status_code == 200
    again = client.post(f"/api/v1/tasks/{task.pk}/close/")
    assert (again.status_code, again.json()["code"]) == (409, "task_closed")
    other = TaskFactory()  # someone else's task is not among the caller's
    refused = client.post(f"/api/v1/tasks/{other.pk}/close/")
    assert (refused.status_code, refused.json()["code"]) == (404, "not_found")
