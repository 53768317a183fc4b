"""The payment calculation (PAY-1..9, PAY-12): one pure function shared by payment runs
and simulation (SIM-1), so that what a caseworker simulates is what is later paid.

No Django, no I/O: plain frozen dataclasses in, plain frozen dataclasses out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from .money import HUNDRED, ZERO, money, percent_of, prorate
from .periods import Period
from .types import (
    CaseInput,
    ComponentInput,
    ComponentLine,
    DeductionAction,
    DeductionCategory,
    DeductionInput,
    DeductionLine,
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

    Processing order: nominee by nominee in nominee order (primary client first,
    then ascending participant id), and for each nominee the deductions in force
    in priority order (ties by deduction id). Each nominee has a balance of their
    own, so the order only matters where nominees draw on something shared: one
    liability, paid by an all-nominees applied deduction (one line per nominee)
    or by several deductions on different nominees. The line processed first is
    the one that reduces the outstanding amount first, and the last may find it
    settled or be capped at what is left. Fixing the order by ids and priorities
    makes that outcome a function of the data alone — never of the order in
    which rows were read — so a simulation, a payment run and a retried run all
    split a liability the same way.
    """
    _require_balances(liabilities)
    outstanding = dict(liabilities)
    deductions = sorted(
        (deduction for deduction in case.deductions if deduction.is_in_force(period)),
        key=lambda deduction: (deduction.priority, deduction.id),
    )
    components_by_id = {component.id: component for component in case.components}
    payments = []
    for nominee_id in case.ordered_nominee_ids:
        payment = _nominee_payment(
            case,
            period,
            nominee_id=nominee_id,
            deductions=deductions,
            components_by_id=components_by_id,
            outstanding=outstanding,
        )
        if payment is not None:
            payments.append(payment)
    return PeriodResult(period=period, payments=tuple(payments), liabilities_after=outstanding)


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


def _nominee_payment(
    case: CaseInput,
    period: Period,
    *,
    nominee_id: ParticipantId,
    deductions: list[DeductionInput],
    components_by_id: Mapping[int, ComponentInput],
    outstanding: dict[int, Decimal],
) -> NomineePayment | None:
    component_lines = _component_lines(case, period, nominee_id=nominee_id)
    if not component_lines:
        return None
    gross = sum((line.amount for line in component_lines), ZERO)
    tax = sum((line.tax for line in component_lines), ZERO)
    net = gross - tax
    deductible_base = sum((line.net for line in component_lines if line.deductible), ZERO)
    deductible_total = total_deductible(
        deductible_base=deductible_base,
        net=net,
        limits=case.limits,
        override_max_deduction_rate=case.override_max_deduction_rate,
    )
    balance = deductible_total  # the running balance that each processed line reduces
    net_by_component = {line.component_id: line.net for line in component_lines}

    deduction_lines = []
    for deduction in deductions:
        requested = _requested_amount(
            deduction,
            nominee_id=nominee_id,
            nominee_net=net,
            net_by_component=net_by_component,
            components_by_id=components_by_id,
        )
        if requested is None:
            continue
        line = _process_line(
            deduction,
            requested,
            nominee_id=nominee_id,
            balance=balance,
            limits=case.limits,
            outstanding=outstanding,
        )
        balance = line.balance_after
        deduction_lines.append(line)

    total_deducted = sum((line.amount for line in deduction_lines), ZERO)
    return NomineePayment(
        case_id=case.case_id,
        nominee_id=nominee_id,
        period=period,
        components=component_lines,
        gross=gross,
        tax=tax,
        net_before_deductions=net,
        deductible_base=deductible_base,
        total_deductible=deductible_total,
        deductions=tuple(deduction_lines),
        total_deducted=total_deducted,
        net=net - total_deducted,
    )


def _component_lines(
    case: CaseInput, period: Period, *, nominee_id: ParticipantId
) -> tuple[ComponentLine, ...]:
    """PAY-1, PAY-2: the nominee's components running in the period, prorated and taxed."""
    tax_rate = case.limits.tax_rate
    lines = []
    for component in sorted(case.components, key=lambda component: component.id):
        covered = component.covered_days(period)
        if component.nominee_id != nominee_id or covered == 0:
            continue
        amount = prorate(component.amount, covered, period.days)
        tax = percent_of(amount, tax_rate) if component.taxable and tax_rate else ZERO
        lines.append(
            ComponentLine(
                component_id=component.id,
                name=component.name,
                amount=amount,
                tax=tax,
                net=amount - tax,
                deductible=component.deductible,
            )
        )
    return tuple(lines)


def _requested_amount(
    deduction: DeductionInput,
    *,
    nominee_id: ParticipantId,
    nominee_net: Decimal,
    net_by_component: Mapping[int, Decimal],
    components_by_id: Mapping[int, ComponentInput],
) -> Decimal | None:
    """PAY-6: what ``deduction`` asks of this nominee's payment, or None if nothing.

    A component deduction whose component does not run in the period asks
    percentage × 0 of its nominee's payment, and is skipped as ``zero_amount``.
    """
    if deduction.is_fixed:
        return money(deduction.amount) if deduction.nominee_id == nominee_id else None
    if deduction.component_id is not None:
        component = components_by_id[deduction.component_id]
        if component.nominee_id != nominee_id:
            return None
        return percent_of(net_by_component.get(component.id, ZERO), deduction.percentage)
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
    amount, reason = _checked_amount(
        deduction,
        requested,
        balance=balance,
        liability_left=liability_left,
        min_deduction_amount=limits.min_deduction_amount,
    )
    if reason is None:
        balance -= amount
        if liability_id is not None:
            outstanding[liability_id] -= amount
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
    )


def _checked_amount(
    deduction: DeductionInput,
    requested: Decimal,
    *,
    balance: Decimal,
    liability_left: Decimal | None,
    min_deduction_amount: Decimal,
) -> tuple[Decimal, SkipReason | None]:
    """PAY-9: cap and check a line in the spec's order; the first failing check names
    the skip reason and the line takes 0.00. ``liability_left`` is None unless applied.
    """
    amount = requested
    if not deduction.is_fixed:
        if deduction.type_max_amount is not None and amount > deduction.type_max_amount:
            amount = money(deduction.type_max_amount)
        if deduction.type_min_amount is not None and amount < deduction.type_min_amount:
            return ZERO, SkipReason.BELOW_TYPE_MIN_AMOUNT
    if liability_left is not None:
        if liability_left <= 0:
            return ZERO, SkipReason.LIABILITY_SETTLED
        amount = min(amount, liability_left)  # PAY-7
    if amount == 0:
        return ZERO, SkipReason.ZERO_AMOUNT
    if amount > balance:  # PAY-8
        if deduction.action is DeductionAction.SKIP or balance <= 0:
            return ZERO, SkipReason.INSUFFICIENT_BALANCE
        amount = balance
    if amount < min_deduction_amount:
        return ZERO, SkipReason.BELOW_MIN_DEDUCTION_AMOUNT
    return amount, None


def _require_balances(liabilities: Mapping[int, Decimal]) -> None:
    for liability_id, amount in liabilities.items():
        if not isinstance(amount, Decimal):
            raise TypeError(
                f"liability {liability_id}: outstanding must be a Decimal, "
                f"got {type(amount).__name__}"
            )
