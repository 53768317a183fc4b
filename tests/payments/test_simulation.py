"""Payment simulation (SIM-1..3) through the REST API and the service."""

from datetime import date
from decimal import Decimal

import pytest

from cases.models import Liability
from deductions.models import Deduction
from payments.models import (
    AgencyAccountEntry,
    DeductionProcessing,
    Payment,
    PaymentRun,
    Simulation,
)
from payments.services import payment_run_process_inline, payment_run_start, simulation_run
from tests import factories
from tests.payments.builders import add_deduction, build_case
from workflow.models import WorkflowEvent

pytestmark = pytest.mark.django_db


def _simulate(api, case, up_to, **extra):
    return api.post(
        f"/api/v1/product-delivery-cases/{case.pk}/simulate/",
        {"up_to": up_to, **extra},
        format="json",
    )


def _full_setup():
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    liability = factories.LiabilityFactory(participant=setup.thomas, original_amount="15.00")
    add_deduction(
        setup,
        name="Überzahlung",
        category="applied",
        percentage="10",
        all_nominees=True,
        liability=liability,
        action="partial",
    )
    add_deduction(
        setup,
        name="Miete",
        category="third_party",
        amount="10",
        nominee="linda",
        third_party=factories.UtilityFactory(),
    )
    return setup, liability


def test_simulation_changes_nothing_SIM_1(api):
    """SIM-1: a simulation computes payments and writes no payment, processing row,
    agency entry, event, liability or deduction change."""
    setup, liability = _full_setup()
    statuses = dict(Deduction.objects.values_list("pk", "status"))
    events_before = WorkflowEvent.objects.count()
    response = _simulate(api, setup.case, "2026-02-09")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] is None
    assert len(body["payments"]) == 10  # 5 weekly periods × 2 nominees
    assert Payment.objects.count() == 0
    assert DeductionProcessing.objects.count() == 0
    assert AgencyAccountEntry.objects.count() == 0
    assert Simulation.objects.count() == 0
    assert WorkflowEvent.objects.count() == events_before
    assert dict(Deduction.objects.values_list("pk", "status")) == statuses
    liability.refresh_from_db()
    assert liability.outstanding_amount == Decimal("15.00")


def test_simulation_carries_liability_across_periods_SIM_1_PAY_7(api):
    """SIM-1, PAY-7: later periods see the liability reduced by earlier ones; once it is
    paid off the line is skipped as liability_settled."""
    setup, _liability = _full_setup()
    body = _simulate(api, setup.case, "2026-01-26").json()
    applied = [
        (p["period_start"], p["nominee"], line["status"], line["amount"], line["reason"])
        for p in body["payments"]
        for line in p["deductions"]
        if line["name"] == "Überzahlung"
    ]
    thomas, linda = setup.thomas.pk, setup.linda.pk
    assert applied == [
        # 10 % of each nominee's net: Thomas 10 of the 15 outstanding, Linda the last 5.
        ("2026-01-05", thomas, "processed", "10.00", None),
        ("2026-01-05", linda, "processed", "5.00", None),
        ("2026-01-12", thomas, "skipped", "0.00", "liability_settled"),
        ("2026-01-12", linda, "skipped", "0.00", "liability_settled"),
        ("2026-01-19", thomas, "skipped", "0.00", "liability_settled"),
        ("2026-01-19", linda, "skipped", "0.00", "liability_settled"),
    ]


def test_simulation_shows_each_payment_in_full_SIM_2(api):
    """SIM-2: coverage period, effective date, nominee, gross per component, tax, each
    deduction with amount or reason, the balance after each line, and the net."""
    setup = build_case(
        tax="10",
        taxable=("c1",),
        components=(("c1", "thomas", "100"), ("c2", "thomas", "50")),
    )
    add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    add_deduction(setup, name="Gas", amount="40", nominee="thomas")  # skip: 20 left
    payment = _simulate(api, setup.case, "2026-01-12").json()["payments"][0]
    assert payment["period_start"] == "2026-01-05"
    assert payment["period_end"] == "2026-01-11"
    assert payment["effective_date"] == "2026-01-12"
    assert payment["nominee"] == setup.thomas.pk
    assert payment["gross"] == "150.00"
    assert payment["tax"] == "10.00"
    assert [(c["component"], c["amount"], c["tax"]) for c in payment["components"]] == [
        (setup.components["c1"].pk, "100.00", "10.00"),
        (setup.components["c2"].pk, "50.00", "0.00"),
    ]
    # 30 % of 140 = 42 deductible: Strom 20 → 22 left; Gas 40 skipped.
    assert [
        (d["name"], d["status"], d["amount"], d["reason"], d["balance_after"])
        for d in payment["deductions"]
    ] == [
        ("Strom", "processed", "20.00", None, "22.00"),
        ("Gas", "skipped", "0.00", "insufficient_balance", "22.00"),
    ]
    assert payment["deductions"][1]["reason_display"] == (
        "Der verbleibende Leistungsbetrag reicht für den Abzug nicht aus."
    )
    assert payment["deductions"][0]["status_display"] == "Verarbeitet"
    assert payment["net"] == "120.00"
    # Net per component adds up to the payment's net (PAY-12).
    assert sum(Decimal(c["net"]) for c in payment["components"]) == Decimal("120.00")


def test_simulation_includes_pending_deductions_from_their_start_SIM_1(api):
    """SIM-1: an activated deduction that starts later (pending) is simulated from its
    start date; an inactive one is not simulated at all."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    add_deduction(setup, name="Später", amount="10", start=date(2026, 1, 19))
    add_deduction(setup, name="Inaktiv", amount="5", status="inactive")
    body = _simulate(api, setup.case, "2026-01-26").json()
    lines = [(p["period_start"], [d["name"] for d in p["deductions"]]) for p in body["payments"]]
    assert lines == [
        ("2026-01-05", []),
        ("2026-01-12", []),
        ("2026-01-19", ["Später"]),
    ]


def test_simulation_before_activation_uses_case_components_SIM_1_IC_9(api):
    """SIM-1, IC-9: before activation (no financial components yet) the case components
    are simulated; after activation the financial components are."""
    setup = build_case(components=(("c1", "thomas", "100"),), active=False, financial=False)
    body = _simulate(api, setup.case, "2026-01-12").json()
    assert [p["gross"] for p in body["payments"]] == ["100.00"]
    factories.FinancialComponentFactory(
        case=setup.case,
        component=setup.components["c1"],
        nominee=setup.thomas,
        amount=Decimal("80.00"),
        frequency="weekly",
        start_date=setup.case.start_date,
    )
    body = _simulate(api, setup.case, "2026-01-12").json()
    assert [p["gross"] for p in body["payments"]] == ["80.00"]


def test_simulation_merges_reassessed_financial_components_IC_9_PAY_1(api):
    """IC-9, PAY-1: a reassessment mid-period (old financial component ends, new one
    starts) pays each part prorated on its own days."""
    setup = build_case(components=(("c1", "thomas", "70"),), financial=False)
    component = setup.components["c1"]
    factories.FinancialComponentFactory(
        case=setup.case,
        component=component,
        nominee=setup.thomas,
        amount=Decimal("70.00"),
        frequency="weekly",
        start_date=date(2026, 1, 5),
        end_date=date(2026, 1, 7),
    )
    factories.FinancialComponentFactory(
        case=setup.case,
        component=component,
        nominee=setup.thomas,
        amount=Decimal("140.00"),
        frequency="weekly",
        start_date=date(2026, 1, 8),
    )
    add_deduction(setup, percentage="10", component="c1")
    body = _simulate(api, setup.case, "2026-01-19").json()
    # 70 × 3/7 + 140 × 4/7 = 30 + 80 = 110; then 140 the week after.
    assert [p["gross"] for p in body["payments"]] == ["110.00", "140.00"]
    assert [p["deductions"][0]["amount"] for p in body["payments"]] == ["11.00", "14.00"]


def test_simulation_starts_after_the_last_paid_period_SIM_1_PAY_13(api):
    """SIM-1: periods already paid by a payment run are not simulated again."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    run, _ = payment_run_start(run_date=date(2026, 1, 19), enqueue=False)
    payment_run_process_inline(run=run)
    body = _simulate(api, setup.case, "2026-01-26").json()
    assert [p["period_start"] for p in body["payments"]] == ["2026-01-19"]


def test_save_list_detail_SIM_3(api, caseworker):
    """SIM-3: "save": true stores the simulation and returns its id; it is listed and
    shown in full; saving changes nothing else (SIM-1)."""
    setup, _liability = _full_setup()
    response = _simulate(api, setup.case, "2026-01-19", save=True)
    assert response.status_code == 201
    body = response.json()
    assert isinstance(body["id"], int)
    simulation = Simulation.objects.get(pk=body["id"])
    assert simulation.case_id == setup.case.pk
    assert simulation.up_to == date(2026, 1, 19)
    assert simulation.created_by == caseworker
    assert Payment.objects.count() == 0 and DeductionProcessing.objects.count() == 0

    listing = api.get(f"/api/v1/simulations/?case={setup.case.pk}").json()
    assert listing["count"] == 1
    assert listing["results"][0]["id"] == body["id"]
    assert listing["results"][0]["payment_count"] == 4
    detail = api.get(f"/api/v1/simulations/{body['id']}/").json()
    assert [p["net"] for p in detail["payments"]] == [p["net"] for p in body["payments"]]
    assert detail["payments"][0]["deductions"][0]["status_display"] == "Verarbeitet"


def test_compare_names_the_differences_SIM_3(api):
    """SIM-3: two saved simulations compared payment by payment and line by line; only
    what differs is named."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    strom = add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    first = _simulate(api, setup.case, "2026-01-19", save=True).json()["id"]
    Deduction.objects.filter(pk=strom.pk).update(amount=Decimal("25.00"))
    second = _simulate(api, setup.case, "2026-01-26", save=True).json()["id"]

    response = api.get(f"/api/v1/simulations/compare/?a={first}&b={second}")
    assert response.status_code == 200
    body = response.json()
    assert body["a"] == first and body["b"] == second
    assert body["identical"] is False
    rows = body["payments"]
    assert [row["period_start"] for row in rows] == ["2026-01-05", "2026-01-12", "2026-01-19"]
    assert rows[0]["differences"] == ["net"]
    assert rows[0]["a"]["net"] == "80.00" and rows[0]["b"]["net"] == "75.00"
    assert rows[0]["deductions"][0]["differences"] == ["amount", "balance_after"]
    # A payment only in B: every field differs, side A is empty.
    assert rows[2]["a"] is None
    assert rows[2]["differences"] == ["period_end", "effective_date", "gross", "tax", "net"]

    same = api.get(f"/api/v1/simulations/compare/?a={first}&b={first}").json()
    assert same["identical"] is True
    assert all(row["differences"] == [] for row in same["payments"])


def test_compare_bad_input_is_400_naming_the_field_SIM_3(api):
    """SIM-3: missing or unknown ids are a 400 naming the parameter, never a 500."""
    response = api.get("/api/v1/simulations/compare/?a=abc")
    assert response.status_code == 400
    assert set(response.json()) == {"a", "b"}
    response = api.get("/api/v1/simulations/compare/?a=999999&b=999998")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "body, field",
    [({}, "up_to"), ({"up_to": "31.01.2026"}, "up_to"), ({"up_to": "2099-01-01"}, "up_to")],
    ids=["missing", "not-iso", "too-far"],
)
def test_simulate_bad_input_is_400_SIM_1(api, body, field):
    """SIM-1: bad input is a 400 naming the field, and nothing is saved."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    response = api.post(
        f"/api/v1/product-delivery-cases/{setup.case.pk}/simulate/",
        {**body, "save": True},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()
    assert Simulation.objects.count() == 0


def test_simulate_unknown_case_is_404_SIM_1(api):
    response = _simulate(api, type("C", (), {"pk": 999999})(), "2026-01-12")
    assert response.status_code == 404


def test_simulate_roles_RO_1_SIM_1(admin_api, anon_api, supervisor_api):
    """RO-1: caseworkers and supervisors simulate; administrators may not; anonymous 401."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    assert _simulate(supervisor_api, setup.case, "2026-01-12").status_code == 200
    assert _simulate(admin_api, setup.case, "2026-01-12").status_code == 403
    assert _simulate(anon_api, setup.case, "2026-01-12").status_code == 401
    assert anon_api.get("/api/v1/simulations/").status_code == 401


def test_service_and_real_run_agree_on_a_simple_case_SIM_1_PAY_12(caseworker):
    """SIM-1: what the simulation shows is what the payment run then records."""
    setup, _liability = _full_setup()
    simulated = simulation_run(case_id=setup.case.pk, up_to=date(2026, 1, 19), user=caseworker)
    run, _ = payment_run_start(run_date=date(2026, 1, 19), enqueue=False)
    payment_run_process_inline(run=run)
    recorded = [
        p.breakdown() for p in Payment.objects.filter(kind="benefit").order_by("period_start", "id")
    ]
    assert recorded == simulated["payments"]
    assert PaymentRun.objects.get().payments_created == 4 + 2  # + two third-party payments
    assert Liability.objects.get().outstanding_amount == Decimal("0.00")


def test_saving_a_simulation_with_no_payment_due_is_400_on_up_to_SIM_3(api, caseworker):
    """SIM-3: saving when no payment is due up to the date is refused on up_to with a
    German message (service and API), and nothing is saved; simulating without saving
    still answers 200 with no payments."""
    from config.exceptions import ValidationFailed

    setup = build_case(components=(("c1", "thomas", "100"),))  # first payment on 12 Jan
    with pytest.raises(ValidationFailed) as refused:
        simulation_run(case_id=setup.case.pk, up_to=date(2026, 1, 6), user=caseworker, save=True)
    assert refused.value.errors == {
        "up_to": ["Bis zu diesem Datum ist keine Zahlung fällig; es gibt nichts zu speichern."]
    }
    response = _simulate(api, setup.case, "2026-01-06", save=True)
    assert response.status_code == 400
    assert list(response.json()) == ["up_to"]
    assert "keine Zahlung fällig" in response.json()["up_to"][0]
    assert Simulation.objects.count() == 0
    shown = _simulate(api, setup.case, "2026-01-06")
    assert shown.status_code == 200 and shown.json()["payments"] == []


@pytest.mark.parametrize("frequency", ["weekly", "monthly"])
def test_far_future_up_to_is_400_on_up_to_not_a_crash_SIM_1(api, frequency):
    """SIM-1: an up_to date centuries ahead (up to DATE_MAX, 2199-12-31) is a 400 naming
    up_to with the German limit, for weekly and monthly cases alike — never an
    OverflowError. (Beyond DATE_MAX the date range refuses it first.)"""
    setup = build_case(components=(("c1", "thomas", "100"),), frequency=frequency)
    for up_to in ("2199-12-31", "2150-01-01"):
        response = _simulate(api, setup.case, up_to, save=True)
        assert response.status_code == 400, response.content
        assert "höchstens 520 Zahlungszeiträume" in response.json()["up_to"][0]
    assert Simulation.objects.count() == 0


def test_simulate_answer_carries_a_notice_for_a_suspended_case_SIM_1(api):
    """SIM-1: the API answer keeps the api.md fields and adds ``case_status`` and
    ``notice`` (null for an active case; for a suspended one it says runs withhold)."""
    from cases.models import ProductDeliveryCase

    setup = build_case(components=(("c1", "thomas", "100"),))
    body = _simulate(api, setup.case, "2026-01-12").json()
    assert body["case_status"] == "active" and body["notice"] is None
    ProductDeliveryCase.objects.filter(pk=setup.case.pk).update(status="suspended")
    body = _simulate(api, setup.case, "2026-01-12").json()
    assert [p["gross"] for p in body["payments"]] == ["100.00"]
    assert body["case_status"] == "suspended"
    assert "zurückgehaltenen Zeiträume" in body["notice"]
    english = api.post(
        f"/api/v1/product-delivery-cases/{setup.case.pk}/simulate/",
        {"up_to": "2026-01-12"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    ).json()
    assert english["notice"] and "zurückgehaltenen" not in english["notice"]
