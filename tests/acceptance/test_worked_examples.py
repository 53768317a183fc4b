"""The worked examples E1–E8 of the requirements (seed chapter 4), through the REST API:
each case is set up through the API too (an administrator makes the product and the
deduction types, a caseworker the people, the case, its components and deductions; see
api_setup.py), then ``POST /api/v1/product-delivery-cases/{id}/simulate/`` must answer the
expected payments (PAY-1..9, PAY-12, SIM-1)."""

from decimal import Decimal

import pytest

from tests.acceptance.api_setup import add_deduction_via_api, build_case_via_api

pytestmark = pytest.mark.django_db

FIRST_PAYMENT = "2026-01-12"  # effective date of the first weekly period (5–11 Jan 2026)


def _e1(admin, caseworker):
    """E1 (PAY-6 fixed): Thomas 100, Linda 50; fixed 30 on Thomas → Thomas 70, Linda 50."""
    setup = build_case_via_api(
        admin, caseworker, components=(("c1", "thomas", "100"), ("c2", "linda", "50"))
    )
    add_deduction_via_api(admin, caseworker, setup, amount="30", nominee="thomas")
    return setup, {"thomas": "70.00", "linda": "50.00"}, {"thomas": ["30.00"], "linda": []}


def _e2(admin, caseworker):
    """E2 (PAY-6 component): variable 10 % on Thomas's component → Thomas 90, Linda 50."""
    setup = build_case_via_api(
        admin, caseworker, components=(("c1", "thomas", "100"), ("c2", "linda", "50"))
    )
    add_deduction_via_api(admin, caseworker, setup, percentage="10", component="c1")
    return setup, {"thomas": "90.00", "linda": "50.00"}, {"thomas": ["10.00"], "linda": []}


def _e3(admin, caseworker):
    """E3 (PAY-6 none = all): Thomas 100, Linda 10; 10 % unassigned → Thomas 90, Linda 9."""
    setup = build_case_via_api(
        admin, caseworker, components=(("c1", "thomas", "100"), ("c2", "linda", "10"))
    )
    add_deduction_via_api(admin, caseworker, setup, percentage="10")
    return setup, {"thomas": "90.00", "linda": "9.00"}, {"thomas": ["10.00"], "linda": ["1.00"]}


def _e4(admin, caseworker):
    """E4 (PAY-6 nominee): Thomas gets both components (100 + 50); 20 % on Thomas → 120."""
    setup = build_case_via_api(
        admin, caseworker, components=(("c1", "thomas", "100"), ("c2", "thomas", "50"))
    )
    add_deduction_via_api(admin, caseworker, setup, percentage="20", nominee="thomas")
    return setup, {"thomas": "120.00"}, {"thomas": ["30.00"]}


def _e5(admin, caseworker):
    """E5 (PAY-6 all nominees): Thomas 100, Linda 50; 20 % on all → lines 20 + 10 = 30."""
    setup = build_case_via_api(
        admin, caseworker, components=(("c1", "thomas", "100"), ("c2", "linda", "50"))
    )
    add_deduction_via_api(admin, caseworker, setup, percentage="20", all_nominees=True)
    return setup, {"thomas": "80.00", "linda": "40.00"}, {"thomas": ["20.00"], "linda": ["10.00"]}


def _e6(admin, caseworker):
    """E6 (PAY-4, PAY-8): max rate 30 %, payment 100, fixed 40 with skip → skipped."""
    setup = build_case_via_api(admin, caseworker, rate="30", components=(("c1", "thomas", "100"),))
    add_deduction_via_api(admin, caseworker, setup, amount="40", nominee="thomas", action="skip")
    return setup, {"thomas": "100.00"}, {"thomas": ["skipped:insufficient_balance"]}


def _e7(admin, caseworker):
    """E7 (PAY-4, PAY-8): min payment 40, payment 60, fixed 30 with skip → skipped."""
    setup = build_case_via_api(
        admin, caseworker, rate="100", min_payment="40", components=(("c1", "thomas", "60"),)
    )
    add_deduction_via_api(admin, caseworker, setup, amount="30", nominee="thomas", action="skip")
    return setup, {"thomas": "60.00"}, {"thomas": ["skipped:insufficient_balance"]}


def _e8(admin, caseworker):
    """E8 (PAY-8 partial): deduction 30, 20 available, partial action → 20 deducted."""
    setup = build_case_via_api(admin, caseworker, rate="20", components=(("c1", "thomas", "100"),))
    add_deduction_via_api(admin, caseworker, setup, amount="30", nominee="thomas", action="partial")
    return setup, {"thomas": "80.00"}, {"thomas": ["20.00"]}


EXAMPLES = {
    "E1": _e1,
    "E2": _e2,
    "E3": _e3,
    "E4": _e4,
    "E5": _e5,
    "E6": _e6,
    "E7": _e7,
    "E8": _e8,
}


@pytest.mark.parametrize("example", list(EXAMPLES), ids=list(EXAMPLES))
def test_worked_example_through_simulate_api_PAY_1_to_PAY_9_E1_to_E8(api, admin_api, example):
    """E1–E8 (PAY-4, PAY-6, PAY-8, PAY-9, PAY-12, SIM-1): the simulate endpoint answers
    each worked example's nets and deduction lines exactly."""
    setup, nets, lines = EXAMPLES[example](admin_api, api)
    response = api.post(
        f"/api/v1/product-delivery-cases/{setup.case}/simulate/",
        {"up_to": FIRST_PAYMENT, "save": False},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] is None
    by_nominee = {payment["nominee"]: payment for payment in body["payments"]}
    expected_ids = {setup.people[name] for name in nets}
    assert set(by_nominee) == expected_ids
    for name, net in nets.items():
        payment = by_nominee[setup.people[name]]
        assert payment["period_start"] == "2026-01-05"
        assert payment["period_end"] == "2026-01-11"
        assert payment["effective_date"] == FIRST_PAYMENT
        assert payment["net"] == net
        got = [
            line["amount"] if line["status"] == "processed" else f"skipped:{line['reason']}"
            for line in payment["deductions"]
        ]
        assert got == lines[name]
        processed = sum(
            (Decimal(line["amount"]) for line in payment["deductions"]), Decimal("0.00")
        )
        assert Decimal(payment["gross"]) - Decimal(payment["tax"]) - processed == Decimal(net)


def test_e5_total_is_thirty_PAY_6_E5(api, admin_api):
    """E5 (PAY-6): the two lines of an all-nominees deduction add up to 30."""
    setup, _nets, _lines = _e5(admin_api, api)
    body = api.post(
        f"/api/v1/product-delivery-cases/{setup.case}/simulate/",
        {"up_to": FIRST_PAYMENT},
        format="json",
    ).json()
    total = sum(
        Decimal(line["amount"]) for payment in body["payments"] for line in payment["deductions"]
    )
    assert total == Decimal("30.00")
    # Nominee order: the primary client first (PAY-6).
    assert body["payments"][0]["nominee"] == setup.people["thomas"]


def test_e6_skip_reason_is_shown_in_german_PAY_9_E6(api, admin_api):
    """E6 (PAY-9, SIM-2): the skipped line names its reason and the German sentence."""
    setup, _nets, _lines = _e6(admin_api, api)
    body = api.post(
        f"/api/v1/product-delivery-cases/{setup.case}/simulate/",
        {"up_to": FIRST_PAYMENT},
        format="json",
    ).json()
    line = body["payments"][0]["deductions"][0]
    assert line["status"] == "skipped"
    assert line["amount"] == "0.00"
    assert line["reason"] == "insufficient_balance"
    assert line["reason_display"] == (
        "Der verbleibende Leistungsbetrag reicht für den Abzug nicht aus."
    )
    assert line["balance_after"] == "30.00"
