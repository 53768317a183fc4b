"""The payment run writes each payment's breakdown (PAY-12) as JSON text built directly
from the engine's results (``results.details_json``); it must be exactly the JSON of
``stored_details(payment_dict(…))``, which simulations show and ``Payment.breakdown()``
reads back — names with quotes, backslashes and umlauts included."""

import json
from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from payments.engine import calculate_period
from payments.results import (
    _m,
    details_json,
    line_dict,
    line_json,
    payment_dict,
    stored_details,
    third_party_details_json,
)

from .engine.test_properties import WEEK_1, case_strategy, liabilities_strategy

NAMES = st.lists(st.text(max_size=12), min_size=12, max_size=12)


@settings(max_examples=300, deadline=None)
@given(case=case_strategy(), liabilities=liabilities_strategy, names=NAMES)
def test_details_json_is_the_stored_breakdown_PAY_12(case, liabilities, names):
    case = replace(
        case,
        components=tuple(replace(c, name=n) for c, n in zip(case.components, names, strict=False)),
        deductions=tuple(
            replace(d, name=n) for d, n in zip(case.deductions, names[6:], strict=False)
        ),
    )
    result = calculate_period(case, WEEK_1, liabilities)
    for payment in result.payments:
        lines = [line_json(line) for line in payment.deductions]
        assert json.loads(details_json(payment, lines)) == stored_details(payment_dict(payment))
        for line, text in zip(payment.deductions, lines, strict=True):
            assert json.loads(text) == line_dict(line)
            assert json.loads(third_party_details_json(text, line.nominee_id)) == {
                "deduction": line_dict(line),
                "benefit_nominee": line.nominee_id,
            }


MONEY = st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=2)
ANY = st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False)


@settings(max_examples=500, deadline=None)
@given(value=MONEY | ANY)
def test_money_text_is_two_decimals_formatting(value):
    assert _m(value) == f"{value:.2f}"


def test_money_text_edge_cases():
    for text in [
        "0",
        "-0",
        "0.00",
        "-0.00",
        "0E-2",
        "1E+1",
        "1.5E+3",
        "12.345",
        "12.3",
        "1.005",
        "-1.995",
        "123456789.12",
        "0.0000001",
        "NaN",
        "Infinity",
        "-Infinity",
    ]:
        value = Decimal(text)
        assert _m(value) == f"{value:.2f}", text
