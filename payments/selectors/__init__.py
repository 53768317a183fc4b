"""Reads of the payments app, one module per what it loads; import from here.

The core is ``case_batch``: everything the pure engine needs for a batch of product
delivery cases (one case for a simulation, a chunk of ~1,000 for a payment run), read in
a fixed number of set-based queries — never a query per case — and mapped into the
engine's frozen input types. Services compute with the engine and persist the results.
"""

from .batch import case_batch, case_data, case_liabilities
from .inputs import (
    DEDUCTION_PROCESSING_FIELDS,
    CaseBatch,
    CaseData,
    ComponentSource,
    DeductionInfo,
    DeductionRow,
    LiabilityState,
)
from .payments import (
    agency_account_case_page,
    agency_account_totals,
    agency_account_type_totals,
    benefit_paid_case_count,
    benefit_paid_until,
    participant_names,
    payment_list,
    payment_run_list,
)
from .processing import deduction_processings, liability_processing_times, recovered_amounts
from .simulations import (
    case_expected_end,
    simulation_compare,
    simulation_list,
    simulation_list_light,
)

__all__ = [
    "DEDUCTION_PROCESSING_FIELDS",
    "CaseBatch",
    "CaseData",
    "ComponentSource",
    "DeductionInfo",
    "DeductionRow",
    "LiabilityState",
    "agency_account_case_page",
    "agency_account_totals",
    "agency_account_type_totals",
    "benefit_paid_case_count",
    "benefit_paid_until",
    "case_batch",
    "case_data",
    "case_liabilities",
    "deduction_processings",
    "liability_processing_times",
    "participant_names",
    "payment_list",
    "payment_run_list",
    "recovered_amounts",
    "simulation_compare",
    "simulation_list",
    "simulation_list_light",
    "case_expected_end",
]
