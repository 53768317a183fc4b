"""The engine computes proration, percentages and period boundaries inline (issue #13,
money.py "fast paths"). Every amount it produces must be the very Decimal the named
routines give — value, exponent and the sign of a zero, compared by ``repr`` — also for
inputs a database never holds (three places, no places, -0.00, a rate of -0), and
``periods_due`` must list the periods that ``iter_periods`` enumerates."""

from datetime import date, timedelta
from decimal import Decimal
from itertools import takewhile

from hypothesis import given, settings
from hypothesis import strategies as st

from payments.engine import (
    ZERO,
    CaseInput,
    ComponentInput,
    DeductionInput,
    Frequency,
    Period,
    ProductLimits,
    calculate_period,
    iter_periods,
    largest_remainder_split,
    money,
    percent_of,
    periods_due,
    prorate,
    total_deductible,
)

D = Decimal
START = date(2024, 1, 1)
WEEK = Period.between(START, date(2024, 1, 7))
SETTINGS = settings(max_examples=300, deadline=None)

ODD = [D("0"), D("0.00"), D("-0.00"), D("-0"), D("5"), D("5.000"), D("0.005"), D("1.005")]
ODD += [D("12.345"), D("1E+2"), D("2.675"), D("0.01")]


def amounts(max_cents):
    return st.one_of(
        st.integers(0, max_cents).map(lambda n: D(n).scaleb(-2)),
        st.integers(0, max_cents * 10).map(lambda n: D(n).scaleb(-3)),
        st.sampled_from(ODD),
    )


rates = st.one_of(
    st.sampled_from([D("0"), D("-0"), D("100"), D("100.00"), D("33.333"), D("12.5")]),
    st.integers(0, 10_000).map(lambda n: D(n).scaleb(-2)),
)
days = st.integers(-3, 10).map(lambda n: START + timedelta(days=n))
starts = st.sampled_from([START, START]) | days  # mostly the whole week


@st.composite
def cases(draw):
    nominees = draw(st.lists(st.integers(1, 5), min_size=1, max_size=2, unique=True))
    components = []
    for component_id in range(1, draw(st.integers(1, 3)) + 1):
        start = draw(starts)
        components.append(
            ComponentInput(
                id=component_id,
                name=f"K{component_id}",
                nominee_id=draw(st.sampled_from(nominees)),
                amount=draw(amounts(100_000)),
                start_date=start,
                end_date=draw(st.none() | days.filter(lambda day, start=start: day >= start)),
                deductible=draw(st.sampled_from([True, True, True, False])),
                taxable=draw(st.booleans()),
            )
        )
    deductions = []
    for deduction_id in range(1, draw(st.integers(0, 4)) + 1):
        fixed = draw(st.booleans())
        target = draw(st.sampled_from(["nominee", "component", "all"]))
        deductions.append(
            DeductionInput(
                id=deduction_id,
                name=f"A{deduction_id}",
                category=draw(st.sampled_from(["applied", "unapplied", "third_party"])),
                priority=draw(st.integers(1, 3)),
                start_date=START,
                end_date=date(2024, 12, 31),
                action=draw(st.sampled_from(["skip", "partial"])),
                amount=draw(amounts(5_000)) if fixed else None,
                percentage=None if fixed else draw(rates),
                nominee_id=draw(st.sampled_from(nominees))
                if fixed or target == "nominee"
                else None,
                component_id=draw(st.sampled_from([c.id for c in components]))
                if not fixed and target == "component"
                else None,
                all_nominees=not fixed and target == "all",
                type_max_amount=None if fixed else draw(st.none() | amounts(5_000)),
                liability_id=draw(st.sampled_from([1, 2, None])),
            )
        )
    return CaseInput(
        case_id=1,
        start_date=START,
        frequency="weekly",
        limits=ProductLimits(
            max_deduction_rate=draw(st.sampled_from([D("30"), D("100")]) | rates),
            min_deduction_amount=draw(st.just(D("0")) | amounts(100)),
            min_payment_amount=draw(st.just(D("0")) | amounts(1_000)),
            tax_rate=draw(st.none() | rates),
        ),
        override_max_deduction_rate=draw(st.booleans()),
        primary_client_id=nominees[0],
        nominee_ids=tuple(nominees),
        components=tuple(components),
        deductions=tuple(deductions),
    )


# Small outstanding amounts in odd places: a line capped at one takes its places (PAY-7).
liabilities = st.dictionaries(
    st.sampled_from([1, 2]),
    st.sampled_from([D("5.000"), D("0.005"), D("7"), D("1E+1"), D("3.3333")]) | amounts(50_000),
    max_size=2,
)


def covered_days(component, period):
    first = max(component.start_date, period.start)
    last = period.end if component.end_date is None else min(component.end_date, period.end)
    return max(0, (last - first).days + 1)


@SETTINGS
@given(case=cases(), outstanding=liabilities)
def test_every_amount_is_the_named_routines_decimal(case, outstanding):
    result = calculate_period(case, WEEK, outstanding)
    rate = case.limits.tax_rate
    components = {c.id: c for c in case.components}
    nets = {}
    for payment in result.payments:
        gross = tax = base = ZERO
        for line in payment.components:
            source = components[line.component_id]
            amount = prorate(source.amount, covered_days(source, WEEK), WEEK.days)  # PAY-1
            expected_tax = percent_of(amount, rate) if source.taxable and rate else ZERO  # PAY-2
            assert repr(line.amount) == repr(amount)
            assert repr(line.tax) == repr(expected_tax)
            assert repr(line.net) == repr(amount - expected_tax)
            nets[line.component_id] = line.net
            gross, tax = gross + line.amount, tax + line.tax
            if line.deductible:
                base += line.net
        net = gross - tax
        assert (repr(payment.gross), repr(payment.tax)) == (repr(gross), repr(tax))
        assert repr(payment.net_before_deductions) == repr(net)
        cap = total_deductible(  # PAY-4
            deductible_base=base,
            net=net,
            limits=case.limits,
            override_max_deduction_rate=case.override_max_deduction_rate,
        )
        assert repr(payment.total_deductible) == repr(cap)
        own = {line.component_id: ZERO for line in payment.components}
        shared = total = ZERO
        for line in payment.deductions:  # PAY-6
            deduction = next(d for d in case.deductions if d.id == line.deduction_id)
            if deduction.amount is not None:
                requested = money(deduction.amount)
            elif deduction.component_id is not None:
                requested = percent_of(nets.get(deduction.component_id, ZERO), deduction.percentage)
            else:
                requested = percent_of(net, deduction.percentage)
            assert repr(line.requested_amount) == repr(requested)
            total += line.amount
            if line.amount and line.component_id in own:
                own[line.component_id] += line.amount
            elif line.amount:
                shared += line.amount
        assert repr(payment.total_deducted) == repr(total)
        assert repr(payment.net) == repr(net - total)
        if shared:  # PAY-12: the share-out as largest_remainder_split does it
            weights = [
                max(ZERO, line.net - own[line.component_id]) if line.deductible else ZERO
                for line in payment.components
            ]
            if not any(weights):
                weights = [line.net for line in payment.components]
            parts = largest_remainder_split(shared, weights)
            for line, part in zip(payment.components, parts, strict=True):
                own[line.component_id] += part
        for line in payment.components:
            assert repr(line.deducted) == repr(own[line.component_id])
            assert repr(line.net_after_deductions) == repr(line.net - own[line.component_id])


def reference_periods(start, frequency, *, up_to, after, case_end, limit):
    """periods_due from its docstring, over iter_periods."""
    due = []
    for period in takewhile(
        lambda p: p.effective_date <= up_to and (case_end is None or p.start <= case_end),
        iter_periods(start, frequency),
    ):
        if limit is not None and len(due) == limit:
            break
        if after is None or period.end > after:
            due.append(period)
    return due


anchors = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)) | st.sampled_from(
    [date(2024, 1, 31), date(2024, 2, 29), date(2023, 1, 30), date(2024, 3, 31)]
)


@settings(max_examples=500, deadline=None)
@given(
    start=anchors,
    frequency=st.sampled_from([*Frequency, *(f.value for f in Frequency)]),
    span=st.integers(-40, 800),
    after=st.none() | anchors | st.integers(-10, 400),  # an int: days after start
    case_end=st.none() | anchors | st.integers(-10, 400),
    limit=st.none() | st.integers(0, 12),
)
def test_periods_due_lists_what_iter_periods_enumerates(
    start, frequency, span, after, case_end, limit
):
    up_to = start + timedelta(days=span)
    if isinstance(after, int):  # often a period's last day, the edge of "after"
        after = start + timedelta(days=after)
    if isinstance(case_end, int):
        case_end = start + timedelta(days=case_end)
    due = periods_due(start, frequency, up_to=up_to, after=after, case_end=case_end, limit=limit)
    expected = reference_periods(
        start, frequency, up_to=up_to, after=after, case_end=case_end, limit=limit
    )
    assert repr(due) == repr(expected)
