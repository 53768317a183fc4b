"""A small but complete data set for tests that walk the whole API (the schema tests):
every resource has at least one real object, so that generated requests reach real rows
and their responses (with nulls where relations are empty) are checked, not only 404s."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rest_framework.authtoken.models import Token

from cases import services as case_services
from cases.models import IntegratedCaseType
from config import roles
from payments.models import AgencyAccountEntry, Payment, PaymentRun, Simulation
from payments.services.runs import payment_run_process_inline, payment_run_start
from payments.services.simulation import simulation_run
from products.models import DeductionCategory
from tests import factories
from tests.payments.builders import add_deduction, build_case


@dataclass
class ApiDataset:
    tokens: dict[str, str]
    ids: dict[str, list] = field(default_factory=dict)
    """Known ids per path segment ("deductions", "component_id", …) for path parameters."""


def build_api_dataset() -> ApiDataset:
    users = {
        "administrator": factories.UserFactory(
            role=roles.ADMINISTRATOR, username="schema-adm", is_staff=True
        ),
        "supervisor": factories.UserFactory(role=roles.SUPERVISOR, username="schema-sv"),
        "caseworker": factories.UserFactory(role=roles.CASEWORKER, username="schema-cw"),
    }
    tokens = {role: Token.objects.create(user=user).key for role, user in users.items()}
    caseworker = users["caseworker"]

    setup = build_case()
    case, product = setup.case, setup.case.product
    liability = factories.LiabilityFactory(
        participant=setup.thomas, original_amount=Decimal("200.00"), liability_case_id=""
    )
    utility = factories.UtilityFactory()
    applied, third_party, unapplied = (
        DeductionCategory.APPLIED,
        DeductionCategory.THIRD_PARTY,
        DeductionCategory.UNAPPLIED,
    )
    deductions = [
        add_deduction(setup, category=applied, amount="20", liability=liability),
        add_deduction(setup, category=third_party, amount="10", third_party=utility),
        add_deduction(setup, category=unapplied, amount="5"),
        add_deduction(setup, category=unapplied, percentage="5", status="inactive"),
    ]
    run, _created = payment_run_start(
        run_date=date(2026, 1, 19), user=users["administrator"], enqueue=False
    )
    payment_run_process_inline(run=run)
    simulation_run(case_id=case.pk, up_to=date(2026, 3, 1), user=caseworker, save=True)

    integrated = case.integrated_case
    case_services.case_member_add(
        integrated_case=integrated, participant=setup.linda, user=caseworker
    )
    case_services.referral_create(
        integrated_case=integrated, service="Schuldnerberatung", user=caseworker
    )
    case_services.service_delivery_create(
        integrated_case=integrated,
        service="Beratung",
        start_date=date(2026, 1, 5),
        user=caseworker,
    )
    type(product).objects.filter(pk=product.pk).update(has_application_process=True)
    product.refresh_from_db()
    application = case_services.application_submit(
        product=product,
        requested_start_date=date(2026, 2, 2),
        applicant=setup.linda,
        user=caseworker,
    )

    event = factories.WorkflowEventFactory(case_id=case.pk, deduction_id=deductions[0].pk)
    factories.EventProcessMappingFactory()
    tasks, notifications = [], []
    for user in users.values():
        tasks.append(factories.TaskFactory(assignee=user, case=case, deduction=deductions[1]))
        tasks.append(factories.TaskFactory(assignee=user))
        notifications.append(factories.NotificationFactory(recipient=user, message="Hinweis"))

    component_types = list(product.component_types.values_list("pk", flat=True))
    deduction_types = [d.deduction_type_id for d in deductions]
    ids = {
        "participants": [setup.thomas.pk, setup.linda.pk, utility.pk],
        "products": [product.pk],
        "component_type_id": component_types,
        "type_id": deduction_types,
        "deduction-types": deduction_types,
        "integrated-cases": [integrated.pk],
        "code": list(IntegratedCaseType.objects.values_list("code", flat=True)),
        "product-delivery-cases": [case.pk],
        "component_id": [c.pk for c in setup.components.values()],
        "liabilities": [liability.pk],
        "applications": [application.pk],
        "deductions": [d.pk for d in deductions],
        "payments": list(Payment.objects.values_list("pk", flat=True)),
        "payment-runs": [run.pk],
        "simulations": list(Simulation.objects.values_list("pk", flat=True)),
        "agency-account-entries": list(AgencyAccountEntry.objects.values_list("pk", flat=True)),
        "tasks": [t.pk for t in tasks],
        "notifications": [n.pk for n in notifications],
        "workflow-events": [event.pk],
    }
    assert PaymentRun.objects.filter(pk=run.pk).exists() and ids["payments"], "no payments"
    return ApiDataset(tokens=tokens, ids=ids)


def real_path_parameters(path: str, parameters: dict, dataset: ApiDataset) -> dict:
    """Maps generated path parameters onto known objects (a generated integer picks one of
    them), so that most requests reach a real row; other values are left as generated."""
    segments = [s for s in path.split("/") if s and not s.startswith("{")]
    resource = segments[2] if len(segments) > 2 else ""
    mapped = dict(parameters)
    for name, value in parameters.items():
        known = dataset.ids.get(resource if name in ("id", "pk") else name)
        if not known:
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            mapped[name] = known[value % len(known)]
        elif name == "code" and isinstance(value, str):
            mapped[name] = known[len(value) % len(known)]
    return mapped
