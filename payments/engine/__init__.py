"""The pure payment calculation (design rule 2): no Django, no I/O.

Selectors map rows into these input types, ``calculate_period`` /
``calculate_periods`` compute payments, services persist the results.
Simulation and payment runs call the same functions.
"""

from .calculate import (
    calculate_period,
    calculate_periods,
    deduction_outcomes,
    total_deductible,
)
from .money import CENT, ZERO, largest_remainder_split, money, percent_of, prorate
from .periods import Frequency, Period, iter_periods, period_containing, periods_due
from .types import (
    CaseInput,
    ComponentInput,
    ComponentLine,
    DeductionAction,
    DeductionCategory,
    DeductionInput,
    DeductionLine,
    DeductionOutcome,
    LineStatus,
    NomineePayment,
    PeriodResult,
    ProductLimits,
    SkipReason,
)

__all__ = [
    "CENT",
    "ZERO",
    "CaseInput",
    "ComponentInput",
    "ComponentLine",
    "DeductionAction",
    "DeductionCategory",
    "DeductionInput",
    "DeductionLine",
    "DeductionOutcome",
    "Frequency",
    "LineStatus",
    "NomineePayment",
    "Period",
    "PeriodResult",
    "ProductLimits",
    "SkipReason",
    "calculate_period",
    "calculate_periods",
    "deduction_outcomes",
    "iter_periods",
    "largest_remainder_split",
    "money",
    "percent_of",
    "period_containing",
    "periods_due",
    "prorate",
    "total_deductible",
]
