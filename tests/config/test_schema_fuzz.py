"""The OpenAPI schema tells the truth about the API (issue 11, acceptance 1).

Schemathesis generates requests for every operation of the schema (valid and invalid
ones, a bounded number per operation) and sends each to the Django WSGI app in-process,
once as an administrator and once as a case supervisor (token auth). Every answer must be
no 5xx, carry a status code and a content type the schema documents for the operation,
and match the documented response schema. The data set gives every resource real rows,
so most requests reach objects (with their empty relations rendered as null)."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.config.api_dataset import build_api_dataset, real_path_parameters

MAX_EXAMPLES = 8
"""Generated requests per operation and role; the whole test stays within a few minutes
on two cores (docs/decisions.md, "OpenAPI schema", has the measurement)."""

ROLES = ("administrator", "supervisor")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def generated_schema() -> dict:
    """The schema as /api/schema/ serves it, generated in-process (the endpoint needs a
    login), through drf-spectacular's JSON renderer so that it is plain JSON data."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw))


schema = schemathesis.openapi.from_dict(
    generated_schema(),
    config=schemathesis.Config.from_dict(
        {
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": False},
                "stateful": {"enabled": False},
            },
            "generation": {"max-examples": MAX_EXAMPLES},
        }
    ),
)
schema.app = get_wsgi_application()


@pytest.fixture
def dataset(db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    return build_api_dataset()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request (CONN_MAX_AGE);
    that would end the test's transaction (PostgreSQL). Django's test client does the
    same as this fixture."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    """The generated requests come fast from two users; throttling would answer most of
    them with 429 and leave the schema unchecked."""
    from rest_framework.views import APIView

    monkeypatch.setattr(APIView, "get_throttles", lambda self: [])


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_every_operation_answers_as_documented(case, dataset):
    """Issue 11 (acceptance 1, defect 7): no 5xx, documented status codes and content
    types, response bodies conforming to the schema, as administrator and supervisor."""
    if case.path_parameters:
        case.path_parameters = real_path_parameters(
            case.operation.path, case.path_parameters, dataset
        )
    for role in ROLES:
        case.call_and_validate(
            headers={"Authorization": f"Token {dataset.tokens[role]}"}, checks=CHECKS
        )
