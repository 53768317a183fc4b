"""Money helpers: the named rounding points of PAY-1 (proration), PAY-2 (tax), PAY-4 (rate
cap) and PAY-6 (percentage lines), and the largest-remainder split of design rule 3."""

from decimal import Decimal

import pytest

from payments.engine.money import (
    CENT,
    ZERO,
    AmountRefused,
    amount_from_input,
    largest_remainder_split,
    money,
    percent_of,
    prorate,
)

D = Decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(D("1.005"), D("1.01"), id="half-cent-rounds-up"),
        pytest.param(D("1.004999"), D("1.00"), id="below-half-rounds-down"),
        pytest.param(D("-1.005"), D("-1.01"), id="negative-half-away-from-zero"),
        pytest.param(D("2.675"), D("2.68"), id="binary-float-trap-2.675"),
        pytest.param(7, D("7.00"), id="int"),
        pytest.param("12.3", D("12.30"), id="str"),
        pytest.param(D("0"), D("0.00"), id="zero"),
    ],
)
def test_money_rounds_half_up_to_cents(value, expected):
    """PAY-2/PAY-6: money() rounds half-up to two places."""
    result = money(value)
    assert result == expected
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize("value", [pytest.param(1.5, id="float"), pytest.param(True, id="bool")])
def test_money_refuses_floats(value):
    """PAY-2, PAY-6 (section 7: all money is Decimal): a float is refused, never rounded."""
    with pytest.raises(TypeError):
        money(value)


def test_constants():
    """PAY-6: money has two places; ZERO carries them too."""
    assert CENT == D("0.01")
    assert ZERO == D("0") and ZERO.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("amount", "percentage", "expected"),
    [
        pytest.param(D("400.14"), D("25"), D("100.04"), id="PAY-4-rate-cap-100.035-up"),
        pytest.param(D("100.00"), D("30"), D("30.00"), id="whole"),
        pytest.param(D("10.00"), D("10"), D("1.00"), id="E3-linda"),
        pytest.param(D("0.05"), D("10"), D("0.01"), id="half-cent-0.005-up"),
        pytest.param(D("0.04"), D("10"), D("0.00"), id="0.004-down"),
        pytest.param(D("33.33"), D("12.5"), D("4.17"), id="fractional-percentage"),
        pytest.param(D("99.99"), D("0"), D("0.00"), id="zero-percent"),
        pytest.param(D("99.99"), D("100"), D("99.99"), id="hundred-percent"),
    ],
)
def test_percent_of(amount, percentage, expected):
    """PAY-2, PAY-4, PAY-6: amount × percentage / 100, rounded half-up once."""
    assert percent_of(amount, percentage) == expected


def test_percent_of_refuses_float():
    """PAY-6 (section 7: all money is Decimal): no float enters a percentage line."""
    with pytest.raises(TypeError):
        percent_of(100.0, D("10"))


@pytest.mark.parametrize(
    ("amount", "covered", "days", "expected"),
    [
        pytest.param(D("100.00"), 7, 7, D("100.00"), id="full-week"),
        pytest.param(D("100.00"), 3, 7, D("42.86"), id="3-of-7-42.857"),
        pytest.param(D("100.00"), 1, 7, D("14.29"), id="1-of-7-14.2857"),
        pytest.param(D("0.07"), 1, 14, D("0.01"), id="exact-half-cent-0.005-up"),
        pytest.param(D("310.00"), 15, 31, D("150.00"), id="15-of-31"),
        pytest.param(D("100.00"), 0, 28, D("0.00"), id="not-covered"),
        pytest.param(D("100.005"), 30, 30, D("100.01"), id="full-period-still-rounds"),
    ],
)
def test_prorate(amount, covered, days, expected):
    """PAY-1: days covered ÷ days in period, rounded half-up to cents."""
    assert prorate(amount, covered, days) == expected


@pytest.mark.parametrize(
    ("covered", "days"),
    [
        pytest.param(8, 7, id="more-than-period"),
        pytest.param(-1, 7, id="negative"),
        pytest.param(0, 0, id="empty-period"),
    ],
)
def test_prorate_refuses_impossible_coverage(covered, days):
    """PAY-1: a component cannot cover more days than the period has."""
    with pytest.raises(ValueError):
        prorate(D("1.00"), covered, days)


@pytest.mark.parametrize(
    ("total", "weights", "expected"),
    [
        pytest.param(
            D("100.00"),
            [D(1), D(1), D(1)],
            [D("33.34"), D("33.33"), D("33.33")],
            id="thirds-first-gets-cent",
        ),
        pytest.param(D("0.05"), [D(1), D(2), D(2)], [D("0.01"), D("0.02"), D("0.02")], id="exact"),
        pytest.param(D("10.00"), [D(1), D(3)], [D("2.50"), D("7.50")], id="quarter"),
        pytest.param(
            D("0.02"),
            [D(1), D(1), D(1)],
            [D("0.01"), D("0.01"), D("0.00")],
            id="fewer-cents-than-parts",
        ),
        pytest.param(
            D("1.00"),
            [D("0.1"), D("0.7"), D("0.2")],
            [D("0.10"), D("0.70"), D("0.20")],
            id="decimal-weights",
        ),
        pytest.param(D("0.10"), [D(0), D(1)], [D("0.00"), D("0.10")], id="zero-weight"),
        pytest.param(D("1.00"), [D(2), D(1)], [D("0.67"), D("0.33")], id="largest-remainder-wins"),
        pytest.param(
            D("-1.00"),
            [D(1), D(1), D(1)],
            [D("-0.33"), D("-0.33"), D("-0.34")],
            id="negative-total",
        ),
    ],
)
def test_largest_remainder_split(total, weights, expected):
    """Design rule 3: a split uses the largest remainder method and adds up exactly."""
    parts = largest_remainder_split(total, weights)
    assert parts == expected
    assert sum(parts) == total


@pytest.mark.parametrize(
    "weights",
    [
        pytest.param([], id="no-weights"),
        pytest.param([D(0), D(0)], id="all-zero"),
        pytest.param([D(1), D(-1)], id="negative"),
    ],
)
def test_largest_remainder_split_refuses_bad_weights(weights):
    """Design rule 3: a split needs non-negative weights that are not all zero."""
    with pytest.raises(ValueError):
        largest_remainder_split(D("1.00"), weights)


# --- amounts entered by a client (cases, components, liabilities) ---------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param("400.50", D("400.50"), id="text"),
        pytest.param(D("1.005"), D("1.01"), id="half-cent-rounds-up"),
        pytest.param(0.1, D("0.10"), id="float-read-as-its-text"),
        pytest.param(7, D("7.00"), id="int"),
        pytest.param("0", D("0.00"), id="zero-allowed"),
        pytest.param("9999999999.99", D("9999999999.99"), id="largest"),
    ],
)
def test_amount_from_input_rounds_to_cents(value, expected):
    assert amount_from_input(value) == expected


@pytest.mark.parametrize(
    ("value", "positive", "code"),
    [
        pytest.param(None, False, "missing", id="none"),
        pytest.param("", False, "missing", id="empty"),
        pytest.param("abc", False, "invalid", id="text"),
        pytest.param("NaN", False, "invalid", id="nan"),
        pytest.param("Infinity", False, "invalid", id="infinity"),
        pytest.param([1], False, "invalid", id="list"),
        pytest.param("-0.01", False, "negative", id="negative"),
        pytest.param("0.004", True, "zero", id="rounds-to-zero"),
        pytest.param("9999999999.995", False, "too_large", id="rounds-over-the-limit"),
        pytest.param("1E+40", False, "too_large", id="beyond-the-context"),
    ],
)
def test_amount_from_input_refusals_carry_a_code(value, positive, code):
    with pytest.raises(AmountRefused) as refused:
        amount_from_input(value, positive=positive)
    assert refused.value.code == code
