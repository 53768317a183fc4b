"""SIM-1, PAY-5, PAY-12: a simulation and the payment run of the same periods give
identical payments and lines, on cases where the order and the arithmetic matter: a
liability shared by deductions of different nominees, a reassessment within a period, a
component without a financial component yet, skips, and the CD-12 override."""

from datetime import date
from decimal import Decimal

import pytest

from cases.models import Liability
from payments.models import DeductionProcessing, Payment
from payments.services import payment_run_process_inline, payment_run_start, simulation_run
from tests import factories
from tests.payments.builders import add_deduction, build_case

pytestmark = pytest.mark.django_db

RUN_DATE = date(2026, 1, 19)  # two weekly periods: 5–11 Jan and 12–18 Jan


def _shared_liability_across_nominees():
    """PAY-5's example: A (priority 1) on Linda takes 40.00 of 50.00, B (priority 2) on
    Thomas asks 30.00 and is capped at what is left; the week after the liability is
    settled."""
    setup = build_case(rate="100", components=(("c1", "thomas", "200"), ("c2", "linda", "200")))
    liability = factories.LiabilityFactory(participant=setup.thomas, original_amount="50.00")
    common = {"category": "applied", "liability": liability}
    add_deduction(setup, name="A", amount="40", nominee="linda", priority=1, **common)
    add_deduction(setup, name="B", amount="30", nominee="thomas", priority=2, **common)
    add_deduction(setup, name="Strom", amount="15", nominee="linda", priority=3)
    return setup


def _all_nominees_after_a_second_nominee_line():
    setup = build_case(rate="50", components=(("c1", "thomas", "120"), ("c2", "linda", "80")))
    liability = factories.LiabilityFactory(participant=setup.thomas, original_amount="45.00")
    add_deduction(
        setup,
        name="Überzahlung",
        category="applied",
        percentage="25",
        all_nominees=True,
        liability=liability,
        action="partial",
        priority=2,
    )
    add_deduction(
        setup,
        name="Miete",
        category="applied",
        amount="12.50",
        nominee="linda",
        liability=liability,
        priority=1,
    )
    add_deduction(
        setup,
        name="Gas",
        category="third_party",
        amount="7.25",
        nominee="thomas",
        third_party=factories.UtilityFactory(),
        priority=3,
    )
    return setup


def _reassessed_and_pending_components():
    setup = build_case(
        rate="30",
        min_deduction="2",
        tax="12.5",
        components=(("c1", "thomas", "70"), ("c2", "thomas", "33.33"), ("c3", "linda", "50")),
        taxable=("c2",),
        not_deductible=("c3",),
        financial=False,
    )
    c1, c2 = setup.components["c1"], setup.components["c2"]
    for start, end, amount in (
        (date(2026, 1, 5), date(2026, 1, 7), "70"),
        (date(2026, 1, 8), None, "140"),
    ):
        factories.FinancialComponentFactory(
            case=setup.case,
            component=c1,
            nominee=setup.thomas,
            amount=Decimal(amount),
            frequency="weekly",
            start_date=start,
            end_date=end,
        )
    factories.FinancialComponentFactory(
        case=setup.case,
        component=c2,
        nominee=setup.thomas,
        amount=Decimal("33.33"),
        frequency="weekly",
        start_date=date(2026, 1, 5),
    )
    # c3 (Linda, not deductible) has no financial component yet: it pays nothing.
    add_deduction(setup, name="Komponente", percentage="10", component="c1", priority=1)
    add_deduction(setup, name="Ausstehend", percentage="10", component="c3", priority=2)
    add_deduction(setup, name="Fest", amount="17.77", nominee="thomas", priority=3)
    add_deduction(setup, name="Zu groß", amount="99", nominee="thomas", priority=4)
    add_deduction(
        setup, name="Teil", percentage="7", nominee="thomas", action="partial", priority=5
    )
    add_deduction(setup, name="Klein", amount="1.50", nominee="thomas", priority=6)
    return setup


def _override_with_only_non_deductible():
    """CD-12: the override lifts the rate, not the deductible line."""
    setup = build_case(
        rate="25", components=(("c1", "thomas", "100"),), not_deductible=("c1",), override=True
    )
    add_deduction(setup, name="Strom", amount="10", nominee="thomas", priority=1)
    add_deduction(
        setup, name="Rest", percentage="10", nominee="thomas", action="partial", priority=2
    )
    return setup


SCENARIOS = {
    "shared-liability-across-nominees": _shared_liability_across_nominees,
    "all-nominees-after-second-nominee": _all_nominees_after_a_second_nominee_line,
    "reassessed-and-pending-components": _reassessed_and_pending_components,
    "override-only-non-deductible": _override_with_only_non_deductible,
}


def _lines(payments):
    return sorted(
        (
            line["deduction"],
            payment["nominee"],
            payment["period_start"],
            line["status"],
            line["amount"],
            line["reason"] or "",
            line["balance_after"],
        )
        for payment in payments
        for line in payment["deductions"]
    )


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_simulation_and_payment_run_give_identical_lines_SIM_1_PAY_5(scenario, caseworker):
    """SIM-1, PAY-5, PAY-12: what the simulation shows for the periods due is what the
    payment run then writes — payments with their breakdowns, and one processing row per
    line with the same status, amount, reason and balance."""
    setup = SCENARIOS[scenario]()
    simulated = simulation_run(case_id=setup.case.pk, up_to=RUN_DATE, user=caseworker)
    assert simulated["payments"]
    run, _ = payment_run_start(run_date=RUN_DATE, enqueue=False)
    assert payment_run_process_inline(run=run).status == "completed"
    recorded = [
        p.breakdown()
        for p in Payment.objects.filter(kind="benefit").order_by("period_start", "nominee_id")
    ]
    assert recorded == sorted(
        simulated["payments"], key=lambda p: (p["period_start"], p["nominee"])
    )
    rows = sorted(
        (
            row.deduction_id,
            row.nominee_id,
            row.period_start.isoformat(),
            row.status,
            f"{row.amount:.2f}",
            row.reason,
            f"{row.balance_after:.2f}",
        )
        for row in DeductionProcessing.objects.all()
    )
    assert rows == _lines(simulated["payments"])


def test_shared_liability_rows_follow_priority_across_nominees_PAY_5(caseworker):
    """PAY-5 in the ledger: the spec's example written by a payment run — A (priority 1,
    Linda) 40.00, B (priority 2, Thomas) capped at 10.00, each row with the liability's
    outstanding amount after it; the liability is settled."""
    setup = _shared_liability_across_nominees()
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    payment_run_process_inline(run=run)
    rows = DeductionProcessing.objects.filter(liability__isnull=False).order_by(
        "liability_outstanding_after"
    )
    assert [
        (row.deduction.deduction_type.name, row.amount, row.liability_outstanding_after)
        for row in rows
    ] == [("B", Decimal("10.00"), Decimal("0.00")), ("A", Decimal("40.00"), Decimal("10.00"))]
    liability = Liability.objects.get()
    assert (liability.outstanding_amount, liability.status) == (Decimal("0.00"), "settled")
    assert setup.case.pk == rows[0].deduction.case_id
