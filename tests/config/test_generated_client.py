"""A client generated from the schema works (issue 11, acceptance 2).

openapi-python-client generates a typed Python client from the schema into a temporary
folder (once per module: no network, no formatter). Every operation module must import,
and a caseworker's day runs through the generated functions only, against the live
server with token auth: each answer is parsed into its model."""

from __future__ import annotations

import datetime
import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from rest_framework.authtoken.models import Token

from config import roles
from tests import factories

PACKAGE = "deductions_api_client"
GENERATOR_CONFIG = f"""\
package_name_override: {PACKAGE}
project_name_override: deductions-api-client
post_hooks: []
# A PDF download (a client notice) is a binary file to the generator.
content_type_overrides:
  application/pdf: application/octet-stream
"""


@pytest.fixture(scope="module")
def client_package(tmp_path_factory):
    """Generates the client from the in-process schema (the served one needs a login) and
    puts its package on sys.path."""
    folder = tmp_path_factory.mktemp("generated_client")
    schema = SchemaGenerator().get_schema(request=None, public=True)
    schema_file = folder / "schema.json"
    schema_file.write_bytes(OpenApiJsonRenderer().render(schema))
    config_file = folder / "config.yaml"
    config_file.write_text(GENERATOR_CONFIG)
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(schema_file),
            "--config",
            str(config_file),
            "--meta",
            "none",
            "--output-path",
            str(folder / PACKAGE),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _operation_ids() -> set[str]:
    schema = json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )
    return {op["operationId"] for item in schema["paths"].values() for op in item.values()}


def test_every_generated_operation_imports(client_package):
    """Issue 11 (acceptance 2, defect 7): every operation of the schema has a module in the
    generated client, and each imports (no request body the generator cannot handle)."""
    api = importlib.import_module(f"{PACKAGE}.api")
    modules = {}
    for info in pkgutil.walk_packages(api.__path__, f"{PACKAGE}.api."):
        module = importlib.import_module(info.name)
        if not info.ispkg:
            modules[info.name.rsplit(".", 1)[1]] = module
    assert set(modules) == _operation_ids()
    for name, module in modules.items():
        assert callable(getattr(module, "sync_detailed", None)), name


def _op(name: str):
    """The generated module of one operation, by its operation id."""
    api = importlib.import_module(f"{PACKAGE}.api")
    for info in pkgutil.walk_packages(api.__path__, f"{PACKAGE}.api."):
        if info.name.endswith(f".{name}"):
            return importlib.import_module(info.name)
    raise LookupError(name)


def _parsed(response, model, status=200):
    assert response.status_code == status, response.content
    assert isinstance(response.parsed, model), response.content
    return response.parsed


@pytest.mark.django_db(transaction=True)
def test_caseworker_flow_through_the_generated_client(client_package, live_server):
    """Issue 11 (acceptance 2): person, integrated case, product delivery case, component,
    activation, a deduction created and activated, a simulation and the case's payments,
    all through generated typed functions; every answer parsed into its model."""
    models = importlib.import_module(f"{PACKAGE}.models")
    client_module = importlib.import_module(f"{PACKAGE}.client")
    # Its own case type: the default one of the data migration is gone after a flush.
    case_type = factories.IntegratedCaseTypeFactory()
    product = factories.ProductFactory(payment_frequency="weekly")
    component_type = factories.ComponentTypeFactory(product=product, name="Regelbedarf")
    deduction_type = factories.DeductionTypeFactory(category="unapplied", name="Darlehen")
    factories.ProductDeductionTypeFactory(product=product, deduction_type=deduction_type)
    users = {
        role: factories.UserFactory(role=role, username=f"client-{role}")
        for role in (roles.CASEWORKER, roles.ADMINISTRATOR)
    }
    clients = {
        role: client_module.AuthenticatedClient(
            base_url=live_server.url,
            token=Token.objects.create(user=user).key,
            prefix="Token",
            raise_on_unexpected_status=True,
        )
        for role, user in users.items()
    }
    api = clients[roles.CASEWORKER]
    start = datetime.date(2026, 1, 5)

    person = _parsed(
        _op("participants_create").sync_detailed(
            client=api,
            body=models.ParticipantRequest(
                type_=models.ParticipantTypeEnum.PERSON,
                name="Erika Mustermann",
                date_of_birth=datetime.date(1980, 5, 1),
            ),
        ),
        models.Participant,
        201,
    )
    integrated = _parsed(
        _op("integrated_cases_create").sync_detailed(
            client=api,
            body=models.IntegratedCaseRequest(primary_client=person.id, case_type=case_type.code),
        ),
        models.IntegratedCase,
        201,
    )
    case = _parsed(
        _op("product_delivery_cases_create").sync_detailed(
            client=api,
            body=models.ProductDeliveryCaseRequest(
                integrated_case=integrated.id, product=product.pk, start_date=start
            ),
        ),
        models.ProductDeliveryCase,
        201,
    )
    component = _parsed(
        _op("product_delivery_cases_components_create").sync_detailed(
            id=case.id,
            client=api,
            body=models.CaseComponentRequest(
                component_type=component_type.pk, amount="100.00", nominee=person.id
            ),
        ),
        models.CaseComponent,
        201,
    )
    components = _op("product_delivery_cases_components_list").sync_detailed(id=case.id, client=api)
    assert [c.id for c in _parsed(components, list)] == [component.id]
    assert all(isinstance(c, models.CaseComponent) for c in components.parsed)
    activated = _parsed(
        _op("product_delivery_cases_activate_create").sync_detailed(id=case.id, client=api),
        models.ProductDeliveryCase,
    )
    assert activated.status == models.ProductDeliveryCaseStatusEnum.ACTIVE

    deduction = _parsed(
        _op("deductions_create").sync_detailed(
            client=api,
            body=models.DeductionRequest(
                case=case.id,
                deduction_type=deduction_type.pk,
                amount="10.00",
                nominee=person.id,
                start_date=start,
                end_date=datetime.date(2026, 12, 31),
            ),
        ),
        models.Deduction,
        201,
    )
    assert deduction.status == models.DeductionStatusEnum.INACTIVE
    deduction = _parsed(
        _op("deductions_activate_create").sync_detailed(id=deduction.id, client=api),
        models.Deduction,
    )
    assert deduction.status == models.DeductionStatusEnum.ACTIVE

    simulation = _parsed(
        _op("product_delivery_cases_simulate").sync_detailed(
            id=case.id,
            client=api,
            body=models.SimulateRequestRequest(up_to=datetime.date(2026, 1, 25)),
        ),
        models.SimulationResult,
    )
    assert simulation.payments and simulation.payments[0].deductions[0].amount == "10.00"

    run = _parsed(
        _op("payment_runs_create").sync_detailed(
            client=clients[roles.ADMINISTRATOR],
            body=models.PaymentRunCreateRequest(run_date=datetime.date(2026, 1, 19)),
        ),
        models.PaymentRun,
        201,
    )
    assert run.id
    payments = _parsed(
        _op("payments_list").sync_detailed(client=api, case=case.id), models.PaginatedPaymentList
    )
    assert payments.count >= 1
    assert all(isinstance(p, models.Payment) for p in payments.results)
