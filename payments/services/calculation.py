"""The one place where database-backed code calls the pure engine, so that a simulation
and a payment run compute a case in exactly the same way (SIM-1)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..engine import Period, PeriodResult, calculate_period
from ..selectors import CaseData

ZERO = Decimal("0.00")


def case_results(
    *, data: CaseData, periods: Iterable[Period], outstanding: dict[int, Decimal]
) -> list[PeriodResult]:
    """The engine's result for each period in turn.

    ``outstanding`` maps liability ids to their outstanding amounts and is updated in place
    as the periods reduce them, so it can be shared by all cases of a chunk (a liability
    paid from several cases is reduced by each in case order)."""
    results = []
    liability_ids = data.liability_ids
    for period in periods:
        own = {}
        for pk in liability_ids:  # (a loop: a comprehension costs a call per period)
            own[pk] = outstanding.get(pk, ZERO)
        result = calculate_period(data.input_for(period), period, own)
        outstanding.update(result.liabilities_after)
        results.append(result)
    return results
