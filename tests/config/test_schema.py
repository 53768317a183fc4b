"""The OpenAPI schema's shape (issue 11, defect 7): what generated clients rely on, named
one by one. tests/config/test_schema_fuzz.py checks it against real answers."""

from __future__ import annotations

import json

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer


@pytest.fixture(scope="module")
def schema() -> dict:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw))


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _resolve(schema, node):
    ref = node.get("$ref") or (node.get("allOf") or [{}])[0].get("$ref")
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else node


SUB_COLLECTIONS = [
    "/api/v1/integrated-cases/{id}/history/",
    "/api/v1/integrated-cases/{id}/members/",
    "/api/v1/integrated-cases/{id}/referrals/",
    "/api/v1/integrated-cases/{id}/service-deliveries/",
    "/api/v1/product-delivery-cases/{id}/components/",
    "/api/v1/product-delivery-cases/{id}/financial-components/",
    "/api/v1/products/{id}/component-types/",
    "/api/v1/agency-account-entries/summary/",
]


@pytest.mark.parametrize("path", SUB_COLLECTIONS)
def test_sub_collections_are_described_as_arrays(schema, path):
    """Issue 11: the eight sub-collections answer bare arrays, and the schema says so;
    their POST answers the one created object (201)."""
    item = schema["paths"][path]
    body = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    assert "parameters" not in item["get"] or all(
        p["name"] not in ("page", "page_size", "status") for p in item["get"]["parameters"]
    )
    if "post" in item:
        created = item["post"]["responses"]["201"]["content"]["application/json"]["schema"]
        assert "$ref" in created


def test_request_bodies_are_json_only(schema):
    """Issue 11: no operation offers form or multipart bodies."""
    for path, method, operation in _operations(schema):
        if "requestBody" in operation:
            assert list(operation["requestBody"]["content"]) == ["application/json"], (
                path,
                method,
            )


def test_every_operation_documents_its_errors_with_the_error_body(schema):
    """Issue 11: 400/401/403/404 everywhere, 409 on writes, each with the Error body."""
    error = {"$ref": "#/components/schemas/Error"}
    for path, method, operation in _operations(schema):
        expected = ["400", "401", "403", "404"]
        if method in ("post", "put", "patch", "delete"):
            expected.append("409")
        for code in expected:
            response = operation["responses"].get(code)
            assert response, (path, method, code)
            assert response["content"]["application/json"]["schema"] == error


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("Deduction", "liability_case_id"),
        ("Deduction", "third_party_name"),
        ("Deduction", "liability_holder_name"),
        ("Deduction", "nominee_name"),
        ("Task", "deduction_name"),
        ("Task", "case_reference"),
    ],
)
def test_fields_that_can_be_null_are_nullable(schema, component, field):
    """Issue 11: fields taken through an optional relation are null when it is empty."""
    assert schema["components"]["schemas"][component]["properties"][field]["nullable"] is True


@pytest.mark.parametrize(
    ("component", "field", "values"),
    [
        ("Deduction", "status", {"inactive", "active", "processed", "skipped", "cancelled"}),
        ("Task", "status", {"open", "closed"}),
        ("ProductLink", "category", {"applied", "unapplied", "third_party"}),
        ("DeductionHistory", "status", {"inactive", "active", "processed", "skipped"}),
    ],
)
def test_status_fields_are_enums(schema, component, field, values):
    """Issue 11: status and category fields list their codes (api.md)."""
    enum = _resolve(schema, schema["components"]["schemas"][component]["properties"][field])
    assert values <= set(enum["enum"])


def test_ids_in_paths_and_filters_are_integers(schema):
    """Issue 11: ids are integers in paths and in filters (no `?case=3.0`)."""
    for path, _method, operation in _operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path" and parameter["name"] != "code":
                assert parameter["schema"]["type"] == "integer", (path, parameter["name"])
    deductions = schema["paths"]["/api/v1/deductions/"]["get"]["parameters"]
    case = next(p for p in deductions if p["name"] == "case")
    assert case["schema"]["type"] == "integer"
