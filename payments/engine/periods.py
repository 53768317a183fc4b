"""Payment periods of a product delivery case (PAY-1).

Periods are numbered from the case's start date; the n-th period boundary is
computed from that start date directly (never from the previous boundary), so a
monthly case that starts on 31 January keeps returning to the 31st
(31 Jan → 28 Feb → 31 Mar) instead of drifting to the 28th.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .construct import fast_constructor

ONE_DAY = timedelta(days=1)


class Frequency(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    FOUR_WEEKLY = "four_weekly"
    MONTHLY = "monthly"


FIXED_LENGTH_DAYS = {
    Frequency.WEEKLY: 7,
    Frequency.FORTNIGHTLY: 14,
    Frequency.FOUR_WEEKLY: 28,
}


@dataclass(frozen=True, slots=True)
class Period:
    """One payment period, both ends inclusive; paid on ``effective_date`` (the day after)."""

    start: date
    end: date
    effective_date: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")
        if self.effective_date != self.end + ONE_DAY:
            raise ValueError("a period's effective date is the day after its end")

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        """The period from ``start`` to ``end`` inclusive, due the day after ``end``."""
        return cls(start, end, end + ONE_DAY)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


_WEEKLY, _FORTNIGHTLY, _FOUR_WEEKLY = Frequency.WEEKLY, Frequency.FORTNIGHTLY, Frequency.FOUR_WEEKLY
_ONE_WEEK, _TWO_WEEKS, _FOUR_WEEKS = (
    timedelta(days=FIXED_LENGTH_DAYS[frequency])
    for frequency in (_WEEKLY, _FORTNIGHTLY, _FOUR_WEEKLY)
)

# periods_due's periods pass Period's checks by construction (a boundary is always after the
# previous one; the effective date is the next boundary): built without re-checking them.
_new_period = fast_constructor(Period, checked_by_caller=True)


def _add_months(anchor: date, months: int) -> date:
    """``anchor`` moved by ``months`` months, its day clamped to the target month's end."""
    month_index = anchor.month - 1 + months
    year, month = anchor.year + month_index // 12, month_index % 12 + 1
    return anchor.replace(year=year, month=month, day=min(anchor.day, _month_length(year, month)))


def _month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _boundary(start: date, frequency: Frequency, index: int) -> date:
    """First day of period number ``index`` (0-based)."""
    if frequency is Frequency.MONTHLY:
        return _add_months(start, index)
    return start + timedelta(days=FIXED_LENGTH_DAYS[frequency] * index)


def _period_at(start: date, frequency: Frequency, index: int) -> Period:
    return Period.between(
        _boundary(start, frequency, index), _boundary(start, frequency, index + 1) - ONE_DAY
    )


def _index_containing(start: date, frequency: Frequency, day: date) -> int:
    """Index of the period containing ``day`` (``day`` must not lie before ``start``)."""
    if frequency is Frequency.MONTHLY:
        index = (day.year - start.year) * 12 + day.month - start.month
        # The boundary of that index lies in day's own month; if it is still ahead of
        # day, day belongs to the previous period.
        return index - 1 if _boundary(start, frequency, index) > day else index
    return (day - start).days // FIXED_LENGTH_DAYS[frequency]


def iter_periods(start: date, frequency: Frequency | str) -> Iterator[Period]:
    """All periods of a case starting on ``start``, in order, without end."""
    frequency = Frequency(frequency)
    index = 0
    while True:
        yield _period_at(start, frequency, index)
        index += 1


def period_containing(start: date, frequency: Frequency | str, day: date) -> Period | None:
    """The period that contains ``day``, or ``None`` when ``day`` is before the case start."""
    frequency = Frequency(frequency)
    if day < start:
        return None
    return _period_at(start, frequency, _index_containing(start, frequency, day))


def periods_due(
    start: date,
    frequency: Frequency | str,
    *,
    up_to: date,
    after: date | None = None,
    case_end: date | None = None,
    limit: int | None = None,
) -> list[Period]:
    """Periods whose effective date is on or before ``up_to``, oldest first.

    ``after`` drops every period that ends on or before it, so a payment run can
    resume after the last period it paid. ``case_end`` drops periods that start
    after it; the period containing ``case_end`` is kept whole (components
    ending inside it are prorated, PAY-1).

    ``limit`` stops after that many periods, so a caller that refuses more than n
    periods asks for n + 1 and never builds thousands for a far-off ``up_to``. A
    period that cannot be represented (it would end after ``date.max``) is never due.
    """
    if type(frequency) is not Frequency:
        frequency = Frequency(frequency)
    # FIXED_LENGTH_DAYS[frequency] as a timedelta; looked up by identity (an enum's hash is
    # a Python call, and a payment run asks for every case's periods).
    if frequency is _WEEKLY:
        step = _ONE_WEEK
    elif frequency is _FORTNIGHTLY:
        step = _TWO_WEEKS
    elif frequency is _FOUR_WEEKLY:
        step = _FOUR_WEEKS
    else:
        step = None  # monthly
    index = 0
    if after is not None and after >= start:
        if step is None:
            index = _index_containing(start, frequency, after)
        else:
            index = (after - start).days // step.days  # as _index_containing
    # Each period runs from one boundary to the day before the next (``_period_at``); the
    # next period starts at that boundary, so each is computed once, and no Period is
    # built for the one that is not due.
    due: list[Period] = []
    try:
        first = start if index == 0 else _boundary(start, frequency, index)
    except (OverflowError, ValueError):  # beyond date.max: no such period
        return due
    while limit is None or len(due) < limit:
        index += 1
        try:
            # start + length × index, as _boundary computes it, one period on from ``first``
            following = _boundary(start, frequency, index) if step is None else first + step
            end = following - ONE_DAY
        except (OverflowError, ValueError):  # beyond date.max: no such period
            return due
        # ``following`` is the period's effective date (the day after its end).
        if following > up_to or (case_end is not None and first > case_end):
            return due
        if after is None or end > after:
            due.append(_new_period(first, end, following))
        first = following
    return due
