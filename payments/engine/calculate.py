"""The payment calculation (PAY-1..9, PAY-12): one pure function shared by payment runs
and simulation (SIM-1), so that what a caseworker simulates is what is later paid.

No Django, no I/O: plain frozen dataclasses in, plain frozen dataclasses out.

Every payment run computes every case through ``calculate_period``, so it is written for
speed (issue #13, docs/performance.md): locals instead of helper calls per line, the
rounding routines of money.py inline where they run per component, nominee or line (each
falls back to the routine itself on any decimal signal), and the results built by the
fast constructors of construct.py. The results are the same Decimals, to the exponent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter

from .money import (
    CENT,
    EXACT,
    HUNDRED,
    ZERO,
    largest_remainder_split,
    money,
    percent_of,
    prorate,
)
from .periods import Period
from .types import (
    CaseInput,
    DeductionAction,
    DeductionCategory,
    DeductionOutcome,
    LineStatus,
    NomineePayment,
    ParticipantId,
    PeriodResult,
    ProductLimits,
    SkipReason,
    new_component_line,
    new_deduction_line,
    new_nominee_payment,
    new_period_result,
)

# Looked up once: an enum member or a sort key built per line is measurable in a run.
_exact_multiply = EXACT.multiply
_PRIORITY_ORDER = attrgetter("priority", "id")  # PAY-5, ties by deduction id
_SLICE_ORDER = attrgetter("id", "start_date")
_APPLIED = DeductionCategory.APPLIED
_SKIP = DeductionAction.SKIP
_PROCESSED = LineStatus.PROCESSED
_SKIPPED = LineStatus.SKIPPED
_BELOW_TYPE_MIN_AMOUNT = SkipReason.BELOW_TYPE_MIN_AMOUNT
_LIABILITY_SETTLED = SkipReason.LIABILITY_SETTLED
_ZERO_AMOUNT = SkipReason.ZERO_AMOUNT
_INSUFFICIENT_BALANCE = SkipReason.INSUFFICIENT_BALANCE
_BELOW_MIN_DEDUCTION_AMOUNT = SkipReason.BELOW_MIN_DEDUCTION_AMOUNT


def calculate_period(
    case: CaseInput, period: Period, liabilities: Mapping[int, Decimal]
) -> PeriodResult:
    """Every nominee's payment of ``case`` for ``period``.

    ``liabilities`` maps a liability id to its outstanding amount before this
    period; the result's ``liabilities_after`` holds them after it. A liability
    that is absent counts as nothing outstanding, as does an applied deduction
    without a liability: both are skipped as ``liability_settled``.

    Processing order (PAY-5): the deductions in force in the case's priority order
    (ties by deduction id) across all nominees; the lines of one deduction that
    reaches several nominees (all nominees, or none) in nominee order (primary
    client first, then ascending participant id, PAY-6). Each nominee has a balance
    of their own, so the order only matters where nominees draw on something shared:
    one liability, paid by an all-nominees applied deduction (one line per nominee)
    or by several deductions on different nominees. The higher-priority line reduces
    the outstanding amount first, whichever nominee it belongs to, and a later one may
    find it settled or be capped at what is left. Fixing the order by priorities, ids
    and nominee order makes that outcome a function of the data alone — never of the
    order in which rows were read — so a simulation, a payment run and a retried run
    all split a liability the same way.
    """
    _require_balances(liabilities)
    outstanding = dict(liabilities)
    start = period.start
    # PAY-5: the deductions in force by priority, ties by id (sorted only when they do not
    # come so already: the selectors read them by id, and priorities mostly follow).
    deductions = []
    in_order = True
    previous = None
    for deduction in case.deductions:
        if deduction.start_date <= start <= deduction.end_date:
            if in_order and previous is not None:
                # (priority, id) < the previous one's, as the sort key compares them
                if deduction.priority == previous.priority:
                    in_order = deduction.id > previous.id
                else:
                    in_order = deduction.priority > previous.priority
            previous = deduction
            deductions.append(deduction)
    if not in_order:
        deductions.sort(key=_PRIORITY_ORDER)
    lines_by_nominee, component_nominees, component_nets = _component_lines(case, period)
    limits = case.limits
    rate = HUNDRED if case.override_max_deduction_rate else limits.max_deduction_rate
    rate_fraction = rate.scaleb(-2, EXACT)  # rate / 100, exactly
    min_payment_amount = limits.min_payment_amount
    nominees = {}  # in payment order
    for nominee_id in _payment_order(lines_by_nominee, case.primary_client_id):
        nominees[nominee_id] = _NomineeState(
            nominee_id, lines_by_nominee[nominee_id], rate, rate_fraction, min_payment_amount
        )
    min_deduction_amount = limits.min_deduction_amount
    for deduction in deductions:
        # PAY-6: which payments the deduction puts a line on, and what it asks of each.
        amount = deduction.amount
        component_id = deduction.component_id
        if amount is not None:  # fixed: on its nominee
            nominee = nominees.get(deduction.nominee_id)
            if nominee is None:
                continue
            targets = (nominee,)
        elif component_id is not None:  # on a component: its nominee's payment
            nominee = nominees.get(component_nominees[component_id])
            if nominee is None:
                continue
            targets = (nominee,)
        elif deduction.nominee_id is not None:
            nominee = nominees.get(deduction.nominee_id)
            if nominee is None:
                continue
            targets = (nominee,)
        else:  # all nominees, or none (which behaves as all nominees), in payment order
            targets = nominees.values()
        percentage = deduction.percentage
        if percentage is None:
            type_min = type_max = None  # a type's limits bound variable lines only
        else:
            fraction = percentage.scaleb(-2, EXACT)  # percentage / 100, exactly
            type_min = deduction.type_min_amount
            type_max = deduction.type_max_amount
        is_applied = deduction.category is _APPLIED
        liability_id = deduction.liability_id if is_applied else None
        for nominee in targets:
            if amount is not None:
                requested = amount.quantize(CENT, ROUND_HALF_UP)
            else:
                # A component that does not run in the period asks percentage × 0.
                base = (
                    nominee.net if component_id is None else component_nets.get(component_id, ZERO)
                )
                # percent_of(base, percentage), inline (money.py, "fast paths")
                try:
                    requested = _exact_multiply(base, fraction).quantize(CENT, ROUND_HALF_UP)
                except ArithmeticError:
                    requested = percent_of(base, percentage)
                if not requested:
                    requested = ZERO
            balance = nominee.balance
            if not is_applied:
                liability_left = None
            elif liability_id is None:
                liability_left = ZERO
            else:
                liability_left = outstanding.get(liability_id, ZERO)
            # PAY-9: cap and check in the spec's order; the first failing check names the
            # skip reason and the line takes 0.00 (needed/limit: what the check compared).
            taken = requested
            reason = needed = limit = None
            if type_max is not None and taken > type_max:
                taken = type_max.quantize(CENT, ROUND_HALF_UP)
            if type_min is not None and taken < type_min:
                reason, needed, limit = _BELOW_TYPE_MIN_AMOUNT, taken, type_min
            elif liability_left is not None and liability_left <= ZERO:
                reason = _LIABILITY_SETTLED
            else:
                if liability_left is not None and liability_left < taken:  # PAY-7
                    taken = liability_left
                if not taken:
                    reason = _ZERO_AMOUNT
                elif taken > balance:  # PAY-8
                    if deduction.action is _SKIP or balance <= ZERO:
                        reason = _INSUFFICIENT_BALANCE
                        needed, limit = taken, (ZERO if ZERO > balance else balance)
                    else:
                        taken = balance
                if reason is None and taken < min_deduction_amount:
                    reason = _BELOW_MIN_DEDUCTION_AMOUNT
                    needed, limit = taken, min_deduction_amount
            if reason is None:
                status = _PROCESSED
                balance -= taken
                nominee.balance = balance
                if liability_id is not None:
                    liability_left = outstanding[liability_id] = liability_left - taken
                # PAY-12: a line on a component comes from it, any other is shared.
                if component_id is not None and component_id in nominee.deducted:
                    nominee.deducted[component_id] += taken
                else:
                    nominee.shared += taken
            else:
                status = _SKIPPED
                taken = ZERO
            nominee.total_deducted += taken
            nominee.lines.append(
                new_deduction_line(
                    deduction.id,  # deduction_id
                    deduction.name,  # name
                    deduction.category,  # category
                    deduction.priority,  # priority
                    component_id,  # component_id
                    nominee.nominee_id,  # nominee_id
                    status,  # status
                    taken,  # amount
                    reason,  # reason
                    balance,  # balance_after
                    deduction.liability_id,  # liability_id
                    requested,  # requested_amount
                    None if liability_id is None else liability_left,  # liability_outstanding_after
                    needed,  # needed_amount
                    limit,  # limit_amount
                )
            )
    case_id = case.case_id
    return new_period_result(
        period,  # period
        tuple([nominee.payment(case_id, period) for nominee in nominees.values()]),  # payments
        outstanding,  # liabilities_after
    )


def calculate_periods(
    case: CaseInput, periods: Iterable[Period], liabilities: Mapping[int, Decimal]
) -> list[PeriodResult]:
    """``calculate_period`` for each period in turn, carrying the liabilities' outstanding
    amounts from one period into the next (SIM-1: simulate every payment up to a date).
    """
    results = []
    for period in periods:
        result = calculate_period(case, period, liabilities)
        results.append(result)
        liabilities = result.liabilities_after
    return results


def deduction_outcomes(results: Iterable[PeriodResult]) -> dict[int, DeductionOutcome]:
    """CD-10: per deduction, what its lines in ``results`` (periods in date order) did:
    the processed amounts added up, the effective date of its last line, and whether
    that line was processed. A payment run moves each deduction through its status
    transitions with these, once per chunk instead of once per line."""
    totals: dict[int, list] = {}
    for result in results:
        on = result.period.effective_date
        for payment in result.payments:
            for line in payment.deductions:
                outcome = totals.get(line.deduction_id)
                if outcome is None:
                    outcome = totals[line.deduction_id] = [ZERO, on, False]
                outcome[0] += line.amount
                outcome[1] = on
                outcome[2] = line.status is LineStatus.PROCESSED
    return {
        pk: DeductionOutcome(processed_total=total, last_on=on, last_processed=processed)
        for pk, (total, on, processed) in totals.items()
    }


def total_deductible(
    *,
    deductible_base: Decimal,
    net: Decimal,
    limits: ProductLimits,
    override_max_deduction_rate: bool,
) -> Decimal:
    """PAY-4: min(base × maximum rate, net − minimum payment), never below 0.

    The rate cap is rounded to cents before the minimum is taken. CD-12 lifts
    the rate (to 100 %) but never the minimum payment.
    """
    rate = HUNDRED if override_max_deduction_rate else limits.max_deduction_rate
    rate_cap = percent_of(deductible_base, rate)
    return max(ZERO, min(rate_cap, money(net - limits.min_payment_amount)))


class _NomineeState:
    """One nominee's payment while the period's deductions are processed: the component
    lines and totals (PAY-1..4), the running balance, the lines taken so far, and what
    they took from each component and from the payment as a whole (PAY-12)."""

    __slots__ = (
        "nominee_id",
        "components",
        "gross",
        "tax",
        "net",
        "deductible_base",
        "total_deductible",
        "balance",
        "lines",
        "total_deducted",
        "deducted",
        "shared",
    )

    def __init__(
        self,
        nominee_id: ParticipantId,
        components: list[tuple],
        rate: Decimal,
        rate_fraction: Decimal,
        min_payment_amount: Decimal,
    ) -> None:
        # (component id, name, amount, tax, net, deductible), in component id order
        self.nominee_id = nominee_id
        self.components = components
        gross = tax = deductible_base = ZERO
        deducted = {}
        for line in components:  # the sums in component order, from 0.00
            gross += line[2]
            tax += line[3]
            if line[5]:
                deductible_base += line[4]
            deducted[line[0]] = ZERO
        net = gross - tax
        self.gross, self.tax, self.net, self.deductible_base = gross, tax, net, deductible_base
        # PAY-4 as ``total_deductible`` computes it (percent_of inline, money.py).
        try:
            rate_cap = _exact_multiply(deductible_base, rate_fraction).quantize(CENT, ROUND_HALF_UP)
        except ArithmeticError:
            rate_cap = percent_of(deductible_base, rate)
        if not rate_cap:
            rate_cap = ZERO
        headroom = (net - min_payment_amount).quantize(CENT, ROUND_HALF_UP)
        smaller = headroom if headroom < rate_cap else rate_cap
        self.total_deductible = self.balance = smaller if smaller > ZERO else ZERO
        self.lines = []
        self.total_deducted = ZERO  # each line adds its amount, 0.00 when skipped
        self.deducted = deducted  # by the component's own lines
        self.shared = ZERO  # by the lines on the nominee (or all nominees)

    def payment(self, case_id: int, period: Period) -> NomineePayment:
        deducted = self.deducted
        if self.shared:
            _share_out(self.components, deducted, self.shared)
        components = tuple(
            [
                new_component_line(
                    component_id,  # component_id
                    name,  # name
                    amount,  # amount
                    tax,  # tax
                    net,  # net
                    deductible,  # deductible
                    deducted[component_id],  # deducted
                    net - deducted[component_id],  # net_after_deductions
                )
                for component_id, name, amount, tax, net, deductible in self.components
            ]
        )
        # The results' fields by position, in field order (the fast constructors take
        # them so; each is named in its comment).
        return new_nominee_payment(
            case_id,  # case_id
            self.nominee_id,  # nominee_id
            period,  # period
            components,  # components
            self.gross,  # gross
            self.tax,  # tax
            self.net,  # net_before_deductions
            self.deductible_base,  # deductible_base
            self.total_deductible,  # total_deductible
            tuple(self.lines),  # deductions
            self.total_deducted,  # total_deducted
            self.net - self.total_deducted,  # net
        )


def _share_out(components: list[tuple], deducted: dict, shared: Decimal) -> None:
    """PAY-12: the payment's deductions that are not on a component (``shared``, not 0)
    added to ``deducted`` by component.

    They are shared by the deductible components in proportion to what each has left
    after its own component lines (largest remainder, so the parts add up to the cent); a
    share therefore never exceeds what is left of a component.
    """
    # (component id, name, amount, tax, net, deductible)
    # What each deductible component has left; one that its own lines took more than
    # its net from (two component deductions of 60 %) has nothing left, not less.
    weights = []
    positive = 0
    for line in components:
        left = line[4] - deducted[line[0]] if line[5] else ZERO
        if left > ZERO:
            weights.append(left)
            positive += 1
            taker = line[0]
        else:
            weights.append(ZERO)
    if not positive:  # nothing deductible left: fall back to the components' net
        weights = [line[4] for line in components]
        for line in components:
            if line[4] > ZERO:
                positive += 1
                taker = line[0]
    if positive == 1:
        # Nearly always: one component takes it all, as in largest_remainder_split (whose
        # checks hold here: the weights are not negative). The others' parts are 0.00, and
        # adding 0.00 would change neither their value nor their exponent (≤ -2 already).
        deducted[taker] += shared.quantize(CENT, ROUND_HALF_UP)
        return
    for line, part in zip(components, largest_remainder_split(shared, weights), strict=True):
        deducted[line[0]] += part


def _payment_order(
    lines_by_nominee: dict[ParticipantId, list[tuple]], primary_client_id: ParticipantId
) -> list[ParticipantId]:
    """The nominees with a payment, in payment order: the primary client first, then by
    participant id (``CaseInput.ordered_nominee_ids`` of those that are paid)."""
    order = sorted(lines_by_nominee)
    if order and order[0] != primary_client_id and primary_client_id in lines_by_nominee:
        order.remove(primary_client_id)
        order.insert(0, primary_client_id)
    return order


def _component_lines(
    case: CaseInput, period: Period
) -> tuple[dict[ParticipantId, list[tuple]], dict[int, ParticipantId], dict[int, Decimal]]:
    """PAY-1, PAY-2: per nominee, the components running in the period, prorated and taxed,
    as ``(component id, name, amount, tax, net, deductible)`` in component id order; each
    case component's nominee (whom a deduction on it asks); and the net of each component
    running in the period.

    A reassessed component's slices that run in the period are each prorated on their own
    days and added up; name, nominee and flags are those of the latest running slice (the
    latest slice's nominee when none runs). A pending component (no financial component
    yet) counts as the primary client's.
    """
    tax_rate = case.limits.tax_rate
    tax_fraction = tax_rate.scaleb(-2, EXACT) if tax_rate else None
    first_day, last_day = period.start, period.end
    days = (last_day - first_day).days + 1
    by_nominee: dict[ParticipantId, list[tuple]] = {}
    nets: dict[int, Decimal] = {}
    nominees = {}
    for component_id in case.pending_component_ids:
        nominees[component_id] = case.primary_client_id
    slices = case.components
    previous = None
    for component in slices:  # in (id, start date) order already? (as the selectors read)
        if previous is not None and component.id <= previous:
            slices = sorted(slices, key=_SLICE_ORDER)
            break
        previous = component.id
    count = len(slices)
    index = 0
    while index < count:
        latest = slices[index]
        index += 1
        if index == count or slices[index].id != latest.id:  # one slice: nearly every case
            nominees[latest.id] = latest.nominee_id
            start, end = latest.start_date, latest.end_date
            if start <= first_day and (end is None or end >= last_day):  # the whole period
                amount = latest.amount
                try:  # prorate(amount, days, days), inline (money.py, "fast paths")
                    amount = amount.quantize(CENT, ROUND_HALF_UP)
                except ArithmeticError:
                    amount = prorate(amount, days, days)
                if not amount:
                    amount = ZERO
            else:
                covered = latest.covered_days(period)
                if not covered:
                    continue
                amount = prorate(latest.amount, covered, days)
        else:
            running = [(latest, latest.covered_days(period))]
            while index < count and slices[index].id == latest.id:
                running.append((slices[index], slices[index].covered_days(period)))
                index += 1
            nominees[latest.id] = running[-1][0].nominee_id
            running = [(s, covered) for s, covered in running if covered]
            if not running:
                continue
            latest = running[-1][0]
            nominees[latest.id] = latest.nominee_id
            amount = sum((prorate(s.amount, covered, days) for s, covered in running), ZERO)
        if latest.taxable and tax_fraction is not None:
            try:  # percent_of(amount, tax_rate), inline (money.py, "fast paths")
                tax = _exact_multiply(amount, tax_fraction).quantize(CENT, ROUND_HALF_UP)
            except ArithmeticError:
                tax = percent_of(amount, tax_rate)
            if not tax:
                tax = ZERO
        else:
            tax = ZERO
        net = nets[latest.id] = amount - tax
        line = (latest.id, latest.name, amount, tax, net, latest.deductible)
        lines = by_nominee.get(latest.nominee_id)
        if lines is None:
            by_nominee[latest.nominee_id] = [line]
        else:
            lines.append(line)
    return by_nominee, nominees, nets


def _require_balances(liabilities: Mapping[int, Decimal]) -> None:
    for liability_id, amount in liabilities.items():
        if not isinstance(amount, Decimal):
            raise TypeError(
                f"liability {liability_id}: outstanding must be a Decimal, "
                f"got {type(amount).__name__}"
            )
