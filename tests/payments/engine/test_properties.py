"""Properties of the payment calculation over generated cases (PAY-4..9, PAY-12, SIM-1).

Expected values come from small oracles written here from the requirements, not from
the engine's own intermediate results, so that a wrong engine fails these tests.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from payments.engine import (
    CaseInput,
    ComponentInput,
    DeductionInput,
    Period,
    ProductLimits,
    calculate_period,
    calculate_periods,
    periods_due,
)

D = Decimal
CASE_START = date(2024, 1, 1)
WEEK_1 = Period.between(date(2024, 1, 1), date(2024, 1, 7))
THREE_WEEKS = periods_due(CASE_START, "weekly", up_to=date(2024, 1, 22))
LIABILITY_IDS = (1, 2)
SETTINGS = settings(max_examples=200, deadline=None)


# --- oracles ------------------------------------------------------------------------------


def round_cents(value):
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def oracle_component_nets(case, period, nominee_id):
    """(net, deductible) per component of the nominee running in ``period`` (PAY-1, PAY-2)."""
    rate = case.limits.tax_rate
    nets = []
    for c in case.components:
        first = max(c.start_date, period.start)
        last = min(c.end_date or period.end, period.end)
        covered = (last - first).days + 1
        if c.nominee_id != nominee_id or covered <= 0:
            continue
        amount = round_cents(c.amount * covered / period.days)
        tax = round_cents(amount * rate / 100) if c.taxable and rate else D("0")
        nets.append((c.id, amount - tax, c.deductible))
    return nets


def oracle_nominee_net(case, period, nominee_id):
    return sum((net for _, net, _ in oracle_component_nets(case, period, nominee_id)), D("0"))


def oracle_rate_cap(case, period, nominee_id):
    base = sum(
        (
            net
            for _, net, deductible in oracle_component_nets(case, period, nominee_id)
            if deductible
        ),
        D("0"),
    )
    return round_cents(base * case.limits.max_deduction_rate / 100)


def targets(deduction, case, nominee_id):
    """Whether ``deduction`` puts a line on ``nominee_id``'s payment (PAY-6, CD-7)."""
    if deduction.component_id is not None:
        (component,) = [c for c in case.components if c.id == deduction.component_id]
        return component.nominee_id == nominee_id
    return deduction.nominee_id in (None, nominee_id)


# --- strategies ---------------------------------------------------------------------------


def cents(max_cents):
    return st.integers(0, max_cents).map(lambda n: D(n).scaleb(-2))


def euros(max_euros):
    """Whole euros and cents drawn apart: hypothesis favours small integers, which would
    make nearly every amount a few cents."""
    return st.tuples(st.integers(0, max_euros), st.integers(0, 99)).map(
        lambda drawn: D(min(drawn[0] * 100 + drawn[1], max_euros * 100)).scaleb(-2)
    )


def mostly_positive(max_euros):
    """Amounts above zero nine times in ten: a zero skips everything after it."""
    return st.tuples(st.integers(0, 9), euros(max_euros)).map(
        lambda drawn: drawn[1] if drawn[0] else D("0.00")
    )


def day_between(first, last):
    return st.integers(0, (last - first).days).map(lambda n: first + timedelta(days=n))


@st.composite
def limits_strategy(draw):
    return ProductLimits(
        max_deduction_rate=draw(
            st.sampled_from([D("10"), D("25"), D("30"), D("100")]) | mostly_positive(100)
        ),
        min_deduction_amount=draw(st.sampled_from([D("0"), D("0.01")]) | cents(20_00)),
        min_payment_amount=draw(st.just(D("0")) | cents(300_00)),
        tax_rate=draw(st.none() | cents(40_00)),
    )


@st.composite
def component_strategy(draw, component_id, nominee_ids, last_day):
    start = draw(day_between(date(2023, 12, 25), last_day))
    end = draw(st.none() | day_between(start, last_day + timedelta(days=7)))
    return ComponentInput(
        id=component_id,
        name=f"K{component_id}",
        nominee_id=draw(st.sampled_from(nominee_ids)),
        amount=draw(mostly_positive(2000)),
        start_date=start,
        end_date=end,
        deductible=draw(st.sampled_from([True, True, True, False])),
        taxable=draw(st.booleans()),
    )


@st.composite
def deduction_strategy(
    draw,
    deduction_id,
    nominee_ids,
    component_ids,
    last_day,
    *,
    target=None,
    categories=("applied", "unapplied", "third_party"),
):
    category = draw(st.sampled_from(categories))
    fixed = target is None and draw(st.booleans())
    start = draw(day_between(date(2023, 12, 25), last_day))
    kwargs = {}
    if fixed:
        kwargs = {"amount": draw(cents(300_00)), "nominee_id": draw(st.sampled_from(nominee_ids))}
    else:
        kwargs["percentage"] = draw(cents(100_00))
        target = target or draw(st.sampled_from(["nominee", "component", "all", "none"]))
        if target == "nominee":
            kwargs["nominee_id"] = draw(st.sampled_from(nominee_ids))
        elif target == "component":
            kwargs["component_id"] = draw(st.sampled_from(component_ids))
        elif target == "all":
            kwargs["all_nominees"] = True
        if draw(st.booleans()):
            low, high = sorted([draw(cents(100_00)), draw(cents(200_00))])
            kwargs["type_min_amount"] = draw(st.none() | st.just(low))
            kwargs["type_max_amount"] = draw(st.none() | st.just(high))
    return DeductionInput(
        id=deduction_id,
        name=f"A{deduction_id}",
        category=category,
        priority=draw(st.integers(1, 6)),
        start_date=start,
        end_date=start + timedelta(days=draw(st.integers(0, 30))),
        action=draw(st.sampled_from(["skip", "partial"])),
        liability_id=draw(st.sampled_from([*LIABILITY_IDS, *LIABILITY_IDS, None]))
        if category == "applied"
        else None,
        **kwargs,
    )


@st.composite
def case_strategy(
    draw,
    *,
    last_day=WEEK_1.end,
    with_all_nominees=False,
    categories=("applied", "unapplied", "third_party"),
):
    nominee_ids = draw(st.lists(st.integers(1, 50), min_size=1, max_size=3, unique=True))
    primary = draw(st.sampled_from(nominee_ids) | st.integers(1, 50))
    component_ids = list(range(1, draw(st.integers(1, 5)) + 1))
    components = [draw(component_strategy(i, nominee_ids, last_day)) for i in component_ids]
    deduction_count = draw(st.integers(1, 6))
    deductions = [
        draw(deduction_strategy(i, nominee_ids, component_ids, last_day, categories=categories))
        for i in range(1, deduction_count + 1)
    ]
    if with_all_nominees:
        target = draw(st.sampled_from(["all", "none"]))
        deduction = draw(
            deduction_strategy(99, nominee_ids, component_ids, last_day, target=target)
        )
        deductions.append(deduction)
    return CaseInput(
        case_id=1,
        start_date=CASE_START,
        frequency="weekly",
        override_max_deduction_rate=draw(st.booleans()),
        limits=draw(limits_strategy()),
        primary_client_id=primary,
        nominee_ids=tuple(nominee_ids),
        components=tuple(components),
        deductions=tuple(deductions),
    )


# Mostly something outstanding, sometimes settled from the start.
outstanding_strategy = mostly_positive(500)
liabilities_strategy = st.fixed_dictionaries({i: outstanding_strategy for i in LIABILITY_IDS})


# --- properties ---------------------------------------------------------------------------


@SETTINGS
@given(case=case_strategy(), liabilities=liabilities_strategy)
def test_total_deducted_within_rate_cap_and_minimum_payment_PAY_4_PAY_12(case, liabilities):
    """PAY-4, CD-12, PAY-12: per nominee, deductions never exceed the rate cap (unless
    overridden) nor take the net below the minimum payment; net = net − deductions."""
    result = calculate_period(case, WEEK_1, liabilities)
    for payment in result.payments:
        net = oracle_nominee_net(case, WEEK_1, payment.nominee_id)
        assert payment.net_before_deductions == net
        processed = sum((line.amount for line in payment.deductions), D("0"))
        assert payment.total_deducted == processed
        assert payment.net == net - processed
        if not case.override_max_deduction_rate:
            assert processed <= oracle_rate_cap(case, WEEK_1, payment.nominee_id)
        assert processed <= max(D("0"), net - case.limits.min_payment_amount)
        if processed > 0:
            assert payment.net >= case.limits.min_payment_amount


@SETTINGS
@given(case=case_strategy(), liabilities=liabilities_strategy)
def test_lines_in_priority_order_with_running_balance_PAY_5_PAY_8_PAY_9(case, liabilities):
    """PAY-5, PAY-8, PAY-9: each nominee gets exactly the lines of the deductions in force
    that target them, in priority order (ties by id); processed lines are positive, at
    least the minimum deduction amount, and run the balance down; skipped lines take 0."""
    result = calculate_period(case, WEEK_1, liabilities)
    for payment in result.payments:
        expected_ids = [
            d.id
            for d in sorted(case.deductions, key=lambda d: (d.priority, d.id))
            if d.start_date <= WEEK_1.start <= d.end_date and targets(d, case, payment.nominee_id)
        ]
        assert [line.deduction_id for line in payment.deductions] == expected_ids
        keys = [(line.priority, line.deduction_id) for line in payment.deductions]
        assert keys == sorted(keys)
        balance = payment.total_deductible
        for line in payment.deductions:
            if line.status == "processed":
                assert line.reason is None
                assert line.amount > 0
                assert line.amount >= case.limits.min_deduction_amount
                balance -= line.amount
            else:
                assert line.reason is not None
                assert line.amount == 0
            assert line.balance_after == balance >= 0


@SETTINGS
@given(case=case_strategy(with_all_nominees=True), liabilities=liabilities_strategy)
def test_all_nominees_lines_are_percentage_of_each_net_PAY_6(case, liabilities):
    """PAY-6: an all-nominees (or unassigned) variable deduction puts one line on every
    payment, each percentage × that nominee's net rounded on its own, so they add up."""
    (deduction,) = [d for d in case.deductions if d.id == 99]
    result = calculate_period(case, WEEK_1, liabilities)
    in_force = deduction.start_date <= WEEK_1.start <= deduction.end_date
    requested_total = D("0")
    for payment in result.payments:
        lines = [line for line in payment.deductions if line.deduction_id == 99]
        assert len(lines) == (1 if in_force else 0)
        if lines:
            net = oracle_nominee_net(case, WEEK_1, payment.nominee_id)
            assert lines[0].requested_amount == round_cents(net * deduction.percentage / 100)
            assert lines[0].component_id is None
            requested_total += lines[0].requested_amount
    assert requested_total == sum(
        (
            round_cents(oracle_nominee_net(case, WEEK_1, p.nominee_id) * deduction.percentage / 100)
            for p in result.payments
            if in_force
        ),
        D("0"),
    )


@SETTINGS
@given(case=case_strategy(), liabilities=liabilities_strategy)
def test_line_amounts_follow_assignment_and_type_limits_PAY_6_PAY_9(case, liabilities):
    """PAY-6, PAY-9: a line asks the fixed amount or percentage × the net of its nominee or
    component; what it takes never exceeds that, nor a variable type's maximum amount."""
    deductions = {d.id: d for d in case.deductions}
    result = calculate_period(case, WEEK_1, liabilities)
    for payment in result.payments:
        component_nets = {
            cid: net for cid, net, _ in oracle_component_nets(case, WEEK_1, payment.nominee_id)
        }
        for line in payment.deductions:
            deduction = deductions[line.deduction_id]
            if deduction.amount is not None:
                expected = round_cents(deduction.amount)
            elif deduction.component_id is not None:
                base = component_nets.get(deduction.component_id, D("0"))
                expected = round_cents(base * deduction.percentage / 100)
            else:
                base = oracle_nominee_net(case, WEEK_1, payment.nominee_id)
                expected = round_cents(base * deduction.percentage / 100)
            assert line.requested_amount == expected
            assert line.amount <= expected
            if deduction.amount is None and deduction.type_max_amount is not None:
                assert line.amount <= deduction.type_max_amount


@SETTINGS
@given(
    case=case_strategy(
        last_day=THREE_WEEKS[-1].end, categories=("applied", "applied", "unapplied")
    ),
    liabilities=liabilities_strategy,
)
def test_applied_lines_never_exceed_outstanding_PAY_7_SIM_1(case, liabilities):
    """PAY-7, LI-1, SIM-1: over several periods, each applied line takes at most what is
    still outstanding, outstanding never goes negative, and only applied lines reduce it."""
    results = calculate_periods(case, THREE_WEEKS, liabilities)
    assert [r.period for r in results] == THREE_WEEKS
    outstanding = dict(liabilities)
    rank = {nominee: (nominee != case.primary_client_id, nominee) for nominee in case.nominee_ids}
    for result in results:
        # PAY-5: in the case's priority order across nominees (ties by deduction id, one
        # deduction's lines in nominee order), which is the order lines draw on a liability.
        in_order = sorted(
            (line for payment in result.payments for line in payment.deductions),
            key=lambda line: (line.priority, line.deduction_id, rank[line.nominee_id]),
        )
        for line in in_order:
            if line.category == "applied" and line.status == "processed":
                assert line.liability_id in outstanding
                assert line.amount <= outstanding[line.liability_id]
                outstanding[line.liability_id] -= line.amount
            if line.reason == "liability_settled":
                assert outstanding.get(line.liability_id, D("0")) <= 0
        assert result.liabilities_after == outstanding
        assert all(amount >= 0 for amount in outstanding.values())


@SETTINGS
@given(case=case_strategy(), liabilities=liabilities_strategy, data=st.data())
def test_calculation_is_deterministic_PAY_5_PAY_6(case, liabilities, data):
    """PAY-5, PAY-6: the same input gives the same output, whatever order the components,
    deductions, nominees and liabilities arrive in (rows read in any order)."""
    first = calculate_period(case, WEEK_1, liabilities)
    assert calculate_period(case, WEEK_1, liabilities) == first
    shuffled = CaseInput(
        case_id=case.case_id,
        start_date=case.start_date,
        frequency=case.frequency,
        override_max_deduction_rate=case.override_max_deduction_rate,
        limits=case.limits,
        primary_client_id=case.primary_client_id,
        nominee_ids=tuple(data.draw(st.permutations(case.nominee_ids))),
        components=tuple(data.draw(st.permutations(case.components))),
        deductions=tuple(data.draw(st.permutations(case.deductions))),
    )
    reversed_liabilities = dict(reversed(list(liabilities.items())))
    assert calculate_period(shuffled, WEEK_1, reversed_liabilities) == first
    nominee_order = [p.nominee_id for p in first.payments]
    primary = case.primary_client_id
    assert nominee_order == sorted(nominee_order, key=lambda n: (n != primary, n))
