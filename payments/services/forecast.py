"""Payoff forecast (LI-3): when a liability will be repaid, in how many payments and with
how much each, found by running the engine forward over the cases' future periods with the
deductions in force today — the same calculation as the payment runs, never a formula.

A liability may be paid by deductions on several cases (one overpayment recovered from two
benefits). The forecast simulates every case whose deductions draw on it — and, so that each
of those cases' balances come out right, every case sharing another liability with them — in
the order runs would pay them: payment date by payment date, cases by id on the same date.
It assumes a payment run on every payment date (the runs' schedule) and that each case is
paid until its expected end (``Voraussichtliches Fall-Enddatum``).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CaseStatus, Liability, LiabilityStatus, ProductDeliveryCase
from config.dates import format_date
from config.money_format import format_money as money_text
from deductions.models import IN_FORCE_STATUSES, Deduction
from products.models import DeductionCategory

from .. import selectors
from ..engine import CaseInput, Period, periods_due
from ..selectors import CaseData
from .calculation import case_results

ZERO = Decimal("0.00")

# Without an expected case end the forecast looks ten years ahead (520 weekly payments).
HORIZON_YEARS = 10
# A liability shared across many cases is unusual; past this the closure stops growing.
MAX_CASES = 50


class ForecastStatus:
    REPAID = "repaid"  # repaid within the horizon
    NOT_REPAID = "not_repaid"  # still open at the case's expected end
    SETTLED = "settled"  # nothing outstanding today
    NO_DEDUCTION = "no_deduction"  # no applied deduction in force pays it


@dataclass(frozen=True, slots=True)
class Instalment:
    """What the payments of one payment date take from the liability."""

    date: date
    amount: Decimal
    outstanding_after: Decimal


@dataclass(frozen=True, slots=True)
class Forecast:
    liability_id: int
    outstanding: Decimal
    status: str
    horizon: date | None
    schedule: tuple[Instalment, ...] = ()
    case_ids: tuple[int, ...] = ()
    deduction_ids: tuple[int, ...] = ()
    remaining: Decimal = ZERO

    @property
    def payoff_date(self) -> date | None:
        return self.schedule[-1].date if self.status == ForecastStatus.REPAID else None

    @property
    def payments(self) -> int:
        return len(self.schedule)

    @property
    def regular_amount(self) -> Decimal | None:
        """The amount most payments take (the first one, where they differ)."""
        if not self.schedule:
            return None
        counts: dict[Decimal, int] = {}
        for item in self.schedule:
            counts[item.amount] = counts.get(item.amount, 0) + 1
        return max(counts, key=lambda amount: (counts[amount], -self._first_index(amount)))

    def _first_index(self, amount: Decimal) -> int:
        return next(i for i, item in enumerate(self.schedule) if item.amount == amount)

    @property
    def last_amount(self) -> Decimal | None:
        return self.schedule[-1].amount if self.schedule else None

    @property
    def shared(self) -> bool:
        return len(self.case_ids) > 1

    @property
    def reason(self) -> str | None:
        """Why there is no payoff date, in a sentence for the caseworker; None if repaid."""
        if self.status == ForecastStatus.NOT_REPAID:
            return _(
                "wird bis zum voraussichtlichen Fallende (%(date)s) nicht getilgt: "
                "%(amount)s bleiben offen"
            ) % {"date": format_date(self.horizon), "amount": format_money(self.remaining)}
        if self.status == ForecastStatus.SETTLED:
            return _("Die Verbindlichkeit ist bereits beglichen.")
        if self.status == ForecastStatus.NO_DEDUCTION:
            return _("Kein laufender ausgeführter Abzug tilgt diese Verbindlichkeit.")
        return None

    def as_dict(self) -> dict:
        """The API's shape (docs/api-additions.md): money as strings, dates ISO."""
        regular, last = self.regular_amount, self.last_amount
        return {
            "liability": self.liability_id,
            "status": self.status,
            "outstanding_amount": _m(self.outstanding),
            "payoff_date": _iso(self.payoff_date),
            "payments": self.payments,
            "amount_per_payment": None if regular is None else _m(regular),
            "last_amount": None if last is None else _m(last),
            "horizon": _iso(self.horizon),
            "remaining_amount": _m(self.remaining),
            "reason": self.reason,
            "cases": list(self.case_ids),
            "deductions": list(self.deduction_ids),
            "schedule": [
                {
                    "date": item.date.isoformat(),
                    "amount": _m(item.amount),
                    "outstanding_after": _m(item.outstanding_after),
                }
                for item in self.schedule
            ],
        }


def _m(value: Decimal) -> str:
    return f"{value:.2f}"


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def format_money(value: Decimal) -> str:
    """Money in the active language: "1.240,00 €" / "€1,240.00" (config.money_format)."""
    return money_text(value)


@dataclass(slots=True)
class ForecastInput:
    """The cases to run forward, their horizons and the outstanding amounts to start from.
    What-if (SIM-4) swaps a case's engine input before running it."""

    cases: dict[int, CaseData]
    horizons: dict[int, date]
    outstanding: dict[int, Decimal]
    deductions_by_liability: dict[int, list[int]] = field(default_factory=dict)


def _closure(liability_ids: Iterable[int]) -> tuple[set[int], set[int]]:
    """Cases paying the liabilities, and every case sharing a liability with them."""
    liabilities = set(liability_ids)
    cases: set[int] = set()
    in_force = Deduction.objects.filter(
        status__in=IN_FORCE_STATUSES, category=DeductionCategory.APPLIED
    ).exclude(case__status=CaseStatus.CLOSED)
    frontier = set(liabilities)
    while frontier and len(cases) < MAX_CASES:
        new_cases = (
            set(in_force.filter(liability_id__in=frontier).values_list("case_id", flat=True))
            - cases
        )
        if not new_cases:
            break
        cases |= new_cases
        more = set(
            in_force.filter(case_id__in=new_cases)
            .exclude(liability_id__isnull=True)
            .values_list("liability_id", flat=True)
        )
        frontier = more - liabilities
        liabilities |= more
    return cases, liabilities


def forecast_input(*, liability_ids: Iterable[int], today: date | None = None) -> ForecastInput:
    """Read what the forecast of ``liability_ids`` needs (a fixed number of queries plus one
    pair per step of the shared-liability closure)."""
    today = today or timezone.localdate()
    case_ids, _liabilities = _closure(liability_ids)
    batch = selectors.case_batch(
        case_ids=sorted(case_ids), components=selectors.ComponentSource.AUTO
    )
    ends = dict(
        ProductDeliveryCase.objects.filter(pk__in=batch.cases).values_list(
            "pk", "expected_end_date"
        )
    )
    horizons = {
        case_id: ends.get(case_id) or _years_later(today, HORIZON_YEARS) for case_id in batch.cases
    }
    by_liability: dict[int, list[int]] = {}
    for info in batch.deductions.values():
        if info.liability_id is not None and info.category == DeductionCategory.APPLIED:
            by_liability.setdefault(info.liability_id, []).append(info.id)
    return ForecastInput(
        cases=batch.cases,
        horizons=horizons,
        outstanding=batch.outstanding(),
        deductions_by_liability=by_liability,
    )


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _future_periods(data: CaseData, horizon: date) -> list[Period]:
    """The periods the runs will still pay: after the last paid one, up to the period that
    contains the expected end."""
    return periods_due(
        data.case.start_date,
        data.case.frequency,
        up_to=date.max.replace(year=9998),
        after=data.last_paid_end,
        case_end=horizon,
    )


def run_forward(
    *, source: ForecastInput, targets: Iterable[int] | None = None
) -> dict[int, list[Instalment]]:
    """Every case's future periods through the engine, in run order (payment date, then case
    id); per liability, what each payment date takes from it. Stops early once every target
    liability is repaid."""
    outstanding = dict(source.outstanding)
    wanted = set(source.outstanding if targets is None else targets)
    taken: dict[int, dict[date, Decimal]] = {pk: {} for pk in outstanding}
    queue: list[tuple[date, int, int]] = []
    periods: dict[int, list[Period]] = {}
    for case_id, data in source.cases.items():
        periods[case_id] = _future_periods(data, source.horizons[case_id])
        if periods[case_id]:
            heapq.heappush(queue, (periods[case_id][0].effective_date, case_id, 0))
    while queue:
        if wanted and all(outstanding.get(pk, ZERO) <= 0 for pk in wanted):
            break
        _when, case_id, index = heapq.heappop(queue)
        period = periods[case_id][index]
        before = dict(outstanding)
        case_results(data=source.cases[case_id], periods=[period], outstanding=outstanding)
        for pk, amount in outstanding.items():
            diff = before.get(pk, ZERO) - amount
            if diff:
                by_date = taken.setdefault(pk, {})
                by_date[period.effective_date] = by_date.get(period.effective_date, ZERO) + diff
        if index + 1 < len(periods[case_id]):
            heapq.heappush(queue, (periods[case_id][index + 1].effective_date, case_id, index + 1))
    result: dict[int, list[Instalment]] = {}
    for pk, by_date in taken.items():
        left = source.outstanding.get(pk, ZERO)
        items = []
        for day in sorted(by_date):
            left -= by_date[day]
            items.append(Instalment(day, by_date[day], left))
        result[pk] = items
    return result


def forecasts_from(
    *, source: ForecastInput, liability_ids: Iterable[int], statuses: dict[int, str]
) -> dict[int, Forecast]:
    """Forecasts of ``liability_ids`` from an input (today's, or a what-if's)."""
    liability_ids = list(liability_ids)
    schedules = run_forward(source=source, targets=liability_ids)
    result = {}
    for pk in liability_ids:
        outstanding = source.outstanding.get(pk, ZERO)
        deduction_ids = tuple(sorted(source.deductions_by_liability.get(pk, [])))
        case_ids = tuple(
            sorted(
                case_id
                for case_id, data in source.cases.items()
                if any(d.liability_id == pk for d in data.case.deductions)
            )
        )
        if statuses.get(pk) == LiabilityStatus.SETTLED or outstanding <= 0:
            result[pk] = Forecast(pk, ZERO, ForecastStatus.SETTLED, None)
            continue
        if not case_ids:
            result[pk] = Forecast(pk, outstanding, ForecastStatus.NO_DEDUCTION, None)
            continue
        schedule = tuple(schedules.get(pk, []))
        horizon = max(source.horizons[case_id] for case_id in case_ids)
        remaining = schedule[-1].outstanding_after if schedule else outstanding
        result[pk] = Forecast(
            liability_id=pk,
            outstanding=outstanding,
            status=ForecastStatus.REPAID if remaining <= 0 else ForecastStatus.NOT_REPAID,
            horizon=horizon,
            schedule=schedule,
            case_ids=case_ids,
            deduction_ids=deduction_ids,
            remaining=max(remaining, ZERO),
        )
    return result


def liability_forecasts(
    *, liability_ids: Iterable[int], today: date | None = None
) -> dict[int, Forecast]:
    """LI-3: the forecast of each liability, by id (one run forward for all of them)."""
    liability_ids = sorted(set(liability_ids))
    if not liability_ids:
        return {}
    statuses = dict(Liability.objects.filter(pk__in=liability_ids).values_list("pk", "status"))
    source = forecast_input(liability_ids=liability_ids, today=today)
    for pk, status in statuses.items():
        if pk not in source.outstanding and status == LiabilityStatus.OPEN:
            source.outstanding[pk] = Liability.objects.values_list(
                "outstanding_amount", flat=True
            ).get(pk=pk)
    return forecasts_from(
        source=source,
        liability_ids=[pk for pk in liability_ids if pk in statuses],
        statuses=statuses,
    )


def liability_forecast(*, liability_id: int, today: date | None = None) -> Forecast:
    """LI-3: one liability's forecast (Liability.DoesNotExist when there is none)."""
    forecast = liability_forecasts(liability_ids=[liability_id], today=today).get(liability_id)
    if forecast is None:
        raise Liability.DoesNotExist(liability_id)
    return forecast


def with_case_input(*, source: ForecastInput, case_id: int, case_input: CaseInput) -> ForecastInput:
    """A copy of ``source`` in which one case computes with another engine input (what-if)."""
    cases = dict(source.cases)
    cases[case_id] = replace(source.cases[case_id], case=case_input)
    return replace(source, cases=cases)
