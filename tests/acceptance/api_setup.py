"""Builds the worked examples' cases through the REST API only (design.md: acceptance
through the API): an administrator sets up the product and deduction types, a caseworker
registers the people, opens the cases, adds components and deductions and activates them."""

from __future__ import annotations

from dataclasses import dataclass, field

from rest_framework.test import APIClient

START = "2026-01-05"  # a Monday; weekly periods Mon–Sun, paid the Monday after
FAR = "2026-12-31"


@dataclass
class ApiCase:
    """Ids of what the API answered: the case, the people by key, the components by key."""

    case: int
    product: int
    people: dict[str, int]
    components: dict[str, int] = field(default_factory=dict)
    deductions: list[int] = field(default_factory=list)


def _ok(response, status: int = 201) -> dict:
    assert response.status_code == status, response.content.decode()[:2000]
    return response.json()


def build_case_via_api(
    admin: APIClient,
    caseworker: APIClient,
    *,
    rate: str = "30",
    min_payment: str = "0",
    components: tuple[tuple[str, str, str], ...],
) -> ApiCase:
    """A weekly product and an active case whose primary client is Thomas; Linda is a
    second nominee where a component names her. ``components`` are (key, nominee key,
    amount per period)."""
    product = _ok(
        admin.post(
            "/api/v1/products/",
            {
                "name": "Grundsicherung",
                "payment_frequency": "weekly",
                "max_deduction_rate": rate,
                "min_deduction_amount": "0.00",
                "min_payment_amount": min_payment,
                "tax_rate": None,
                "component_types": [
                    {"name": f"Komponente {key}", "deductible": True, "taxable": False}
                    for key, _nominee, _amount in components
                ],
            },
            format="json",
        )
    )
    type_ids = {t["name"]: t["id"] for t in product["component_types"]}
    people = {}
    for key, name in (("thomas", "Thomas Müller"), ("linda", "Linda Müller")):
        people[key] = _ok(
            caseworker.post(
                "/api/v1/participants/",
                {"type": "person", "name": name, "date_of_birth": "1980-01-01"},
                format="json",
            )
        )["id"]
    integrated = _ok(
        caseworker.post(
            "/api/v1/integrated-cases/", {"primary_client": people["thomas"]}, format="json"
        )
    )
    case = _ok(
        caseworker.post(
            "/api/v1/product-delivery-cases/",
            {
                "integrated_case": integrated["id"],
                "product": product["id"],
                "start_date": START,
                "expected_end_date": FAR,
            },
            format="json",
        )
    )
    setup = ApiCase(case=case["id"], product=product["id"], people=people)
    base = f"/api/v1/product-delivery-cases/{setup.case}"
    nominees = {nominee for _key, nominee, _amount in components} - {"thomas"}
    for key in sorted(nominees):
        _ok(caseworker.post(f"{base}/nominees/", {"participant": people[key]}, format="json"))
    for key, nominee, amount in components:
        setup.components[key] = _ok(
            caseworker.post(
                f"{base}/components/",
                {
                    "component_type": type_ids[f"Komponente {key}"],
                    "amount": amount,
                    "nominee": people[nominee],
                    "start_date": START,
                },
                format="json",
            )
        )["id"]
    assert _ok(caseworker.post(f"{base}/activate/"), 200)["status"] == "active"
    return setup


def add_deduction_via_api(
    admin: APIClient,
    caseworker: APIClient,
    setup: ApiCase,
    *,
    amount: str | None = None,
    percentage: str | None = None,
    nominee: str | None = None,
    component: str | None = None,
    all_nominees: bool = False,
    action: str = "skip",
) -> dict:
    """An unapplied deduction type of its own (linked to the case's product) and an active
    deduction of that type on the case, fixed (``amount``) or variable (``percentage``)."""
    number = len(setup.deductions) + 1
    deduction_type = _ok(
        admin.post(
            "/api/v1/deduction-types/",
            {
                "name": f"Abzug {number}",
                "category": "unapplied",
                "priority": None,
                "insufficient_balance_action": action,
                "allowed_participant_types": ["person"],
            },
            format="json",
        )
    )
    _ok(
        admin.post(
            f"/api/v1/products/{setup.product}/deduction-types/",
            {"deduction_type": deduction_type["id"], "priority": None},
            format="json",
        )
    )
    deduction = _ok(
        caseworker.post(
            "/api/v1/deductions/",
            {
                "case": setup.case,
                "deduction_type": deduction_type["id"],
                "amount": amount,
                "percentage": percentage,
                "nominee": setup.people[nominee] if nominee else None,
                "component": setup.components[component] if component else None,
                "all_nominees": all_nominees,
                "start_date": START,
                "end_date": FAR,
                "activate": True,
            },
            format="json",
        )
    )
    assert deduction["status"] == "active", deduction
    setup.deductions.append(deduction["id"])
    return deduction
