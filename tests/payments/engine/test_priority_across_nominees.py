"""PAY-5 across nominees, CD-12 as clarified, and what the engine hands out besides the
lines: component slices in (IC-9, PAY-1), per-component deductions (PAY-12), each line's
liability balance (PAY-7) and the deductions' outcomes (CD-10)."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from payments.engine import (
    CaseInput,
    ComponentInput,
    DeductionInput,
    ProductLimits,
    calculate_period,
    calculate_periods,
    deduction_outcomes,
    periods_due,
)

from .test_calculate import (
    CASE_START,
    LENIENT,
    LINDA,
    THOMAS,
    WEEK_1,
    case,
    component,
    deduction,
    limits,
    run,
)

D = Decimal


def line_of(result, deduction_id, nominee_id=None):
    (line,) = [
        line
        for payment in result.payments
        for line in payment.deductions
        if line.deduction_id == deduction_id and nominee_id in (None, line.nominee_id)
    ]
    return line


# --- PAY-5: the case's priority order across nominees ----------------------------------


def test_spec_example_higher_priority_on_second_nominee_reduces_liability_first_PAY_5():
    """PAY-5 (the requirement's example): liability 50.00 outstanding; deduction A
    (priority 1) on the second nominee takes 40.00, deduction B (priority 2) on the primary
    client asks 30.00 → A processed 40.00, B capped at the 10.00 left."""
    result = run(
        case(
            [component(1, THOMAS, "200"), component(2, LINDA, "200")],
            [
                deduction(
                    1, priority=1, amount="40", nominee=LINDA, category="applied", liability=77
                ),
                deduction(
                    2, priority=2, amount="30", nominee=THOMAS, category="applied", liability=77
                ),
            ],
            product=LENIENT,
        ),
        {77: D("50.00")},
    )
    a, b = line_of(result, 1), line_of(result, 2)
    assert (a.nominee_id, a.status, a.amount, a.liability_outstanding_after) == (
        LINDA,
        "processed",
        D("40.00"),
        D("10.00"),
    )
    assert (b.nominee_id, b.status, b.amount, b.liability_outstanding_after) == (
        THOMAS,
        "processed",
        D("10.00"),
        D("0.00"),
    )
    assert result.liabilities_after == {77: D("0.00")}
    # Payments still come in nominee order, each nominee with a balance of their own.
    assert [p.nominee_id for p in result.payments] == [THOMAS, LINDA]
    assert [p.total_deducted for p in result.payments] == [D("10.00"), D("40.00")]
    assert [line.deduction_id for line in result.lines_in_processing_order] == [1, 2]


def test_lower_priority_on_primary_client_finds_liability_settled_PAY_5():
    """PAY-5: when the higher-priority line of another nominee settles the liability, the
    primary client's lower-priority line is skipped as liability_settled."""
    result = run(
        case(
            [component(1, THOMAS, "200"), component(2, LINDA, "200")],
            [
                deduction(
                    1, priority=2, amount="30", nominee=THOMAS, category="applied", liability=77
                ),
                deduction(
                    2, priority=1, amount="60", nominee=LINDA, category="applied", liability=77
                ),
            ],
            product=LENIENT,
        ),
        {77: D("50.00")},
    )
    assert (line_of(result, 2).amount, line_of(result, 2).reason) == (D("50.00"), None)
    assert (line_of(result, 1).amount, line_of(result, 1).reason) == (
        D("0.00"),
        "liability_settled",
    )


def test_all_nominees_lines_interleave_by_priority_PAY_5_PAY_6():
    """PAY-5, PAY-6: an all-nominees deduction's lines are taken in nominee order at its
    own priority: a priority-1 line of the second nominee comes before them."""
    result = run(
        case(
            [component(1, THOMAS, "100"), component(2, LINDA, "100")],
            [
                deduction(
                    1,
                    priority=2,
                    percentage="20",
                    all_nominees=True,
                    category="applied",
                    liability=77,
                ),
                deduction(
                    2, priority=1, amount="15", nominee=LINDA, category="applied", liability=77
                ),
            ],
            product=LENIENT,
        ),
        {77: D("30.00")},
    )
    assert [
        (line.deduction_id, line.nominee_id, line.amount, line.liability_outstanding_after)
        for line in result.lines_in_processing_order
    ] == [
        (2, LINDA, D("15.00"), D("15.00")),
        (1, THOMAS, D("15.00"), D("0.00")),
        (1, LINDA, D("0.00"), D("0.00")),
    ]
    assert line_of(result, 1, LINDA).reason == "liability_settled"


# Property: generated cases whose applied deductions on several nominees share liabilities.

LIABILITIES = (1, 2)
NOMINEES = (3, 5, 8)


@st.composite
def shared_liability_case(draw):
    nominees = draw(st.lists(st.sampled_from(NOMINEES), min_size=2, max_size=3, unique=True))
    primary = draw(st.sampled_from(nominees))
    components = [
        ComponentInput(
            id=index,
            name=f"K{index}",
            nominee_id=nominee,
            amount=D(draw(st.integers(0, 300_00))).scaleb(-2),
            start_date=CASE_START,
            end_date=None,
            deductible=draw(st.sampled_from([True, True, False])),
            taxable=False,
        )
        for index, nominee in enumerate(nominees, start=1)
    ]
    deductions = []
    for index in range(1, draw(st.integers(2, 7)) + 1):
        kind = draw(st.sampled_from(["fixed", "nominee", "all"]))
        kwargs = {}
        if kind == "fixed":
            kwargs = {
                "amount": D(draw(st.integers(0, 120_00))).scaleb(-2),
                "nominee_id": draw(st.sampled_from(nominees)),
            }
        else:
            kwargs["percentage"] = D(draw(st.integers(0, 60_00))).scaleb(-2)
            if kind == "nominee":
                kwargs["nominee_id"] = draw(st.sampled_from(nominees))
            else:
                kwargs["all_nominees"] = True
        deductions.append(
            DeductionInput(
                id=index,
                name=f"A{index}",
                category=draw(st.sampled_from(["applied", "applied", "applied", "unapplied"])),
                priority=draw(st.integers(1, 5)),
                start_date=CASE_START,
                end_date=date(2099, 1, 1),
                action=draw(st.sampled_from(["skip", "partial"])),
                **kwargs,
            )
        )
    deductions = [
        DeductionInput(
            **{
                **{name: getattr(d, name) for name in DeductionInput.__dataclass_fields__},
                "liability_id": draw(st.sampled_from(LIABILITIES))
                if d.category == "applied"
                else None,
            }
        )
        for d in deductions
    ]
    return CaseInput(
        case_id=1,
        start_date=CASE_START,
        frequency="weekly",
        limits=ProductLimits(
            max_deduction_rate=draw(st.sampled_from([D("25"), D("50"), D("100")])),
            min_deduction_amount=draw(st.sampled_from([D("0"), D("1.00")])),
            min_payment_amount=D("0"),
        ),
        primary_client_id=primary,
        nominee_ids=tuple(nominees),
        components=tuple(components),
        deductions=tuple(deductions),
        override_max_deduction_rate=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(
    the_case=shared_liability_case(),
    outstanding=st.fixed_dictionaries(
        {lid: st.integers(0, 200_00).map(lambda n: D(n).scaleb(-2)) for lid in LIABILITIES}
    ),
)
def test_no_lower_priority_line_before_a_starved_higher_one_PAY_5(the_case, outstanding):
    """PAY-5 (property): taken in the case's priority order across nominees (ties by
    deduction id, one deduction's lines in nominee order: primary client first, then by
    participant id), every applied line draws on what is left of its liability; once a
    line was capped at what was left or skipped for lack of it, no line of that liability
    with a lower priority is processed."""
    result = calculate_period(the_case, WEEK_1, outstanding)
    rank = {
        nominee: (nominee != the_case.primary_client_id, nominee)
        for nominee in the_case.nominee_ids
    }
    lines = sorted(
        (line for payment in result.payments for line in payment.deductions),
        key=lambda line: (line.priority, line.deduction_id, rank[line.nominee_id]),
    )
    left = dict(outstanding)
    starved_at: dict[int, int] = {}  # liability → priority of the first starved line
    for line in lines:
        if line.category != "applied":
            assert line.liability_outstanding_after is None
            continue
        liability = line.liability_id
        before = left[liability]
        if liability in starved_at and line.priority > starved_at[liability]:
            assert line.status == "skipped" and line.reason == "liability_settled"
        if line.status == "processed":
            assert line.amount <= before
            left[liability] = before - line.amount
            if left[liability] == 0 and line.amount < line.requested_amount:
                starved_at.setdefault(liability, line.priority)
        elif line.reason == "liability_settled":
            assert before == 0
            starved_at.setdefault(liability, line.priority)
        assert line.liability_outstanding_after == left[liability]
    assert result.liabilities_after == left


# --- CD-12: the override lifts the rate, not the deductible line ------------------------


def test_override_on_only_non_deductible_component_deducts_nothing_CD_12():
    """CD-12: with the override set, a case whose only component is non-deductible has a
    deductible base of 0 and deducts nothing: the component is never reduced."""
    result = run(
        case(
            [component(1, THOMAS, "100", deductible=False)],
            [
                deduction(1, amount="10", nominee=THOMAS),
                deduction(2, percentage="10", nominee=THOMAS, action="partial"),
            ],
            product=limits("25", "0", "0"),
            override=True,
        )
    )
    (payment,) = result.payments
    assert (payment.deductible_base, payment.total_deductible) == (D("0.00"), D("0.00"))
    assert [(line.status, line.amount) for line in payment.deductions] == [
        ("skipped", D("0.00")),
        ("skipped", D("0.00")),
    ]
    assert (payment.total_deducted, payment.net) == (D("0.00"), D("100.00"))
    assert payment.components[0].deducted == D("0.00")


def test_override_cap_is_the_whole_deductible_base_CD_12_PAY_4():
    """CD-12, PAY-4: with the override the cap is the whole deductible base (100.00 of
    the deductible component), not the net (which includes the non-deductible 100.00)."""
    result = run(
        case(
            [component(1, THOMAS, "100"), component(2, THOMAS, "100", deductible=False)],
            [deduction(1, amount="150", nominee=THOMAS, action="partial")],
            product=limits("25", "0", "0"),
            override=True,
        )
    )
    (payment,) = result.payments
    assert payment.total_deductible == D("100.00")
    assert payment.deductions[0].amount == D("100.00")
    assert [(c.component_id, c.deducted, c.net_after_deductions) for c in payment.components] == [
        (1, D("100.00"), D("0.00")),
        (2, D("0.00"), D("100.00")),
    ]


# --- what the engine computes for the ledger --------------------------------------------


def test_reassessed_component_slices_are_prorated_each_and_added_IC_9_PAY_1():
    """IC-9, PAY-1: two slices of one case component in one period are each prorated on
    their own days and added up into one component line (the latest slice's name)."""
    the_case = case(
        [
            component(1, THOMAS, "70", end=date(2024, 1, 3)),  # 3 of 7 days: 30.00
            ComponentInput(
                id=1,
                name="neu",
                nominee_id=THOMAS,
                amount=D("140"),  # 4 of 7 days: 80.00
                start_date=date(2024, 1, 4),
                end_date=None,
                deductible=True,
                taxable=False,
            ),
        ]
    )
    (payment,) = run(the_case).payments
    (line,) = payment.components
    assert (line.component_id, line.name, line.amount) == (1, "neu", D("110.00"))


def test_deduction_on_component_without_financial_component_is_zero_amount_PAY_6_PAY_9():
    """PAY-6, PAY-9: a case component that has no financial component yet pays nothing; a
    deduction on it asks 0.00 of the primary client's payment and is skipped."""
    the_case = CaseInput(
        case_id=1,
        start_date=CASE_START,
        frequency="weekly",
        limits=LENIENT,
        primary_client_id=THOMAS,
        nominee_ids=(THOMAS,),
        components=(component(1, THOMAS, "100"),),
        deductions=(deduction(1, percentage="10", component=9),),
        pending_component_ids=(9,),
    )
    (payment,) = run(the_case).payments
    (line,) = payment.deductions
    assert (line.nominee_id, line.status, line.reason) == (THOMAS, "skipped", "zero_amount")


def test_shared_deductions_split_over_components_by_what_is_left_PAY_12():
    """PAY-12: a component line stays on its component; nominee lines are split over the
    deductible components in proportion to what each has left (largest remainder)."""
    result = run(
        case(
            [
                component(1, THOMAS, "90"),
                component(2, THOMAS, "60"),
                component(3, THOMAS, "50", deductible=False),
            ],
            [
                deduction(1, percentage="10", component=2),
                deduction(2, amount="25", nominee=THOMAS),
            ],
            product=LENIENT,
        )
    )
    (payment,) = result.payments
    assert [(c.deducted, c.net_after_deductions) for c in payment.components] == [
        (D("15.63"), D("74.37")),  # 25 × 90/144 = 15.625 and 25 × 54/144 = 9.375:
        (D("15.37"), D("44.63")),  # equal remainders, the cent goes to the first
        (D("0.00"), D("50.00")),
    ]
    assert sum(c.deducted for c in payment.components) == payment.total_deducted


def test_deduction_outcomes_sum_processed_lines_and_name_the_last_CD_10():
    """CD-10: over several periods, a deduction's outcome is its processed amounts added
    up, the effective date of its last line and whether that line was processed."""
    the_case = case(
        [component(1, THOMAS, "100")],
        [
            deduction(1, amount="20", nominee=THOMAS, category="applied", liability=77),
            deduction(2, amount="5", nominee=THOMAS),
        ],
        product=LENIENT,
    )
    periods = periods_due(CASE_START, "weekly", up_to=date(2024, 1, 22))
    results = calculate_periods(the_case, periods, {77: D("30.00")})
    outcomes = deduction_outcomes(results)
    assert (outcomes[1].processed_total, outcomes[1].last_on, outcomes[1].last_processed) == (
        D("30.00"),
        date(2024, 1, 22),
        False,
    )
    assert (outcomes[2].processed_total, outcomes[2].last_processed) == (D("15.00"), True)
