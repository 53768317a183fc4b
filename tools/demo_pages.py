"""The pages of the demo data (`manage.py seed_demo`) per role, as paths.

Built from the demo's own objects (Thomas Schmidt's case, its deductions, payments, run,
simulation and task), so the layout test and `make screenshots` visit what a caseworker,
a case supervisor and an administrator reach by clicking. Forms that exist only inside a
page (add a member, a nominee, a component; change the case) are POST-only URLs: they are
checked on their page, with its <details> opened. Needs a configured Django."""

from __future__ import annotations

from dataclasses import dataclass

CASEWORKER, SUPERVISOR, ADMIN = "caseworker", "supervisor", "admin"
DEMO_PASSWORDS = {
    CASEWORKER: "caseworker-demo-2026",
    SUPERVISOR: "supervisor-demo-2026",
    ADMIN: "admin-demo-2026",
}

# Admin models whose list and first object's change form are checked.
ADMIN_MODELS = (
    "participants.participant",
    "cases.integratedcase",
    "cases.productdeliverycase",
    "cases.application",
    "cases.liability",
    "deductions.deduction",
    "products.product",
    "products.deductiontype",
    "products.productdeductiontype",
    "payments.paymentrun",
    "payments.payment",
    "payments.deductionprocessing",
    "payments.agencyaccountentry",
    "payments.simulation",
    "workflow.workflowevent",
    "workflow.eventprocessmapping",
    "workflow.task",
    "auth.user",
)


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    main: bool = False  # one of the main pages (screenshots)


def _first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


def casework_pages() -> list[Page]:
    """The pages of caseworkers and case supervisors (both reach the same case pages)."""
    from cases.models import IntegratedCase, ProductDeliveryCase
    from deductions.models import Deduction
    from participants.models import Participant
    from payments.models import Payment, Simulation

    case = _first(ProductDeliveryCase, primary_client__name="Thomas Schmidt")
    if case is None:
        raise LookupError("The demo case is missing: run `manage.py seed_demo` first.")
    ic = IntegratedCase.objects.get(pk=case.integrated_case_id)
    client = Participant.objects.get(pk=case.primary_client_id)
    utility = _first(Participant, name="Stadtwerke Musterstadt")
    landlord = _first(Participant, name="Wohnbau Muster GmbH")
    skipped = _first(Deduction, case=case, processing_history__status="skipped") or _first(
        Deduction, case=case
    )
    payment = _first(Payment, case=case, kind="benefit")
    simulations = list(Simulation.objects.filter(case=case).order_by("pk")[:2])
    pdc = f"/cases/pdc/{case.pk}"
    pages = [
        Page("home", "/", main=True),
        Page("participants-search", "/participants/"),
        Page("participants-results", "/participants/?q=Schmidt", main=True),
        Page("participant-detail", f"/participants/{client.pk}/", main=True),
        Page("participant-edit", f"/participants/{client.pk}/edit/"),
        Page("participant-new", "/participants/new/"),
        Page("participant-deductions", f"/participants/{client.pk}/deductions/"),
        Page("integrated-case-list", "/cases/", main=True),
        Page("integrated-case-new", "/cases/new/"),
        Page("integrated-case-detail", f"/cases/{ic.pk}/", main=True),
        Page("pdc-new", f"/cases/{ic.pk}/pdc/new/"),
        Page("pdc-detail", f"{pdc}/", main=True),
        Page("liability-new", "/cases/liabilities/new/"),
        Page("application-list", "/cases/applications/"),
        Page("application-new", "/cases/applications/new/"),
        Page("deductions", f"{pdc}/deductions/", main=True),
        Page("deductions-active", f"{pdc}/deductions/active/"),
        Page("deductions-applied", f"{pdc}/deductions/applied/"),
        Page("deductions-third-party", f"{pdc}/deductions/third-party/"),
        Page("deduction-wizard", f"{pdc}/deductions/new/category/", main=True),
        Page("simulate", f"{pdc}/simulate/", main=True),
        Page("case-payments", f"{pdc}/payments/", main=True),
        Page("agency-account", "/payments/agency-account/"),
        Page("tasks", "/tasks/", main=True),
        Page("notifications", "/tasks/notifications/"),
    ]
    if skipped is not None:
        pages += [
            Page("deduction-detail", f"/deductions/{skipped.pk}/", main=True),
            Page("deduction-edit", f"/deductions/{skipped.pk}/edit/"),
            Page("deduction-history", f"/deductions/{skipped.pk}/history/"),
        ]
    if payment is not None:
        pages.append(Page("payment-detail", f"/payments/{payment.pk}/", main=True))
    if simulations:
        pages.append(Page("simulation-detail", f"{pdc}/simulations/{simulations[0].pk}/"))
        pages.append(Page("simulation-compare", f"{pdc}/simulations/compare/"))
    for name, party in (("utility", utility), ("landlord", landlord)):
        if party is not None:
            pages.append(
                Page(f"third-party-payments-{name}", f"/participants/{party.pk}/payments/")
            )
            pages.append(Page(f"participant-{name}", f"/participants/{party.pk}/"))
    return pages


def supervisor_pages() -> list[Page]:
    """The case pages plus the supervisor's task (the skipped rent)."""
    from workflow.models import Task

    pages = casework_pages()
    task = _first(Task)
    if task is not None:
        pages.append(Page("task-detail", f"/tasks/{task.pk}/", main=True))
    return pages


def admin_pages() -> list[Page]:
    """Home, payment runs, Django admin's index and the main models' lists and forms."""
    from django.apps import apps

    from payments.models import PaymentRun

    pages = [
        Page("home", "/"),
        Page("tasks", "/tasks/"),
        Page("run-list", "/payments/runs/", main=True),
        Page("admin-index", "/admin/", main=True),
    ]
    run = _first(PaymentRun)
    if run is not None:
        pages.append(Page("run-detail", f"/payments/runs/{run.pk}/", main=True))
    for label in ADMIN_MODELS:
        model = apps.get_model(label)
        app_label, model_name = label.split(".")
        base = f"/admin/{app_label}/{model_name}/"
        pages.append(Page(f"admin-{model_name}-list", base, main=model_name == "deduction"))
        obj = _first(model)
        if obj is not None:
            pages.append(Page(f"admin-{model_name}-change", f"{base}{obj.pk}/change/"))
    pages.append(Page("admin-deductiontype-add", "/admin/products/deductiontype/add/"))
    return pages


def pages_by_role() -> dict[str, list[Page]]:
    return {
        CASEWORKER: casework_pages(),
        SUPERVISOR: supervisor_pages(),
        ADMIN: admin_pages(),
    }
