"""Money arithmetic for the payment engine: the one place that fixes places and rounding.

Every amount is a ``Decimal`` with two places, rounded ``ROUND_HALF_UP`` at named
points only (design rule 3). Divisions that do not terminate (proration, splits)
are done on exact fractions (integer ratios) and rounded once, so that no intermediate
precision limit can move a result across a half-cent.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    InvalidOperation,
)
from fractions import Fraction
from math import lcm

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
# Amounts entered for cases, components and liabilities stay below this (12 digits, 2 places).
AMOUNT_LIMIT = Decimal("10000000000")


def money(value: Decimal | int | str) -> Decimal:
    """Round ``value`` half-up to cents: the single named rounding point.

    Floats are refused: a float has already lost the cents we are asked to keep.
    """
    if isinstance(value, float | bool):
        raise TypeError(f"money() takes Decimal, int or str, not {type(value).__name__}")
    if not isinstance(value, Decimal):
        value = Decimal(value)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class AmountRefused(ValueError):
    """An entered amount the engine cannot take; ``code`` says why: ``missing``,
    ``invalid`` (not a finite number), ``negative``, ``zero`` (when it must be positive)
    or ``too_large``. The caller words it for the page or the API."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def amount_from_input(
    value: Decimal | int | float | str | None, *, positive: bool = False
) -> Decimal:
    """An amount as a client sent it (Decimal, number or text such as "400.50"), rounded
    half-up to cents like every amount of the engine; never negative, never 0 when
    ``positive``, below AMOUNT_LIMIT. Raises AmountRefused.

    A float is read through its shortest text ("0.1", not 0.1000000000000000055…): JSON
    clients send numbers, and their cents must not move."""
    if value is None or value == "":
        raise AmountRefused("missing")
    if isinstance(value, float):
        value = str(value)
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise AmountRefused("invalid") from None
    if not amount.is_finite():
        raise AmountRefused("invalid")
    try:
        amount = money(amount)
    except InvalidOperation:  # more digits than the decimal context holds
        raise AmountRefused("too_large") from None
    if amount < 0:
        raise AmountRefused("negative")
    if positive and amount == 0:
        raise AmountRefused("zero")
    if amount >= AMOUNT_LIMIT:
        raise AmountRefused("too_large")
    return amount


def _money_from_fraction(value: Fraction) -> Decimal:
    """Round an exact fraction half-up (away from zero on .5) to cents."""
    return _cents_from_ratio(value.numerator * 100, value.denominator)


def _cents_from_ratio(numerator: int, denominator: int) -> Decimal:
    """Round the exact number of cents ``numerator`` / ``denominator`` (denominator > 0)
    half-up (away from zero on .5) to whole cents.

    The ratio need not be in lowest terms: dividing both by a common factor changes
    neither the quotient nor whether twice the remainder reaches the denominator, so this
    is the rounding of the ``Fraction`` itself, without its gcd reductions (the payment
    run calls it several times per nominee)."""
    whole, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        whole += 1
    cents = -whole if numerator < 0 else whole
    return Decimal(cents).scaleb(-2).quantize(CENT)


def percent_of(amount: Decimal, percentage: Decimal) -> Decimal:
    """``amount`` × ``percentage`` / 100, rounded half-up to cents (PAY-2, PAY-4, PAY-6)."""
    _require_decimal(amount=amount, percentage=percentage)
    # Exact: amount = a/b and percentage = p/q give a·p / (b·q) cents.
    a, b = amount.as_integer_ratio()
    p, q = percentage.as_integer_ratio()
    return _cents_from_ratio(a * p, b * q)


def prorate(amount: Decimal, covered_days: int, period_days: int) -> Decimal:
    """The part of ``amount`` for ``covered_days`` of a ``period_days`` period (PAY-1).

    Rounded half-up to cents; a fully covered period gives ``money(amount)``.
    """
    _require_decimal(amount=amount)
    if period_days <= 0:
        raise ValueError(f"period_days must be positive, got {period_days}")
    if not 0 <= covered_days <= period_days:
        raise ValueError(f"covered_days must lie in 0..{period_days}, got {covered_days}")
    if isinstance(covered_days, int) and isinstance(period_days, int):
        # Exact: amount = a/b gives a·covered·100 / (b·days) cents.
        a, b = amount.as_integer_ratio()
        return _cents_from_ratio(a * covered_days * 100, b * period_days)
    return _money_from_fraction(Fraction(amount) * covered_days / period_days)


# --- the engine's fast paths (issue #13) --------------------------------------------------
#
# The payment calculation (calculate.py) computes ``percent_of`` and ``prorate`` of a whole
# period inline, for every component, nominee and percentage line, with Decimal operations
# that give the same Decimals — value, exponent and the sign of a zero — at a fraction of
# the cost:
#
#   percent_of(amount, p)     EXACT.multiply(amount, p.scaleb(-2, EXACT))
#                                 .quantize(CENT, ROUND_HALF_UP), and 0.00 for a zero
#   prorate(amount, d, d)     amount.quantize(CENT, ROUND_HALF_UP), and 0.00 for a zero
#
# Both round the exact value half-up (away from zero) to cents once, as the integer ratios
# above do; ``p.scaleb(-2)`` only moves the exponent, and the product in EXACT keeps every
# digit. A zero comes out as 0.00 as from ``_cents_from_ratio`` (never -0.00, which
# quantizing -0 would give). The quantize runs in the current context like the ratios'
# ``scaleb``/``quantize``, so a result with more digits than it holds raises the same
# InvalidOperation; on any decimal signal the engine falls back to ``percent_of`` /
# ``prorate`` themselves, so an input the fast path cannot take (an infinite amount)
# raises exactly what it raised before. tests/payments/engine/test_fast_paths.py checks
# every amount of generated calculations against these routines, Decimal by Decimal.

# Multiplies without rounding: as many digits as the exact product has.
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def largest_remainder_split(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` into cent parts proportional to ``weights`` that add up exactly.

    Each part gets the floor of its exact share in cents; the cents left over go
    one each to the parts with the largest remainders (earlier part first on a
    tie), so the split is deterministic. Raises when the parts would not add up.

    The one largest-remainder routine of the project (PAY-12's split of a payment's
    deductions over its components uses it for every payment of a run): the weights are
    scaled to integers on a common denominator and the shares computed in integer cents,
    which is the exact arithmetic of fractions without building any.
    """
    if not isinstance(total, Decimal):
        raise TypeError(f"total must be a Decimal, got {type(total).__name__}")
    if not weights:
        raise ValueError("largest_remainder_split needs at least one weight")
    for index, weight in enumerate(weights):
        if not isinstance(weight, Decimal):
            raise TypeError(f"weights[{index}] must be a Decimal, got {type(weight).__name__}")
        if weight < 0:
            raise ValueError("weights must not be negative")
    total = money(total)
    positive = [weight for weight in weights if weight > 0]
    if not positive:
        raise ValueError("weights must not all be zero")
    if len(positive) == 1:  # the common case: one deductible component takes it all
        return [total if weight > 0 else ZERO for weight in weights]
    ratios = [weight.as_integer_ratio() for weight in weights]
    denominator = lcm(*(d for _, d in ratios))
    scaled = [n * (denominator // d) for n, d in ratios]
    weight_sum = sum(scaled)
    total_cents = int(total.scaleb(2))
    cents = [total_cents * w // weight_sum for w in scaled]
    remainders = [
        total_cents * w - part * weight_sum for w, part in zip(scaled, cents, strict=True)
    ]
    left_over = total_cents - sum(cents)
    for index in sorted(range(len(cents)), key=lambda i: (-remainders[i], i))[:left_over]:
        cents[index] += 1
    parts = [Decimal(part).scaleb(-2).quantize(CENT) for part in cents]
    if sum(parts, ZERO) != total:
        raise AssertionError(f"split of {total} does not add up: {parts}")
    return parts


def _require_decimal(**values: object) -> None:
    for name, value in values.items():
        if not isinstance(value, Decimal):
            raise TypeError(f"{name} must be a Decimal, got {type(value).__name__}")
