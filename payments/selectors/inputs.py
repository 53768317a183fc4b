"""The shapes a batch of cases is read into: the engine's input per case, plus what
persisting a run's results needs (deduction details, liability states, the deduction
rows whose processing transitions a run calls)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from ..engine import CaseInput, Period, periods_due


class ComponentSource:
    """Where payments come from (IC-9)."""

    FINANCIAL = "financial"  # payment runs: financial components only
    AUTO = "auto"  # simulation: financial components, or case components before activation


class DeductionInfo(NamedTuple):
    """What persisting a deduction line needs beyond the engine's result (a tuple: a chunk
    makes thousands, and a NamedTuple is made in half the time of a frozen dataclass)."""

    id: int
    case_id: int
    deduction_type_id: int
    category: str
    liability_id: int | None
    third_party_id: int | None
    account_number: str
    reference: str


@dataclass(frozen=True, slots=True)
class LiabilityState:
    outstanding: Decimal
    original: Decimal
    status: str
    liability_case_id: str


@dataclass(slots=True)
class CaseData:
    """One case's engine input, plus what is needed to choose its periods."""

    case: CaseInput
    status: str
    last_paid_end: date | None
    liability_ids: tuple[int, ...]

    def periods_due(
        self, up_to: date, *, limit: int | None = None, case_end: date | None = None
    ) -> list[Period]:
        """Periods due on or before ``up_to`` after the last paid one (PAY-1, PAY-13);
        at most ``limit`` of them; none starting after ``case_end`` when it is given."""
        return periods_due(
            self.case.start_date,
            self.case.frequency,
            up_to=up_to,
            after=self.last_paid_end,
            case_end=case_end,
            limit=limit,
        )

    def input_for(self, period: Period) -> CaseInput:
        """The engine input for ``period``: the same for every period, since the engine
        takes a reassessed component's slices and prorates them itself (PAY-1)."""
        return self.case


class DeductionRow(NamedTuple):
    """A deduction in force, as read for the engine (a tuple: a chunk reads thousands)."""

    pk: int
    case_id: int
    deduction_type_id: int
    category: str
    amount: Decimal | None
    percentage: Decimal | None
    nominee_id: int | None
    component_id: int | None
    all_nominees: bool
    start_date: date
    end_date: date
    priority: int
    status: str
    liability_id: int | None
    third_party_id: int | None
    third_party_account_number: str
    third_party_reference: str
    processed_total: Decimal
    last_processed_on: date | None


# Fields a payment run changes on a deduction (through its FSM transitions, CD-10).
DEDUCTION_PROCESSING_FIELDS = ("id", "status", "processed_total", "last_processed_on")


@dataclass(slots=True)
class CaseBatch:
    cases: dict[int, CaseData]  # by case id, ascending
    deductions: dict[int, DeductionInfo]
    liabilities: dict[int, LiabilityState]
    deduction_rows: dict[int, DeductionRow]
    errors: dict[int, str]  # cases whose data the engine refused, with the reason

    def outstanding(self) -> dict[int, Decimal]:
        return {pk: state.outstanding for pk, state in self.liabilities.items()}
