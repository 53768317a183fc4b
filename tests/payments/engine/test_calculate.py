"""The payment calculation, rule by rule (PAY-1..9, PAY-12, SIM-1) and the worked examples
E1–E8 of the requirements. Exact Decimal values throughout."""

from datetime import date
from decimal import Decimal

import pytest

from payments.engine import (
    CaseInput,
    ComponentInput,
    DeductionInput,
    Period,
    ProductLimits,
    calculate_period,
    calculate_periods,
    periods_due,
    total_deductible,
)

D = Decimal
THOMAS, LINDA = 10, 20  # Thomas is the primary client in every case below
CASE_START = date(2024, 1, 1)
WEEK_1 = Period.between(date(2024, 1, 1), date(2024, 1, 7))
FAR_FUTURE = date(2099, 12, 31)


def limits(rate="30", min_deduction="0", min_payment="0", tax=None):
    return ProductLimits(
        max_deduction_rate=D(rate),
        min_deduction_amount=D(min_deduction),
        min_payment_amount=D(min_payment),
        tax_rate=None if tax is None else D(tax),
    )


LENIENT = limits("100", "0", "0")


def component(id, nominee, amount, *, start=CASE_START, end=None, deductible=True, taxable=False):
    return ComponentInput(
        id=id,
        name=f"Komponente {id}",
        nominee_id=nominee,
        amount=D(amount),
        start_date=start,
        end_date=end,
        deductible=deductible,
        taxable=taxable,
    )


def deduction(
    id,
    *,
    priority=None,
    amount=None,
    percentage=None,
    nominee=None,
    component=None,
    all_nominees=False,
    category="unapplied",
    action="skip",
    start=CASE_START,
    end=FAR_FUTURE,
    type_min=None,
    type_max=None,
    liability=None,
):
    return DeductionInput(
        id=id,
        name=f"Abzug {id}",
        category=category,
        priority=id if priority is None else priority,
        amount=None if amount is None else D(amount),
        percentage=None if percentage is None else D(percentage),
        nominee_id=nominee,
        component_id=component,
        all_nominees=all_nominees,
        start_date=start,
        end_date=end,
        type_min_amount=None if type_min is None else D(type_min),
        type_max_amount=None if type_max is None else D(type_max),
        action=action,
        liability_id=liability,
    )


def case(components, deductions=(), *, product=None, override=False, primary=THOMAS, nominees=None):
    return CaseInput(
        case_id=1,
        start_date=CASE_START,
        frequency="weekly",
        override_max_deduction_rate=override,
        limits=product or limits(),
        primary_client_id=primary,
        nominee_ids=tuple(nominees) if nominees else tuple({c.nominee_id for c in components}),
        components=tuple(components),
        deductions=tuple(deductions),
    )


def run(the_case, liabilities=None, period=WEEK_1):
    return calculate_period(the_case, period, liabilities or {})


def nets(result):
    return {p.nominee_id: p.net for p in result.payments}


def lines(result):
    return [
        (
            line.nominee_id,
            line.deduction_id,
            str(line.status),
            line.amount,
            None if line.reason is None else str(line.reason),
        )
        for p in result.payments
        for line in p.deductions
    ]


def only_line(result):
    (line,) = [line for p in result.payments for line in p.deductions]
    return line


# --- worked examples -------------------------------------------------------------------

WORKED_EXAMPLES = [
    pytest.param(
        [component(1, THOMAS, "100"), component(2, LINDA, "50")],
        [deduction(1, amount="30", nominee=THOMAS)],
        limits("30"),
        {THOMAS: D("70.00"), LINDA: D("50.00")},
        [(THOMAS, 1, "processed", D("30.00"), None)],
        id="E1",
    ),
    pytest.param(
        [component(1, THOMAS, "100"), component(2, LINDA, "50")],
        [deduction(1, percentage="10", component=1)],
        limits("30"),
        {THOMAS: D("90.00"), LINDA: D("50.00")},
        [(THOMAS, 1, "processed", D("10.00"), None)],
        id="E2",
    ),
    pytest.param(
        [component(1, THOMAS, "100"), component(2, LINDA, "10")],
        [deduction(1, percentage="10")],
        limits("30"),
        {THOMAS: D("90.00"), LINDA: D("9.00")},
        [(THOMAS, 1, "processed", D("10.00"), None), (LINDA, 1, "processed", D("1.00"), None)],
        id="E3",
    ),
    pytest.param(
        [component(1, THOMAS, "100"), component(2, THOMAS, "50")],
        [deduction(1, percentage="20", nominee=THOMAS)],
        limits("30"),
        {THOMAS: D("120.00")},
        [(THOMAS, 1, "processed", D("30.00"), None)],
        id="E4",
    ),
    pytest.param(
        [component(1, THOMAS, "100"), component(2, LINDA, "50")],
        [deduction(1, percentage="20", all_nominees=True)],
        limits("30"),
        {THOMAS: D("80.00"), LINDA: D("40.00")},
        [(THOMAS, 1, "processed", D("20.00"), None), (LINDA, 1, "processed", D("10.00"), None)],
        id="E5",
    ),
    pytest.param(
        [component(1, THOMAS, "100")],
        [deduction(1, amount="40", nominee=THOMAS, action="skip")],
        limits("30", "0", "0"),
        {THOMAS: D("100.00")},
        [(THOMAS, 1, "skipped", D("0.00"), "insufficient_balance")],
        id="E6",
    ),
    pytest.param(
        [component(1, THOMAS, "60")],
        [deduction(1, amount="30", nominee=THOMAS, action="skip")],
        limits("100", "0", "40"),
        {THOMAS: D("60.00")},
        [(THOMAS, 1, "skipped", D("0.00"), "insufficient_balance")],
        id="E7",
    ),
    pytest.param(
        [component(1, THOMAS, "20")],
        [deduction(1, amount="30", nominee=THOMAS, action="partial")],
        LENIENT,
        {THOMAS: D("0.00")},
        [(THOMAS, 1, "processed", D("20.00"), None)],
        id="E8",
    ),
]


@pytest.mark.parametrize(
    ("components", "deductions", "product", "expected_nets", "expected_lines"),
    WORKED_EXAMPLES,
)
def test_worked_example(components, deductions, product, expected_nets, expected_lines):
    """E1–E8 (PAY-4, PAY-6, PAY-8, PAY-12): seed chapter 4's worked examples hold."""
    result = run(case(components, deductions, product=product))
    assert nets(result) == expected_nets
    assert lines(result) == expected_lines


def test_worked_example_E5_lines_add_up_to_30_PAY_6():
    """E5, PAY-6: 20 % on all nominees is one line per nominee, 20 + 10 = 30."""
    result = run(
        case(
            [component(1, THOMAS, "100"), component(2, LINDA, "50")],
            [deduction(1, percentage="20", all_nominees=True)],
        )
    )
    assert sum(p.total_deducted for p in result.payments) == D("30.00")


def test_worked_example_E8_twenty_available_by_minimum_payment_PAY_8():
    """E8, PAY-8: the 20 available may also come from the minimum payment; partial takes 20."""
    result = run(
        case(
            [component(1, THOMAS, "100")],
            [deduction(1, amount="30", nominee=THOMAS, action="partial")],
            product=limits("100", "0", "80"),
        )
    )
    assert lines(result) == [(THOMAS, 1, "processed", D("20.00"), None)]
    assert nets(result) == {THOMAS: D("80.00")}


# --- PAY-1 gross and proration ---------------------------------------------------------


@pytest.mark.parametrize(
    ("components", "expected_amounts"),
    [
        pytest.param([component(1, THOMAS, "100")], [D("100.00")], id="whole-period"),
        pytest.param(
            [component(1, THOMAS, "100", start=date(2024, 1, 5))],
            [D("42.86")],
            id="starts-on-day-5-of-7",
        ),
        pytest.param(
            [component(1, THOMAS, "100", end=date(2024, 1, 2))],
            [D("28.57")],
            id="ends-on-day-2-of-7",
        ),
        pytest.param(
            [component(1, THOMAS, "70", start=date(2024, 1, 3), end=date(2024, 1, 3))],
            [D("10.00")],
            id="one-day",
        ),
        pytest.param(
            [component(1, THOMAS, "100", start=date(2023, 6, 1), end=date(2024, 1, 7))],
            [D("100.00")],
            id="ends-on-last-day-covers-all",
        ),
        pytest.param(
            [
                component(1, THOMAS, "100", end=date(2024, 1, 2)),
                component(2, THOMAS, "100", start=date(2024, 1, 3)),
            ],
            [D("28.57"), D("71.43")],
            id="reassessment-split-adds-up",
        ),
    ],
)
def test_gross_is_prorated_sum_of_components_PAY_1(components, expected_amounts):
    """PAY-1: gross = sum of the nominee's components, each prorated by days covered ÷ days
    in the period, rounded half-up to cents."""
    (payment,) = run(case(components)).payments
    assert [line.amount for line in payment.components] == expected_amounts
    assert payment.gross == sum(expected_amounts)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(date(2024, 1, 8), None, id="starts-after-period"),
        pytest.param(date(2023, 1, 1), date(2023, 12, 31), id="ended-before-period"),
    ],
)
def test_nominee_without_component_in_period_gets_no_payment_PAY_1(start, end):
    """PAY-1, PAY-6: a nominee with no component in the period gets no payment and no
    lines, even from an all-nominees deduction."""
    result = run(
        case(
            [component(1, THOMAS, "100"), component(2, LINDA, "50", start=start, end=end)],
            [deduction(1, percentage="10", all_nominees=True)],
        )
    )
    assert [p.nominee_id for p in result.payments] == [THOMAS]
    assert lines(result) == [(THOMAS, 1, "processed", D("10.00"), None)]


# --- PAY-2 tax, PAY-3 deductible base, PAY-4 total deductible ---------------------------


def test_tax_per_taxable_component_PAY_2():
    """PAY-2: tax = rate × each taxable component, rounded half-up; net = gross − taxes."""
    (payment,) = run(
        case(
            [
                component(1, THOMAS, "100.05", taxable=True),
                component(2, THOMAS, "50.00", taxable=False),
                component(3, THOMAS, "0.15", taxable=True),
            ],
            product=limits(tax="10"),
        )
    ).payments
    assert [(c.amount, c.tax, c.net) for c in payment.components] == [
        (D("100.05"), D("10.01"), D("90.04")),  # 10.005 → 10.01
        (D("50.00"), D("0.00"), D("50.00")),
        (D("0.15"), D("0.02"), D("0.13")),  # 0.015 → 0.02, taxed per component
    ]
    assert (payment.gross, payment.tax, payment.net_before_deductions) == (
        D("150.20"),
        D("10.03"),
        D("140.17"),
    )


def test_no_tax_rate_means_no_tax_PAY_2():
    """PAY-2: a product without a tax adjustment rate withholds nothing."""
    (payment,) = run(case([component(1, THOMAS, "100", taxable=True)])).payments
    assert (payment.tax, payment.net_before_deductions) == (D("0.00"), D("100.00"))


def test_tax_applies_to_prorated_amount_PAY_1_PAY_2():
    """PAY-1, PAY-2: tax is taken on the prorated amount of the component."""
    (payment,) = run(
        case(
            [component(1, THOMAS, "100", start=date(2024, 1, 5), taxable=True)],
            product=limits(tax="10"),
        )
    ).payments
    (line,) = payment.components
    assert (line.amount, line.tax, line.net) == (D("42.86"), D("4.29"), D("38.57"))


def test_deductible_base_is_net_of_deductible_components_PAY_3():
    """PAY-3: the base is the net (after tax) of deductible components only."""
    (payment,) = run(
        case(
            [
                component(1, THOMAS, "100", taxable=True),
                component(2, THOMAS, "50", deductible=False),
            ],
            product=limits("30", tax="10"),
        )
    ).payments
    assert payment.net_before_deductions == D("140.00")
    assert payment.deductible_base == D("90.00")
    assert payment.total_deductible == D("27.00")


@pytest.mark.parametrize(
    ("base", "net", "product", "override", "expected"),
    [
        pytest.param(
            "400.14",
            "400.14",
            limits("25"),
            False,
            "100.04",
            id="rate-cap-rounded-before-min-400.14x25%=100.04",
        ),
        pytest.param("100", "100", limits("30"), False, "30.00", id="rate-cap-binds"),
        pytest.param(
            "100", "100", limits("30", min_payment="80"), False, "20.00", id="minimum-payment-binds"
        ),
        pytest.param(
            "100",
            "100",
            limits("30", min_payment="150"),
            False,
            "0.00",
            id="net-below-minimum-payment-never-negative",
        ),
        pytest.param(
            "50",
            "150",
            limits("100", min_payment="120"),
            False,
            "30.00",
            id="non-deductible-part-counts-for-minimum-payment",
        ),
        pytest.param("100", "100", limits("30"), True, "100.00", id="CD-12-override"),
        pytest.param(
            "100",
            "100",
            limits("30", min_payment="10"),
            True,
            "90.00",
            id="CD-12-override-keeps-minimum-payment",
        ),
        pytest.param("100", "100", limits("0"), False, "0.00", id="rate-zero"),
    ],
)
def test_total_deductible_PAY_4(base, net, product, override, expected):
    """PAY-4: min(base × max rate rounded half-up, net − minimum payment), never below 0."""
    assert total_deductible(
        deductible_base=D(base), net=D(net), limits=product, override_max_deduction_rate=override
    ) == D(expected)


def test_rate_cap_rounding_through_calculation_PAY_4():
    """PAY-4: 400.14 × 25 % = 100.035 → 100.04 is what a partial deduction can take."""
    result = run(
        case(
            [component(1, THOMAS, "400.14")],
            [deduction(1, amount="150", nominee=THOMAS, action="partial")],
            product=limits("25"),
        )
    )
    assert lines(result) == [(THOMAS, 1, "processed", D("100.04"), None)]
    assert nets(result) == {THOMAS: D("300.10")}


def test_override_max_deduction_rate_CD_12_PAY_4():
    """CD-12, PAY-4: with the override, a deduction above the rate cap is taken."""
    components = [component(1, THOMAS, "100")]
    deductions = [deduction(1, amount="40", nominee=THOMAS)]
    assert only_line(run(case(components, deductions))).reason == "insufficient_balance"
    assert only_line(run(case(components, deductions, override=True))).amount == D("40.00")


# --- PAY-5 deductions in force, priority order, running balance -------------------------


@pytest.mark.parametrize(
    ("start", "end", "in_force"),
    [
        pytest.param(date(2024, 1, 1), date(2024, 1, 1), True, id="start-and-end-on-period-start"),
        pytest.param(date(2023, 12, 1), date(2024, 1, 1), True, id="ends-on-period-start"),
        pytest.param(date(2023, 12, 1), date(2023, 12, 31), False, id="ended-before-period"),
        pytest.param(date(2024, 1, 2), date(2024, 12, 31), False, id="starts-inside-period"),
    ],
)
def test_deduction_in_force_PAY_5(start, end, in_force):
    """PAY-5: a deduction is in force when start ≤ period start ≤ end."""
    result = run(
        case(
            [component(1, THOMAS, "100")],
            [deduction(1, amount="10", nominee=THOMAS, start=start, end=end)],
        )
    )
    assert bool(lines(result)) is in_force


def test_priority_order_and_running_balance_PAY_5_PAY_8():
    """PAY-5: lines run in priority order (ties by id) against the running balance; a
    skipped line leaves the balance for later priorities (PAY-8)."""
    result = run(
        case(
            [component(1, THOMAS, "100")],
            [
                deduction(7, priority=3, amount="10", nominee=THOMAS),
                deduction(5, priority=2, amount="15", nominee=THOMAS),
                deduction(9, priority=1, amount="12", nominee=THOMAS),
                deduction(4, priority=1, amount="8", nominee=THOMAS),
            ],
        )
    )
    (payment,) = result.payments
    assert [
        (line.deduction_id, line.status, line.amount, line.balance_after)
        for line in payment.deductions
    ] == [
        (4, "processed", D("8.00"), D("22.00")),
        (9, "processed", D("12.00"), D("10.00")),
        (5, "skipped", D("0.00"), D("10.00")),
        (7, "processed", D("10.00"), D("0.00")),
    ]
    assert (payment.total_deducted, payment.net) == (D("30.00"), D("70.00"))


# --- PAY-6 assignment -------------------------------------------------------------------


def test_fixed_deduction_only_on_its_nominee_PAY_6():
    """PAY-6, CD-7: a fixed deduction is taken only from its nominee's payment."""
    result = run(
        case(
            [component(1, THOMAS, "100"), component(2, LINDA, "100")],
            [deduction(1, amount="10", nominee=LINDA)],
        )
    )
    assert lines(result) == [(LINDA, 1, "processed", D("10.00"), None)]
    assert nets(result) == {THOMAS: D("100.00"), LINDA: D("90.00")}


def test_variable_on_nominee_uses_their_whole_net_PAY_6():
    """PAY-6: percentage × the nominee's net of all their components (after tax), not only
    the deductible ones."""
    result = run(
        case(
            [
                component(1, THOMAS, "100", taxable=True),
                component(2, THOMAS, "50", deductible=False),
            ],
            [deduction(1, percentage="10", nominee=THOMAS)],
            product=limits("100", tax="10"),
        )
    )
    assert only_line(result).requested_amount == D("14.00")
    assert only_line(result).amount == D("14.00")


def test_variable_on_component_uses_component_net_on_its_nominee_PAY_6():
    """PAY-6: percentage × the component's net, from the component's nominee's payment."""
    result = run(
        case(
            [
                component(1, THOMAS, "100"),
                component(2, LINDA, "80", taxable=True),
                component(3, LINDA, "500"),
            ],
            [deduction(1, percentage="10", component=2)],
            product=limits("100", tax="25"),
        )
    )
    line = only_line(result)
    assert (line.nominee_id, line.component_id, line.amount) == (LINDA, 2, D("6.00"))


def test_variable_on_component_not_running_is_zero_PAY_6_PAY_9():
    """PAY-6, PAY-9: a component deduction whose component does not run in the period asks
    0 of its nominee's payment and is skipped as zero_amount."""
    result = run(
        case(
            [component(1, THOMAS, "100"), component(2, THOMAS, "100", start=date(2024, 2, 1))],
            [deduction(1, percentage="10", component=2)],
        )
    )
    assert lines(result) == [(THOMAS, 1, "skipped", D("0.00"), "zero_amount")]


@pytest.mark.parametrize(
    "all_nominees", [pytest.param(True, id="all-nominees"), pytest.param(False, id="none-assigned")]
)
def test_all_nominees_one_line_each_in_nominee_order_PAY_6(all_nominees):
    """PAY-6, CD-7: all nominees (or none) gives one line per nominee, percentage × that
    nominee's net, in nominee order: the primary client first, then by participant id."""
    primary, low, high, no_component = 30, 5, 20, 1
    result = run(
        case(
            [component(1, high, "50.05"), component(2, primary, "100"), component(3, low, "10")],
            [deduction(1, percentage="10", all_nominees=all_nominees)],
            primary=primary,
            nominees=[high, no_component, low, primary],
        )
    )
    assert [p.nominee_id for p in result.payments] == [primary, low, high]
    assert lines(result) == [
        (primary, 1, "processed", D("10.00"), None),
        (low, 1, "processed", D("1.00"), None),
        (high, 1, "processed", D("5.01"), None),  # 5.005 → 5.01 on each line
    ]


@pytest.mark.parametrize(
    ("percentage", "type_min", "type_max", "expected"),
    [
        pytest.param(
            "10", None, "50", ("processed", D("50.00"), None, D("100.00")), id="capped-at-type-max"
        ),
        pytest.param(
            "10",
            "150",
            None,
            ("skipped", D("0.00"), "below_type_min_amount", D("100.00")),
            id="below-type-min",
        ),
        pytest.param(
            "10", "100", "100", ("processed", D("100.00"), None, D("100.00")), id="on-both-limits"
        ),
        pytest.param(
            "1",
            "10.01",
            None,
            ("skipped", D("0.00"), "below_type_min_amount", D("10.00")),
            id="one-cent-below-type-min",
        ),
    ],
)
def test_variable_type_limits_PAY_6(percentage, type_min, type_max, expected):
    """PAY-6, DT-2: a variable amount above the type's maximum is reduced to it; below the
    type's minimum it is skipped as below_type_min_amount."""
    result = run(
        case(
            [component(1, THOMAS, "1000")],
            [
                deduction(
                    1, percentage=percentage, nominee=THOMAS, type_min=type_min, type_max=type_max
                )
            ],
            product=LENIENT,
        )
    )
    line = only_line(result)
    assert (line.status, line.amount, line.reason, line.requested_amount) == expected


def test_type_limits_do_not_apply_to_fixed_lines_PAY_6():
    """PAY-6, DT-2: type limits bound a fixed amount when it is entered, not when paid."""
    result = run(
        case(
            [component(1, THOMAS, "1000")],
            [deduction(1, amount="60", nominee=THOMAS, type_min="70", type_max="50")],
            product=LENIENT,
        )
    )
    assert lines(result) == [(THOMAS, 1, "processed", D("60.00"), None)]


# --- PAY-7 liabilities ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outstanding", "expected_line", "expected_after"),
    [
        pytest.param(
            {77: D("25.00")},
            ("processed", D("25.00"), None),
            {77: D("0.00")},
            id="capped-at-outstanding",
        ),
        pytest.param(
            {77: D("100.00")},
            ("processed", D("30.00"), None),
            {77: D("70.00")},
            id="reduces-outstanding",
        ),
        pytest.param(
            {77: D("0.00")},
            ("skipped", D("0.00"), "liability_settled"),
            {77: D("0.00")},
            id="settled",
        ),
        pytest.param(
            {},
            ("skipped", D("0.00"), "liability_settled"),
            {},
            id="unknown-liability-counts-as-settled",
        ),
    ],
)
def test_applied_never_exceeds_outstanding_PAY_7(outstanding, expected_line, expected_after):
    """PAY-7, LI-1: an applied deduction takes at most the liability's outstanding amount
    and never takes it below zero."""
    liabilities = dict(outstanding)
    result = run(
        case(
            [component(1, THOMAS, "100")],
            [deduction(1, amount="30", nominee=THOMAS, category="applied", liability=77)],
            product=LENIENT,
        ),
        liabilities,
    )
    line = only_line(result)
    assert (line.status, line.amount, line.reason) == expected_line
    assert line.liability_id == 77 and line.category == "applied"
    assert result.liabilities_after == expected_after
    assert liabilities == outstanding, "the caller's mapping is not changed"


def test_outstanding_only_reduced_by_applied_deductions_PAY_7():
    """PAY-7: unapplied and third-party deductions leave liabilities alone."""
    result = run(
        case(
            [component(1, THOMAS, "100")],
            [
                deduction(1, amount="10", nominee=THOMAS, category="unapplied", liability=77),
                deduction(2, amount="10", nominee=THOMAS, category="third_party"),
            ],
            product=LENIENT,
        ),
        {77: D("5.00")},
    )
    assert [line.amount for line in only_payment_lines(result)] == [D("10.00"), D("10.00")]
    assert result.liabilities_after == {77: D("5.00")}


def only_payment_lines(result):
    (payment,) = result.payments
    return payment.deductions


@pytest.mark.parametrize(
    ("primary", "expected"),
    [
        pytest.param(
            THOMAS,
            [(THOMAS, 1, "processed", D("20.00"), None), (LINDA, 1, "processed", D("5.00"), None)],
            id="thomas-primary-first",
        ),
        pytest.param(
            LINDA,
            [(LINDA, 1, "processed", D("10.00"), None), (THOMAS, 1, "processed", D("15.00"), None)],
            id="linda-primary-first",
        ),
    ],
)
def test_all_nominees_applied_share_liability_in_nominee_order_PAY_6_PAY_7(primary, expected):
    """PAY-6, PAY-7: lines of one deduction that share a liability draw on it in nominee
    order (primary client first), so the split is deterministic."""
    result = run(
        case(
            [component(1, THOMAS, "100"), component(2, LINDA, "50")],
            [deduction(1, percentage="20", all_nominees=True, category="applied", liability=77)],
            product=LENIENT,
            primary=primary,
        ),
        {77: D("25.00")},
    )
    assert lines(result) == expected
    assert result.liabilities_after == {77: D("0.00")}


def test_liability_carried_across_periods_SIM_1_PAY_7():
    """SIM-1, PAY-7: calculate_periods carries the outstanding amount from one period to
    the next until the liability is settled."""
    the_case = case(
        [component(1, THOMAS, "100")],
        [deduction(1, amount="20", nominee=THOMAS, category="applied", liability=77)],
        product=LENIENT,
    )
    periods = periods_due(CASE_START, "weekly", up_to=date(2024, 1, 29))
    results = calculate_periods(the_case, periods, {77: D("50.00")})
    assert [
        (r.period.start, only_line(r).amount, only_line(r).reason, r.liabilities_after[77])
        for r in results
    ] == [
        (date(2024, 1, 1), D("20.00"), None, D("30.00")),
        (date(2024, 1, 8), D("20.00"), None, D("10.00")),
        (date(2024, 1, 15), D("10.00"), None, D("0.00")),
        (date(2024, 1, 22), D("0.00"), "liability_settled", D("0.00")),
    ]


def test_calculate_periods_follows_deduction_dates_SIM_1_PAY_5():
    """SIM-1, PAY-5: a simulation over several periods takes a deduction only while it is
    in force, and each period's payment is computed afresh."""
    the_case = case(
        [component(1, THOMAS, "100")],
        [deduction(1, amount="10", nominee=THOMAS, start=date(2024, 1, 8), end=date(2024, 1, 15))],
        product=LENIENT,
    )
    periods = periods_due(CASE_START, "weekly", up_to=date(2024, 1, 29))
    results = calculate_periods(the_case, periods, {})
    assert [nets(r)[THOMAS] for r in results] == [D("100.00"), D("90.00"), D("90.00"), D("100.00")]


# --- PAY-8 partial and skip, PAY-9 check order ------------------------------------------


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        pytest.param("partial", ("processed", D("20.00"), None, D("0.00")), id="partial"),
        pytest.param("skip", ("skipped", D("0.00"), "insufficient_balance", D("20.00")), id="skip"),
    ],
)
def test_line_exceeding_balance_PAY_8(action, expected):
    """PAY-8, DT-9: deduction 30 with 20 available: partial deducts 20, skip deducts 0."""
    result = run(
        case(
            [component(1, THOMAS, "100")],
            [deduction(1, amount="30", nominee=THOMAS, action=action)],
            product=limits("20"),
        )
    )
    line = only_line(result)
    assert (line.status, line.amount, line.reason, line.balance_after) == expected


def test_partial_with_nothing_left_is_insufficient_balance_PAY_8():
    """PAY-8, PAY-9: a partial line with no balance left is skipped as insufficient."""
    result = run(
        case(
            [component(1, THOMAS, "100")],
            [
                deduction(1, amount="30", nominee=THOMAS),
                deduction(2, amount="5", nominee=THOMAS, action="partial"),
            ],
        )
    )
    assert lines(result) == [
        (THOMAS, 1, "processed", D("30.00"), None),
        (THOMAS, 2, "skipped", D("0.00"), "insufficient_balance"),
    ]


CHECK_ORDER = [
    # (component amount, product limits, deduction kwargs, liabilities, expected line)
    pytest.param(
        "100",
        limits("100"),
        {"percentage": "5", "type_min": "10", "category": "applied", "liability": 77},
        {77: D("0.00")},
        ("skipped", D("0.00"), "below_type_min_amount"),
        id="type-min-before-liability-settled",
    ),
    pytest.param(
        "100",
        limits("100"),
        {"amount": "0", "category": "applied", "liability": 77},
        {77: D("0.00")},
        ("skipped", D("0.00"), "liability_settled"),
        id="liability-settled-before-zero",
    ),
    pytest.param(
        "100",
        limits("100", min_payment="100"),
        {"amount": "0"},
        {},
        ("skipped", D("0.00"), "zero_amount"),
        id="zero-before-insufficient",
    ),
    pytest.param(
        "0.04",
        limits("100"),
        {"percentage": "10"},
        {},
        ("skipped", D("0.00"), "zero_amount"),
        id="variable-rounds-to-zero",
    ),
    pytest.param(
        "100",
        limits("5", min_deduction="10"),
        {"amount": "8"},
        {},
        ("skipped", D("0.00"), "insufficient_balance"),
        id="insufficient-before-below-min-deduction",
    ),
    pytest.param(
        "100",
        limits("5", min_deduction="6"),
        {"amount": "8", "action": "partial"},
        {},
        ("skipped", D("0.00"), "below_min_deduction_amount"),
        id="partial-reduction-then-below-min-deduction",
    ),
    pytest.param(
        "100",
        limits("100", min_deduction="5"),
        {"amount": "30", "category": "applied", "liability": 77},
        {77: D("3.00")},
        ("skipped", D("0.00"), "below_min_deduction_amount"),
        id="capped-at-outstanding-then-below-min-deduction",
    ),
    pytest.param(
        "100",
        limits("100", min_deduction="5"),
        {"amount": "4.99"},
        {},
        ("skipped", D("0.00"), "below_min_deduction_amount"),
        id="one-cent-below-min-deduction",
    ),
    pytest.param(
        "100",
        limits("100", min_deduction="5"),
        {"amount": "5"},
        {},
        ("processed", D("5.00"), None),
        id="equal-to-min-deduction-processed",
    ),
    pytest.param(
        "1000",
        limits("4"),
        {"percentage": "10", "type_max": "50", "action": "partial"},
        {},
        ("processed", D("40.00"), None),
        id="type-max-then-partial-balance",
    ),
    pytest.param(
        "1000",
        limits("100"),
        {"percentage": "10", "type_max": "50", "category": "applied", "liability": 77},
        {77: D("45.00")},
        ("processed", D("45.00"), None),
        id="type-max-then-outstanding",
    ),
]


@pytest.mark.parametrize(("amount", "product", "kwargs", "liabilities", "expected"), CHECK_ORDER)
def test_check_order_names_first_failure_PAY_9(amount, product, kwargs, liabilities, expected):
    """PAY-9 (with PAY-6, PAY-7, PAY-8): the checks of a line run in the order type minimum
    → liability settled → zero → insufficient balance → minimum deduction amount."""
    result = run(
        case(
            [component(1, THOMAS, amount)],
            [deduction(1, nominee=THOMAS, **kwargs)],
            product=product,
        ),
        liabilities,
    )
    line = only_line(result)
    assert (line.status, line.amount, line.reason) == expected


# --- PAY-12 net payment and result shape ------------------------------------------------


def test_net_payment_is_net_minus_processed_deductions_PAY_12():
    """PAY-12: net payment = net − processed deductions; skipped lines take nothing; the
    payment records gross, tax, each deduction and net, per component."""
    result = run(
        case(
            [
                component(1, THOMAS, "200", taxable=True),
                component(2, THOMAS, "50", deductible=False),
            ],
            [
                deduction(1, amount="20", nominee=THOMAS, category="third_party"),
                deduction(2, amount="100", nominee=THOMAS),
                deduction(3, percentage="5", component=1, category="applied", liability=77),
            ],
            product=limits("30", tax="20"),
        ),
        {77: D("1000.00")},
    )
    (payment,) = result.payments
    assert payment.case_id == 1 and payment.period == WEEK_1
    assert [
        (c.component_id, c.name, c.amount, c.tax, c.net, c.deductible) for c in payment.components
    ] == [
        (1, "Komponente 1", D("200.00"), D("40.00"), D("160.00"), True),
        (2, "Komponente 2", D("50.00"), D("0.00"), D("50.00"), False),
    ]
    assert (
        payment.gross,
        payment.tax,
        payment.net_before_deductions,
        payment.deductible_base,
        payment.total_deductible,
    ) == (D("250.00"), D("40.00"), D("210.00"), D("160.00"), D("48.00"))
    assert [
        (
            line.deduction_id,
            line.name,
            line.category,
            line.priority,
            line.component_id,
            line.status,
            line.amount,
            line.reason,
            line.balance_after,
            line.liability_id,
            line.requested_amount,
        )
        for line in payment.deductions
    ] == [
        (
            1,
            "Abzug 1",
            "third_party",
            1,
            None,
            "processed",
            D("20.00"),
            None,
            D("28.00"),
            None,
            D("20.00"),
        ),
        (
            2,
            "Abzug 2",
            "unapplied",
            2,
            None,
            "skipped",
            D("0.00"),
            "insufficient_balance",
            D("28.00"),
            None,
            D("100.00"),
        ),
        (3, "Abzug 3", "applied", 3, 1, "processed", D("8.00"), None, D("20.00"), 77, D("8.00")),
    ]
    assert (payment.total_deducted, payment.net) == (D("28.00"), D("182.00"))
    assert result.liabilities_after == {77: D("992.00")}


# --- input validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        pytest.param(
            {"amount": "10", "percentage": "5", "nominee": THOMAS},
            ValueError,
            id="CD-6-amount-and-percentage",
        ),
        pytest.param({"nominee": THOMAS}, ValueError, id="CD-6-neither"),
        pytest.param({"amount": "10"}, ValueError, id="CD-7-fixed-without-nominee"),
        pytest.param({"amount": "10", "component": 1}, ValueError, id="CD-7-fixed-on-component"),
        pytest.param(
            {"amount": "10", "nominee": THOMAS, "all_nominees": True},
            ValueError,
            id="CD-7-fixed-on-all-nominees",
        ),
        pytest.param(
            {"percentage": "10", "nominee": THOMAS, "component": 1},
            ValueError,
            id="CD-7-variable-two-targets",
        ),
        pytest.param({"percentage": "101"}, ValueError, id="percentage-above-100"),
        pytest.param({"amount": "-1", "nominee": THOMAS}, ValueError, id="negative-amount"),
        pytest.param(
            {"amount": "1", "nominee": THOMAS, "start": date(2024, 2, 1), "end": date(2024, 1, 1)},
            ValueError,
            id="CD-8-start-after-end",
        ),
        pytest.param(
            {"amount": "1", "nominee": THOMAS, "category": "other"},
            ValueError,
            id="unknown-category",
        ),
        pytest.param(
            {"amount": "1", "nominee": THOMAS, "action": "maybe"}, ValueError, id="unknown-action"
        ),
    ],
)
def test_deduction_input_refuses_invalid_data(kwargs, error):
    """CD-6, CD-7, CD-8 (inputs of PAY-6): the engine refuses deductions it cannot apply."""
    with pytest.raises(error):
        deduction(1, **kwargs)


def test_inputs_refuse_floats():
    """PAY-1, PAY-7 (section 7: all money is Decimal): float amounts are refused."""
    with pytest.raises(TypeError):
        ComponentInput(
            id=1,
            name="x",
            nominee_id=THOMAS,
            amount=100.0,
            start_date=CASE_START,
            end_date=None,
            deductible=True,
            taxable=False,
        )
    with pytest.raises(TypeError):
        run(case([component(1, THOMAS, "100")]), {77: 5.0})


def test_case_refuses_deduction_on_unknown_component():
    """PAY-6: a component deduction must name a component of the case."""
    with pytest.raises(ValueError):
        case([component(1, THOMAS, "100")], [deduction(1, percentage="10", component=2)])
