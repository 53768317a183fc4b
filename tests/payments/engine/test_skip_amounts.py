"""PAY-9: a skipped line carries the two amounts its failing check compared
(``needed_amount``, ``limit_amount``), so that the caseworker's reason can name them;
processed lines and skips without a comparison carry None."""

from decimal import Decimal

import pytest

from .test_calculate import THOMAS, case, component, deduction, limits, only_line, run

D = Decimal


@pytest.mark.parametrize(
    ("kwargs", "product", "liabilities", "expected"),
    [
        pytest.param(
            {"amount": "150", "nominee": THOMAS},
            limits("28"),
            None,
            ("insufficient_balance", D("150.00"), D("112.00")),
            id="insufficient_balance",
        ),
        pytest.param(
            {"amount": "5", "nominee": THOMAS},
            limits("100", min_deduction="20"),
            None,
            ("below_min_deduction_amount", D("5.00"), D("20")),
            id="below_min_deduction_amount",
        ),
        pytest.param(
            {"percentage": "2", "nominee": THOMAS, "type_min": "10"},
            limits("100"),
            None,
            ("below_type_min_amount", D("8.00"), D("10")),
            id="below_type_min_amount",
        ),
        pytest.param(
            {"percentage": "0", "nominee": THOMAS},
            limits("100"),
            None,
            ("zero_amount", None, None),
            id="zero_amount",
        ),
        pytest.param(
            {"amount": "5", "nominee": THOMAS, "category": "applied", "liability": 7},
            limits("100"),
            {7: D("0.00")},
            ("liability_settled", None, None),
            id="liability_settled",
        ),
    ],
)
def test_skipped_line_carries_compared_amounts_PAY_9(kwargs, product, liabilities, expected):
    """PAY-9: 150 asked of 112 available → needed 150.00, limit 112.00; the minimum checks
    name the amount and the minimum; zero and settled skips compare nothing."""
    line = only_line(
        run(
            case([component(1, THOMAS, "400")], [deduction(1, **kwargs)], product=product),
            liabilities,
        )
    )
    assert (str(line.reason), line.needed_amount, line.limit_amount) == expected


def test_partial_line_below_minimum_names_the_capped_amount_PAY_8_PAY_9():
    """PAY-8, PAY-9: a partial line capped at the balance (12.00) and then below the
    product minimum (20.00) names the capped amount, not what it asked for."""
    line = only_line(
        run(
            case(
                [component(1, THOMAS, "100")],
                [deduction(1, amount="30", nominee=THOMAS, action="partial")],
                product=limits("12", min_deduction="20"),
            )
        )
    )
    assert (str(line.reason), line.needed_amount, line.limit_amount) == (
        "below_min_deduction_amount",
        D("12.00"),
        D("20"),
    )


def test_processed_line_carries_no_skip_amounts_PAY_9():
    line = only_line(
        run(case([component(1, THOMAS, "100")], [deduction(1, amount="10", nominee=THOMAS)]))
    )
    assert line.processed
    assert (line.needed_amount, line.limit_amount) == (None, None)
