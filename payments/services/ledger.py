"""Ledger rows from the engine's results (PAY-10..12), written set-based for one chunk.

``LedgerWriter.add`` turns each nominee's payment into rows in memory and moves each
deduction through its FSM transitions (CD-10); ``flush`` writes everything with a few
bulk statements inside the caller's transaction:

- benefit payments and third-party payments (PAY-11, PAY-12);
- processing history, one row per processed or skipped line (PAY-10, CD-15);
- agency account entries for unapplied lines (LI-2);
- the liabilities' new outstanding amounts as the engine left them (they are locked by
  the caller), settled at 0;
- the deductions' status, processed total and last processing date;
- workflow events: ``deduction_skipped`` once per deduction with skipped lines (all its
  skipped nominees and periods in the payload: a case belongs to one chunk, so this is
  once per deduction and payment run, and its supervisor gets one task, not one per
  nominee and period), ``liability_settled`` per liability that reached 0 (WF-1, outbox
  in the same transaction).

No query is made per case or per line, and no amount is computed here: every figure
(lines, per-component deductions, each line's liability balance, the deductions' processed
totals) comes from the engine; the writer only turns them into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from cases.models import Liability, LiabilityStatus
from config.skip_reasons import skip_reason_text
from deductions.models import Deduction
from products.models import DeductionCategory
from workflow.models import EventType, WorkflowEvent
from workflow.services import events_record_bulk

from ..engine import PeriodResult, deduction_outcomes
from ..models import (
    AgencyAccountEntry,
    DeductionProcessing,
    Payment,
    PaymentKind,
    PaymentStatus,
    ProcessingStatus,
)
from ..results import details_json, line_dict, line_json, third_party_details_json
from ..selectors import CaseBatch
from .bulk import rows_insert, rows_update
from .transitions import processing_rows


def _skip_amounts(line_details: dict) -> dict:
    """The requested and compared amounts of a skipped line (PAY-9) for its skip event."""
    return {
        key: line_details[key]
        for key in ("requested_amount", "needed_amount", "limit_amount")
        if key in line_details
    }


@dataclass
class LedgerCounts:
    payments: int = 0
    third_party_payments: int = 0
    lines: int = 0
    skipped: int = 0
    settled: int = 0


@dataclass
class LedgerWriter:
    batch: CaseBatch
    run_id: int | None
    run_date: date
    # Rows as field → value dicts (same key order within a table), written by ``flush``.
    payments: list[dict] = field(default_factory=list)
    processing: list[dict] = field(default_factory=list)
    agency_entries: list[dict] = field(default_factory=list)
    # The index in ``payments`` of the benefit payment each processing/agency row belongs to.
    processing_payment: list[int] = field(default_factory=list)
    agency_payment: list[int] = field(default_factory=list)
    events: list[WorkflowEvent] = field(default_factory=list)
    # Deduction id → (case id, its skipped lines in processing order), for one event each.
    skips: dict[int, tuple[int, list[dict]]] = field(default_factory=dict)
    # The engine's results in the order added (for the deductions' transitions).
    results: list[PeriodResult] = field(default_factory=list)
    # Liability id → outstanding amount after the results added so far (the engine's).
    outstanding: dict[int, Decimal] = field(default_factory=dict)
    # Liability id → (deduction id, case id, period) of the line that settled it.
    settled_by: dict[int, tuple[int, int, PeriodResult]] = field(default_factory=dict)
    counts: LedgerCounts = field(default_factory=LedgerCounts)
    now: datetime = field(default_factory=timezone.now)

    def __post_init__(self) -> None:
        self.outstanding = self.batch.outstanding()

    def _payment_row(
        self,
        *,
        case_id,
        nominee_id,
        payee_id,
        kind,
        period,
        gross,
        tax,
        net,
        details,
        deduction_id=None,
        account_number="",
        reference="",
    ) -> dict:
        return {
            "case_id": case_id,
            "nominee_id": nominee_id,
            "payee_id": payee_id,
            "kind": kind,
            "period_start": period.start,
            "period_end": period.end,
            "effective_date": period.effective_date,
            "gross": gross,
            "tax": tax,
            "net": net,
            "details": details,
            "deduction_id": deduction_id,
            "account_number": account_number,
            "reference": reference,
            "status": PaymentStatus.ISSUED,
            "reissue_of_id": None,
            "cancel_reason": "",
            "cancelled_at": None,
            "cancelled_by_id": None,
            "payment_run_id": self.run_id,
            "created_at": self.now,
        }

    def add(self, case_id: int, result: PeriodResult) -> None:
        """Rows for one case's period result, in the engine's processing order."""
        self.results.append(result)
        self.outstanding.update(result.liabilities_after)
        for nominee_payment in result.payments:
            # The breakdown as JSON text (``results.details_json``: the same JSON as
            # ``stored_details(payment_dict(…))``, without building the dicts).
            lines = [line_json(line) for line in nominee_payment.deductions]
            self.payments.append(
                self._payment_row(
                    case_id=case_id,
                    nominee_id=nominee_payment.nominee_id,
                    payee_id=nominee_payment.nominee_id,
                    kind=PaymentKind.BENEFIT,
                    period=result.period,
                    gross=nominee_payment.gross,
                    tax=nominee_payment.tax,
                    net=nominee_payment.net,
                    details=details_json(nominee_payment, lines),
                )
            )
            payment_index = len(self.payments) - 1
            self.counts.payments += 1
            for line, line_text in zip(nominee_payment.deductions, lines, strict=True):
                self._line(case_id, result, payment_index, line, line_text)

    # Long on purpose (~80 lines): this runs once per deduction line of a payment run, the
    # hot path of docs/performance.md. The processing row, the skip record, the agency
    # entry and the third-party payment are built inline, so a line costs no extra
    # function calls; splitting it into helpers would add one or two calls per line.
    def _line(self, case_id, result, payment_index, line, line_text) -> None:
        period = result.period
        info = self.batch.deductions[line.deduction_id]
        deduction = self.batch.deduction_rows[line.deduction_id]
        liability_id = info.liability_id if info.category == DeductionCategory.APPLIED else None
        liability = self.batch.liabilities.get(liability_id) if liability_id else None
        processed = line.processed
        if (
            processed
            and liability_id is not None
            and line.liability_outstanding_after == 0
            and liability_id not in self.settled_by
        ):
            self.settled_by[liability_id] = (deduction.pk, case_id, result)
        self.counts.lines += 1
        self.processing.append(
            {
                "deduction_id": deduction.pk,
                "payment_id": None,  # set by flush, once the payment has its id
                "nominee_id": line.nominee_id,
                "period_start": period.start,
                "period_end": period.end,
                "status": ProcessingStatus.PROCESSED if processed else ProcessingStatus.SKIPPED,
                "amount": line.amount,
                "reason": "" if line.reason is None else str(line.reason),
                "needed_amount": line.needed_amount,
                "limit_amount": line.limit_amount,
                "balance_after": line.balance_after,
                "liability_id": liability_id,
                "liability_outstanding_after": line.liability_outstanding_after,
                "liability_original": liability.original if liability is not None else None,
                "created_at": self.now,
            }
        )
        self.processing_payment.append(payment_index)
        if not processed:
            self.counts.skipped += 1
            self.skips.setdefault(deduction.pk, (case_id, []))[1].append(
                {
                    "nominee": line.nominee_id,
                    "period_start": period.start.isoformat(),
                    "period_end": period.end.isoformat(),
                    "effective_date": period.effective_date.isoformat(),
                    "reason": str(line.reason),
                    "reason_text": skip_reason_text(line.reason, language=settings.LANGUAGE_CODE),
                    **_skip_amounts(line_dict(line)),
                }
            )
            return
        if info.category == DeductionCategory.UNAPPLIED:
            self.agency_entries.append(
                {
                    "case_id": case_id,
                    "deduction_id": deduction.pk,
                    "deduction_type_id": info.deduction_type_id,
                    "nominee_id": line.nominee_id,
                    "payment_id": None,
                    "period_start": period.start,
                    "period_end": period.end,
                    "effective_date": period.effective_date,
                    "amount": line.amount,
                    "payment_run_id": self.run_id,
                    "created_at": self.now,
                }
            )
            self.agency_payment.append(payment_index)
        elif info.category == DeductionCategory.THIRD_PARTY:
            self.counts.third_party_payments += 1
            self.payments.append(
                self._payment_row(
                    case_id=case_id,
                    nominee_id=line.nominee_id,
                    payee_id=info.third_party_id,
                    kind=PaymentKind.THIRD_PARTY,
                    period=period,
                    gross=line.amount,
                    tax=Decimal("0.00"),
                    net=line.amount,
                    details=third_party_details_json(line_text, line.nominee_id),
                    deduction_id=deduction.pk,
                    account_number=info.account_number,
                    reference=info.reference,
                )
            )

    def flush(self) -> LedgerCounts:
        """Write every row collected so far (inside the caller's transaction)."""
        payment_ids = rows_insert(model=Payment, rows=self.payments, returning=True)
        for row, index in zip(self.processing, self.processing_payment, strict=True):
            row["payment_id"] = payment_ids[index]
        for row, index in zip(self.agency_entries, self.agency_payment, strict=True):
            row["payment_id"] = payment_ids[index]
        rows_insert(model=DeductionProcessing, rows=self.processing)
        rows_insert(model=AgencyAccountEntry, rows=self.agency_entries)
        rows_update(
            model=Deduction,
            fields=["status", "processed_total", "last_processed_on"],
            rows=self._transition_deductions(),
        )
        self.events.extend(self._skip_events())
        self._write_liabilities()
        if self.events:
            events_record_bulk(events=self.events)
        return self.counts

    def _skip_events(self) -> list[WorkflowEvent]:
        """One ``deduction_skipped`` event per deduction with skipped lines (PAY-10, WF-1).

        The top-level reason is the first line's; ``reasons`` lists every distinct one,
        ``lines`` each skipped nominee and period. ``participant_id`` is the nominee when
        all lines are one nominee's."""
        events = []
        for deduction_id, (case_id, lines) in self.skips.items():
            nominees = list(dict.fromkeys(line["nominee"] for line in lines))
            reasons = list(dict.fromkeys(line["reason"] for line in lines))
            events.append(
                WorkflowEvent(
                    event_type=EventType.DEDUCTION_SKIPPED,
                    case_id=case_id,
                    deduction_id=deduction_id,
                    participant_id=nominees[0] if len(nominees) == 1 else None,
                    payload={
                        "reason": lines[0]["reason"],
                        "reason_text": lines[0]["reason_text"],
                        "reasons": reasons,
                        "reason_texts": [
                            skip_reason_text(reason, language=settings.LANGUAGE_CODE)
                            for reason in reasons
                        ],
                        "period_start": min(line["period_start"] for line in lines),
                        "period_end": max(line["period_end"] for line in lines),
                        "effective_date": max(line["effective_date"] for line in lines),
                        "nominees": nominees,
                        "lines": lines,
                        "payment_run": self.run_id,
                    },
                )
            )
        return events

    def _transition_deductions(self) -> list[tuple]:
        """CD-10: move each deduction through its FSM transitions. Lines of one deduction
        in one chunk collapse into at most two transitions with the same end state as one
        per line: the status of the last line, the processed amounts added up, and the
        date of the last line (TransitionNotAllowed fails the whole chunk). Applied to the
        rows as read, with the FSM's sources and targets (``transitions.processing_rows``),
        not through model instances. Returns ``(pk, status, processed_total,
        last_processed_on)`` per deduction."""
        return processing_rows(
            rows=self.batch.deduction_rows, outcomes=deduction_outcomes(self.results).items()
        )

    def _write_liabilities(self) -> None:
        changed = []
        for pk, state in self.batch.liabilities.items():
            new = self.outstanding.get(pk, state.outstanding)
            if new == state.outstanding:
                continue
            settled = new == 0
            changed.append(
                (
                    pk,
                    new,
                    LiabilityStatus.SETTLED if settled else LiabilityStatus.OPEN,
                    self._settled_on(pk) if settled else None,
                )
            )
        # The caller holds these rows locked (FOR UPDATE): the new values are exact.
        rows_update(
            model=Liability, fields=["outstanding_amount", "status", "settled_on"], rows=changed
        )
        settled_events = []
        for pk, (deduction_id, case_id, result) in self.settled_by.items():
            state = self.batch.liabilities[pk]
            self.counts.settled += 1
            settled_events.append(
                WorkflowEvent(
                    event_type=EventType.LIABILITY_SETTLED,
                    case_id=case_id,
                    deduction_id=deduction_id,
                    payload={
                        "liability": pk,
                        "liability_case_id": state.liability_case_id,
                        "original_amount": f"{state.original:.2f}",
                        "period_start": result.period.start.isoformat(),
                        "effective_date": result.period.effective_date.isoformat(),
                        "payment_run": self.run_id,
                    },
                )
            )
        self.events.extend(settled_events)

    def _settled_on(self, pk: int) -> date:
        settled = self.settled_by.get(pk)
        return settled[2].period.effective_date if settled else self.run_date
