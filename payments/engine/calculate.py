"""The payment calculation (PAY-1..9, PAY-12): one pure function shared by payment runs
and simulation (SIM-1), so that what a caseworker simulates is what is later paid.

No Django, no I/O: plain frozen dataclasses in, plain frozen dataclasses out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from .money import HUNDRED, ZERO, largest_remainder_split, money, percent_of, prorate
from .periods import Period
from .types import (
    CaseInput,
    ComponentLine,
    DeductionAction,
    DeductionCategory,
    DeductionInput,
    DeductionLine,
    DeductionOutcome,
    LineStatus,
    NomineePayment,
    ParticipantId,
    PeriodResult,
    ProductLimits,
    SkipReason,
)


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
    deductions = sorted(
        (deduction for deduction in case.deductions if deduction.is_in_force(period)),
        key=lambda deduction: (deduction.priority, deduction.id),
    )
    lines_by_nominee, component_nominees = _component_lines(case, period)
    nominees = [
        _NomineeState.start(case, nominee_id, lines_by_nominee[nominee_id])
        for nominee_id in case.ordered_nominee_ids
        if nominee_id in lines_by_nominee
    ]
    for deduction in deductions:
        for nominee in nominees:
            requested = _requested_amount(
                deduction,
                nominee_id=nominee.nominee_id,
                nominee_net=nominee.net,
                net_by_component=nominee.net_by_component,
                component_nominees=component_nominees,
            )
            if requested is None:
                continue
            line = _process_line(
                deduction,
                requested,
                nominee_id=nominee.nominee_id,
                balance=nominee.balance,
                limits=case.limits,
                outstanding=outstanding,
            )
            nominee.balance = line.balance_after
            nominee.lines.append(line)
    payments = tuple(nominee.payment(case.case_id, period) for nominee in nominees)
    return PeriodResult(period=period, payments=payments, liabilities_after=outstanding)


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
    lines and totals (PAY-1..4), the running balance, and the lines taken so far."""

    __slots__ = (
        "nominee_id",
        "components",
        "gross",
        "tax",
        "net",
        "deductible_base",
        "total_deductible",
        "net_by_component",
        "balance",
        "lines",
    )

    @classmethod
    def start(cls, case: CaseInput, nominee_id: ParticipantId, components: list[tuple]):
        state = cls()
        state.nominee_id = nominee_id
        state.components = components
        state.gross = sum((line[2] for line in components), ZERO)
        state.tax = sum((line[3] for line in components), ZERO)
        state.net = state.gross - state.tax
        state.deductible_base = sum((line[4] for line in components if line[5]), ZERO)
        state.total_deductible = total_deductible(
            deductible_base=state.deductible_base,
            net=state.net,
            limits=case.limits,
            override_max_deduction_rate=case.override_max_deduction_rate,
        )
        state.net_by_component = {line[0]: line[4] for line in components}
        state.balance = state.total_deductible  # each processed line reduces it
        state.lines = []
        return state

    def payment(self, case_id: int, period: Period) -> NomineePayment:
        total_deducted = sum((line.amount for line in self.lines), ZERO)
        deducted = _component_deductions(self.components, self.lines)
        return NomineePayment(
            case_id=case_id,
            nominee_id=self.nominee_id,
            period=period,
            components=tuple(
                ComponentLine(
                    component_id=component_id,
                    name=name,
                    amount=amount,
                    tax=tax,
                    net=net,
                    deductible=deductible,
                    deducted=deducted[component_id],
                    net_after_deductions=net - deducted[component_id],
                )
                for component_id, name, amount, tax, net, deductible in self.components
            ),
            gross=self.gross,
            tax=self.tax,
            net_before_deductions=self.net,
            deductible_base=self.deductible_base,
            total_deductible=self.total_deductible,
            deductions=tuple(self.lines),
            total_deducted=total_deducted,
            net=self.net - total_deducted,
        )


def _component_deductions(components: list[tuple], lines: list[DeductionLine]) -> dict:
    """PAY-12: how much of the payment's deductions each component carries.

    A line on a component comes from that component. Lines on the nominee (or all
    nominees) are shared by the deductible components in proportion to what each has
    left after its own component lines (largest remainder, so the parts add up to the
    cent); a share therefore never exceeds what is left of a component.
    """
    deducted = {line[0]: ZERO for line in components}
    shared = ZERO
    for line in lines:
        if not line.amount:
            continue
        if line.component_id is not None and line.component_id in deducted:
            deducted[line.component_id] += line.amount
        else:
            shared += line.amount
    if shared:
        # (component id, name, amount, tax, net, deductible)
        # What each deductible component has left; one that its own lines took more than
        # its net from (two component deductions of 60 %) has nothing left, not less.
        weights = [
            max(ZERO, line[4] - deducted[line[0]]) if line[5] else ZERO for line in components
        ]
        if not any(weights):  # nothing deductible left: fall back to the components' net
            weights = [line[4] for line in components]
        for line, part in zip(components, largest_remainder_split(shared, weights), strict=True):
            deducted[line[0]] += part
    return deducted


def _component_lines(
    case: CaseInput, period: Period
) -> tuple[dict[ParticipantId, list[tuple]], dict[int, ParticipantId]]:
    """PAY-1, PAY-2: per nominee, the components running in the period, prorated and taxed,
    as ``(component id, name, amount, tax, net, deductible)`` in component id order; and
    each case component's nominee (whom a deduction on it asks).

    A reassessed component's slices that run in the period are each prorated on their own
    days and added up; name, nominee and flags are those of the latest running slice (the
    latest slice's nominee when none runs). A pending component (no financial component
    yet) counts as the primary client's.
    """
    tax_rate = case.limits.tax_rate
    days = period.days
    by_nominee: dict[ParticipantId, list[tuple]] = {}
    nominees = {component_id: case.primary_client_id for component_id in case.pending_component_ids}
    slices = sorted(case.components, key=lambda c: (c.id, c.start_date))
    count = len(slices)
    index = 0
    while index < count:
        latest = slices[index]
        index += 1
        if index == count or slices[index].id != latest.id:  # one slice: nearly every case
            covered = latest.covered_days(period)
            nominees[latest.id] = latest.nominee_id
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
        tax = percent_of(amount, tax_rate) if latest.taxable and tax_rate else ZERO
        line = (latest.id, latest.name, amount, tax, amount - tax, latest.deductible)
        by_nominee.setdefault(latest.nominee_id, []).append(line)
    return by_nominee, nominees


def _requested_amount(
    deduction: DeductionInput,
    *,
    nominee_id: ParticipantId,
    nominee_net: Decimal,
    net_by_component: Mapping[int, Decimal],
    component_nominees: Mapping[int, ParticipantId],
) -> Decimal | None:
    """PAY-6: what ``deduction`` asks of this nominee's payment, or None if nothing.

    A component deduction whose component does not run in the period (or has no
    financial component yet) asks percentage × 0 of its nominee's payment, and is
    skipped as ``zero_amount``.
    """
    if deduction.is_fixed:
        return money(deduction.amount) if deduction.nominee_id == nominee_id else None
    if deduction.component_id is not None:
        if component_nominees[deduction.component_id] != nominee_id:
            return None
        net = net_by_component.get(deduction.component_id, ZERO)
        return percent_of(net, deduction.percentage)
    if deduction.nominee_id is not None and deduction.nominee_id != nominee_id:
        return None
    # On this nominee, on all nominees, or on none (which behaves as all nominees).
    return percent_of(nominee_net, deduction.percentage)


def _process_line(
    deduction: DeductionInput,
    requested: Decimal,
    *,
    nominee_id: ParticipantId,
    balance: Decimal,
    limits: ProductLimits,
    outstanding: dict[int, Decimal],
) -> DeductionLine:
    """One line of PAY-6..9; a processed line reduces its liability in ``outstanding``."""
    is_applied = deduction.category is DeductionCategory.APPLIED
    liability_id = deduction.liability_id if is_applied else None
    if not is_applied:
        liability_left = None
    elif liability_id is None:
        liability_left = ZERO
    else:
        liability_left = outstanding.get(liability_id, ZERO)
    amount, reason, needed, limit = _checked_amount(
        deduction,
        requested,
        balance=balance,
        liability_left=liability_left,
        min_deduction_amount=limits.min_deduction_amount,
    )
    if reason is None:
        balance -= amount
        if liability_id is not None:
            outstanding[liability_id] = liability_left - amount
    return DeductionLine(
        deduction_id=deduction.id,
        name=deduction.name,
        category=deduction.category,
        priority=deduction.priority,
        component_id=deduction.component_id,
        nominee_id=nominee_id,
        status=LineStatus.PROCESSED if reason is None else LineStatus.SKIPPED,
        amount=amount,
        reason=reason,
        balance_after=balance,
        liability_id=deduction.liability_id,
        requested_amount=requested,
        liability_outstanding_after=(
            None if liability_id is None else outstanding.get(liability_id, ZERO)
        ),
        needed_amount=needed,
        limit_amount=limit,
    )


def _checked_amount(
    deduction: DeductionInput,
    requested: Decimal,
    *,
    balance: Decimal,
    liability_left: Decimal | None,
    min_deduction_amount: Decimal,
) -> tuple[Decimal, SkipReason | None, Decimal | None, Decimal | None]:
    """PAY-9: cap and check a line in the spec's order; the first failing check names
    the skip reason and the line takes 0.00. ``liability_left`` is None unless applied.

    Returns the amount, the reason, and for a skip that compared two amounts the amount
    checked and the limit it failed (the line's ``needed_amount`` and ``limit_amount``).
    """
    amount = requested
    if not deduction.is_fixed:
        if deduction.type_max_amount is not None and amount > deduction.type_max_amount:
            amount = money(deduction.type_max_amount)
        if deduction.type_min_amount is not None and amount < deduction.type_min_amount:
            return ZERO, SkipReason.BELOW_TYPE_MIN_AMOUNT, amount, deduction.type_min_amount
    if liability_left is not None:
        if liability_left <= 0:
            return ZERO, SkipReason.LIABILITY_SETTLED, None, None
        amount = min(amount, liability_left)  # PAY-7
    if amount == 0:
        return ZERO, SkipReason.ZERO_AMOUNT, None, None
    if amount > balance:  # PAY-8
        if deduction.action is DeductionAction.SKIP or balance <= 0:
            return ZERO, SkipReason.INSUFFICIENT_BALANCE, amount, max(balance, ZERO)
        amount = balance
    if amount < min_deduction_amount:
        return ZERO, SkipReason.BELOW_MIN_DEDUCTION_AMOUNT, amount, min_deduction_amount
    return amount, None, None, None


def _require_balances(liabilities: Mapping[int, Decimal]) -> None:
    for liability_id, amount in liabilities.items():
        if not isinstance(amount, Decimal):
            raise TypeError(
                f"liability {liability_id}: outstanding must be a Decimal, "
                f"got {type(amount).__name__}"
            )
