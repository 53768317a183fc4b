"""Input and result types of the payment engine (design rule 2).

Plain frozen dataclasses, so that selectors can map database rows into the
engine and services can persist what comes out, without the engine knowing
about either. Inputs validate the invariants the calculation relies on
(CD-6 amount xor percentage, CD-7 assignment, CD-8 start ≤ end) and refuse
floats: a wrong input fails where it is built, not in the middle of a run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .construct import fast_constructor
from .periods import Frequency, Period

ParticipantId = int


class DeductionCategory(StrEnum):
    APPLIED = "applied"
    UNAPPLIED = "unapplied"
    THIRD_PARTY = "third_party"


class DeductionAction(StrEnum):
    """What to do when a line exceeds the remaining balance (DT-9, PAY-8)."""

    SKIP = "skip"
    PARTIAL = "partial"


class LineStatus(StrEnum):
    PROCESSED = "processed"
    SKIPPED = "skipped"


class SkipReason(StrEnum):
    """Why a deduction line was skipped (PAY-9); the API speaks these codes.

    Codes only: the caseworker's sentences live in the translation catalogue
    (``config.skip_reasons``), never in the engine."""

    BELOW_TYPE_MIN_AMOUNT = "below_type_min_amount"
    LIABILITY_SETTLED = "liability_settled"
    ZERO_AMOUNT = "zero_amount"
    INSUFFICIENT_BALANCE = "insufficient_balance"
    BELOW_MIN_DEDUCTION_AMOUNT = "below_min_deduction_amount"


def _require_money(owner: object, **values: object) -> None:
    for name, value in values.items():
        if value is not None and not isinstance(value, Decimal):
            raise TypeError(
                f"{type(owner).__name__}.{name} must be a Decimal, got {type(value).__name__}"
            )


# --- inputs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ProductLimits:
    """The product's deduction settings (PR-1); rates are percentages 0–100."""

    max_deduction_rate: Decimal
    min_deduction_amount: Decimal
    min_payment_amount: Decimal
    tax_rate: Decimal | None = None

    def __post_init__(self) -> None:
        _require_money(
            self,
            max_deduction_rate=self.max_deduction_rate,
            min_deduction_amount=self.min_deduction_amount,
            min_payment_amount=self.min_payment_amount,
            tax_rate=self.tax_rate,
        )
        for name in ("max_deduction_rate", "tax_rate"):
            rate = getattr(self, name)
            if rate is not None and not 0 <= rate <= 100:
                raise ValueError(f"{name} must lie in 0..100, got {rate}")
        if self.min_deduction_amount < 0 or self.min_payment_amount < 0:
            raise ValueError("minimum amounts must not be negative")


@dataclass(frozen=True, slots=True, kw_only=True)
class ComponentInput:
    """A slice of a case component (IC-8, IC-9): an amount per full period paid to one
    nominee from ``start_date`` to ``end_date``.

    A reassessed case component comes as several slices with the same ``id`` (one per
    financial component, in date order); where two of them fall into one period the
    engine prorates each on its own days and adds them up (PAY-1).
    """

    id: int
    name: str
    nominee_id: ParticipantId
    amount: Decimal
    start_date: date
    end_date: date | None
    deductible: bool
    taxable: bool

    def __post_init__(self) -> None:
        _require_money(self, amount=self.amount)
        if self.amount < 0:
            raise ValueError(f"component {self.id}: amount must not be negative")
        if self.end_date is not None and self.end_date < self.start_date:
            raise ValueError(f"component {self.id}: end date before start date")

    def covered_days(self, period: Period) -> int:
        """Days of ``period`` on which this component runs (0 when it does not)."""
        first = max(self.start_date, period.start)
        last = period.end if self.end_date is None else min(self.end_date, period.end)
        return max(0, (last - first).days + 1)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeductionInput:
    """A case deduction (CD-6, CD-7): fixed ``amount`` xor variable ``percentage``.

    Assignment: a fixed deduction names its nominee; a variable one names at most
    one of a nominee, a component, or ``all_nominees`` — none at all behaves as
    all nominees. ``type_min_amount``/``type_max_amount`` are the deduction type's
    limits, which bound variable lines at processing time (PAY-6).
    """

    id: int
    name: str
    category: DeductionCategory
    priority: int
    start_date: date
    end_date: date
    action: DeductionAction
    amount: Decimal | None = None
    percentage: Decimal | None = None
    nominee_id: ParticipantId | None = None
    component_id: int | None = None
    all_nominees: bool = False
    type_min_amount: Decimal | None = None
    type_max_amount: Decimal | None = None
    liability_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "category", DeductionCategory(self.category))
        object.__setattr__(self, "action", DeductionAction(self.action))
        _require_money(
            self,
            amount=self.amount,
            percentage=self.percentage,
            type_min_amount=self.type_min_amount,
            type_max_amount=self.type_max_amount,
        )
        where = f"deduction {self.id}"
        if (self.amount is None) == (self.percentage is None):
            raise ValueError(f"{where}: give exactly one of amount and percentage")
        if self.amount is not None and self.amount < 0:
            raise ValueError(f"{where}: amount must not be negative")
        if self.percentage is not None and not 0 <= self.percentage <= 100:
            raise ValueError(f"{where}: percentage must lie in 0..100")
        if self.end_date < self.start_date:
            raise ValueError(f"{where}: end date before start date")
        targets = sum(
            (self.nominee_id is not None, self.component_id is not None, self.all_nominees)
        )
        if self.is_fixed and (self.nominee_id is None or targets != 1):
            raise ValueError(f"{where}: a fixed deduction is assigned to one nominee only")
        if targets > 1:
            raise ValueError(f"{where}: assign a nominee, a component or all nominees, not more")

    @property
    def is_fixed(self) -> bool:
        return self.amount is not None

    def is_in_force(self, period: Period) -> bool:
        """PAY-5: start ≤ period start ≤ end."""
        return self.start_date <= period.start <= self.end_date


@dataclass(frozen=True, slots=True, kw_only=True)
class CaseInput:
    """A product delivery case with everything one period's calculation needs.

    ``nominee_ids`` may come in any order: the engine orders nominees itself
    (primary client first, then ascending id, PAY-6). Nominees of components are
    nominees even when missing from ``nominee_ids``.

    ``components`` are component slices (several per case component after a
    reassessment). ``pending_component_ids`` are case components that pay nothing yet
    (no financial component, IC-9): a deduction on one asks 0.00 of the primary
    client's payment and is skipped as ``zero_amount``.
    """

    case_id: int
    start_date: date
    frequency: Frequency
    limits: ProductLimits
    primary_client_id: ParticipantId
    nominee_ids: tuple[ParticipantId, ...]
    components: tuple[ComponentInput, ...]
    deductions: tuple[DeductionInput, ...]
    override_max_deduction_rate: bool = False
    pending_component_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "frequency", Frequency(self.frequency))
        object.__setattr__(self, "nominee_ids", tuple(self.nominee_ids))
        object.__setattr__(self, "components", tuple(self.components))
        object.__setattr__(self, "deductions", tuple(self.deductions))
        object.__setattr__(self, "pending_component_ids", tuple(self.pending_component_ids))
        component_ids = {component.id for component in self.components}
        if component_ids.intersection(self.pending_component_ids):
            raise ValueError(f"case {self.case_id}: a pending component has slices")
        component_ids.update(self.pending_component_ids)
        deduction_ids = [deduction.id for deduction in self.deductions]
        if len(set(deduction_ids)) != len(deduction_ids):
            raise ValueError(f"case {self.case_id}: deduction ids repeat")
        for deduction in self.deductions:
            if deduction.component_id is not None and deduction.component_id not in component_ids:
                raise ValueError(
                    f"case {self.case_id}: deduction {deduction.id} names component "
                    f"{deduction.component_id}, which is not on the case"
                )

    @property
    def ordered_nominee_ids(self) -> tuple[ParticipantId, ...]:
        """Nominees in payment order: the primary client first, then by participant id."""
        nominees = set(self.nominee_ids) | {c.nominee_id for c in self.components}
        return tuple(
            sorted(nominees, key=lambda nominee: (nominee != self.primary_client_id, nominee))
        )


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ComponentLine:
    """A component's share of one payment: prorated gross, its tax and net (PAY-1, PAY-2),
    and the part of the payment's deductions it carries (PAY-12): ``deducted``, leaving
    ``net_after_deductions``."""

    component_id: int
    name: str
    amount: Decimal
    tax: Decimal
    net: Decimal
    deductible: bool
    deducted: Decimal
    net_after_deductions: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class DeductionLine:
    """One deduction on one nominee's payment, processed or skipped with a reason.

    ``requested_amount`` is what the deduction asks for before any cap (the fixed
    amount or percentage × net, PAY-6); ``amount`` is what was taken (0.00 when
    skipped); ``balance_after`` is the nominee's remaining deductible balance;
    ``liability_outstanding_after`` is what the applied line's liability has outstanding
    after this line (None for other lines, and for an applied line without liability).

    On a skipped line whose check compared two amounts, ``needed_amount`` is the amount the
    check looked at and ``limit_amount`` what it was compared with (PAY-9): the remaining
    balance (``insufficient_balance``), the product's minimum deduction
    (``below_min_deduction_amount``) or the type's minimum (``below_type_min_amount``).
    Both are None on processed lines and on the other skips.
    """

    deduction_id: int
    name: str
    category: DeductionCategory
    priority: int
    component_id: int | None
    nominee_id: ParticipantId
    status: LineStatus
    amount: Decimal
    reason: SkipReason | None
    balance_after: Decimal
    liability_id: int | None
    requested_amount: Decimal
    liability_outstanding_after: Decimal | None = None
    needed_amount: Decimal | None = None
    limit_amount: Decimal | None = None

    @property
    def processed(self) -> bool:
        return self.status is LineStatus.PROCESSED


@dataclass(frozen=True, slots=True, kw_only=True)
class NomineePayment:
    """One nominee's payment for one period (PAY-12): gross → tax → deductions → net."""

    case_id: int
    nominee_id: ParticipantId
    period: Period
    components: tuple[ComponentLine, ...]
    gross: Decimal
    tax: Decimal
    net_before_deductions: Decimal
    deductible_base: Decimal
    total_deductible: Decimal
    deductions: tuple[DeductionLine, ...]
    total_deducted: Decimal
    net: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class PeriodResult:
    """All payments of one case for one period, and the liabilities' outstanding after it."""

    period: Period
    payments: tuple[NomineePayment, ...]
    liabilities_after: dict[int, Decimal]

    @property
    def lines_in_processing_order(self) -> list[DeductionLine]:
        """Every line of the period in the order the engine processed them (PAY-5):
        by priority (ties by deduction id) across all nominees, the lines of one
        deduction in nominee order."""
        rank = {payment.nominee_id: index for index, payment in enumerate(self.payments)}
        lines = [line for payment in self.payments for line in payment.deductions]
        return sorted(
            lines, key=lambda line: (line.priority, line.deduction_id, rank[line.nominee_id])
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class DeductionOutcome:
    """What a series of periods did to one deduction (CD-10): the amounts its processed
    lines took in total, the effective date of its last line, and whether that last line
    was processed (else skipped)."""

    processed_total: Decimal
    last_on: date
    last_processed: bool


# Built by the engine through these (see construct.py): ~11 results per case of a run.
new_component_line = fast_constructor(ComponentLine)
new_deduction_line = fast_constructor(DeductionLine)
new_nominee_payment = fast_constructor(NomineePayment)
new_period_result = fast_constructor(PeriodResult)
