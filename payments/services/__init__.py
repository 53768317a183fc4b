"""Writes of the payments app (design rule 1), one module per use case:

- ``simulation``: simulate a case's payments up to a date, optionally save it (SIM-1..3);
- ``runs``: plan a payment run, process its chunks, reconcile and retry runs (PAY-10..13);
- ``leases``: the lease a worker holds on a chunk while it processes it (PAY-13);
- ``ledger``: turn the engine's results for a chunk into ledger rows, set-based.
"""

from .calculation import case_results
from .leases import payment_chunk_lease_renew
from .runs import (
    payment_chunk_process,
    payment_run_check_date,
    payment_run_process_inline,
    payment_run_reclaim,
    payment_run_retry,
    payment_run_start,
    payment_runs_reconcile,
)
from .simulation import simulation_default_name, simulation_notice, simulation_run

__all__ = [
    "case_results",
    "payment_chunk_lease_renew",
    "payment_chunk_process",
    "payment_run_check_date",
    "payment_run_process_inline",
    "payment_run_reclaim",
    "payment_run_retry",
    "payment_run_start",
    "payment_runs_reconcile",
    "simulation_default_name",
    "simulation_notice",
    "simulation_run",
]
