"""PAY-1: payment periods follow the case start date and the product frequency; a payment
is due (effective date) the day after its period ends."""

from datetime import date
from itertools import islice

import pytest

from payments.engine.periods import (
    Frequency,
    Period,
    iter_periods,
    period_containing,
    periods_due,
)


def spans(periods):
    return [(p.start.isoformat(), p.end.isoformat(), p.effective_date.isoformat()) for p in periods]


@pytest.mark.parametrize(
    ("start", "frequency", "expected"),
    [
        pytest.param(
            date(2024, 1, 1),
            "weekly",
            [
                ("2024-01-01", "2024-01-07", "2024-01-08"),
                ("2024-01-08", "2024-01-14", "2024-01-15"),
                ("2024-01-15", "2024-01-21", "2024-01-22"),
            ],
            id="weekly-7-days",
        ),
        pytest.param(
            date(2024, 2, 20),
            "fortnightly",
            [
                ("2024-02-20", "2024-03-04", "2024-03-05"),
                ("2024-03-05", "2024-03-18", "2024-03-19"),
                ("2024-03-19", "2024-04-01", "2024-04-02"),
            ],
            id="fortnightly-14-days-over-leap-day",
        ),
        pytest.param(
            date(2023, 12, 18),
            "four_weekly",
            [
                ("2023-12-18", "2024-01-14", "2024-01-15"),
                ("2024-01-15", "2024-02-11", "2024-02-12"),
                ("2024-02-12", "2024-03-10", "2024-03-11"),
            ],
            id="four-weekly-28-days-over-year-end",
        ),
        pytest.param(
            date(2024, 3, 15),
            "monthly",
            [
                ("2024-03-15", "2024-04-14", "2024-04-15"),
                ("2024-04-15", "2024-05-14", "2024-05-15"),
                ("2024-05-15", "2024-06-14", "2024-06-15"),
            ],
            id="monthly-same-day",
        ),
        pytest.param(
            date(2023, 1, 31),
            "monthly",
            [
                ("2023-01-31", "2023-02-27", "2023-02-28"),
                ("2023-02-28", "2023-03-30", "2023-03-31"),
                ("2023-03-31", "2023-04-29", "2023-04-30"),
                ("2023-04-30", "2023-05-30", "2023-05-31"),
            ],
            id="monthly-31-jan-clamps-to-28-feb-then-back-to-31-mar",
        ),
        pytest.param(
            date(2024, 1, 31),
            "monthly",
            [
                ("2024-01-31", "2024-02-28", "2024-02-29"),
                ("2024-02-29", "2024-03-30", "2024-03-31"),
            ],
            id="monthly-31-jan-leap-year-29-feb",
        ),
        pytest.param(
            date(2023, 11, 30),
            "monthly",
            [
                ("2023-11-30", "2023-12-29", "2023-12-30"),
                ("2023-12-30", "2024-01-29", "2024-01-30"),
                ("2024-01-30", "2024-02-28", "2024-02-29"),
                ("2024-02-29", "2024-03-29", "2024-03-30"),
            ],
            id="monthly-30th-over-year-end-and-february",
        ),
    ],
)
def test_iter_periods_PAY_1(start, frequency, expected):
    """PAY-1: periods start on the case start date and follow the frequency; monthly is
    the same day of each following month, clamped to the month's end, from the start day."""
    assert spans(islice(iter_periods(start, frequency), len(expected))) == expected


@pytest.mark.parametrize(
    ("frequency", "days"),
    [
        pytest.param(Frequency.WEEKLY, 7, id="weekly"),
        pytest.param(Frequency.FORTNIGHTLY, 14, id="fortnightly"),
        pytest.param(Frequency.FOUR_WEEKLY, 28, id="four-weekly"),
    ],
)
def test_fixed_frequencies_are_contiguous_and_equal_PAY_1(frequency, days):
    """PAY-1: fixed frequencies tile the calendar with no gap and no overlap."""
    periods = list(islice(iter_periods(date(2024, 2, 27), frequency), 60))
    assert all(p.days == days for p in periods)
    assert all(a.effective_date == b.start for a, b in zip(periods, periods[1:], strict=False))


def test_monthly_periods_are_contiguous_PAY_1():
    """PAY-1: monthly periods never leave a gap, whatever the month lengths."""
    periods = list(islice(iter_periods(date(2023, 1, 31), "monthly"), 48))
    assert all(a.effective_date == b.start for a, b in zip(periods, periods[1:], strict=False))
    assert {p.start.day for p in periods} == {28, 29, 30, 31}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param(
            {"up_to": date(2024, 1, 21)},
            [
                ("2024-01-01", "2024-01-07", "2024-01-08"),
                ("2024-01-08", "2024-01-14", "2024-01-15"),
            ],
            id="effective-date-after-up-to-not-due",
        ),
        pytest.param(
            {"up_to": date(2024, 1, 22)},
            [
                ("2024-01-01", "2024-01-07", "2024-01-08"),
                ("2024-01-08", "2024-01-14", "2024-01-15"),
                ("2024-01-15", "2024-01-21", "2024-01-22"),
            ],
            id="effective-date-on-up-to-is-due",
        ),
        pytest.param({"up_to": date(2024, 1, 7)}, [], id="first-period-not-yet-due"),
        pytest.param({"up_to": date(2023, 12, 1)}, [], id="up-to-before-start"),
        pytest.param(
            {"up_to": date(2024, 1, 29), "after": date(2024, 1, 14)},
            [
                ("2024-01-15", "2024-01-21", "2024-01-22"),
                ("2024-01-22", "2024-01-28", "2024-01-29"),
            ],
            id="after-last-paid-period-end",
        ),
        pytest.param(
            {"up_to": date(2024, 1, 29), "after": date(2024, 1, 17)},
            [
                ("2024-01-15", "2024-01-21", "2024-01-22"),
                ("2024-01-22", "2024-01-28", "2024-01-29"),
            ],
            id="after-inside-a-period-keeps-it-as-it-ends-later",
        ),
        pytest.param(
            {"up_to": date(2024, 1, 15), "after": date(2023, 12, 31)},
            [
                ("2024-01-01", "2024-01-07", "2024-01-08"),
                ("2024-01-08", "2024-01-14", "2024-01-15"),
            ],
            id="after-before-start",
        ),
        pytest.param(
            {"up_to": date(2024, 3, 1), "case_end": date(2024, 1, 10)},
            [
                ("2024-01-01", "2024-01-07", "2024-01-08"),
                ("2024-01-08", "2024-01-14", "2024-01-15"),
            ],
            id="case-end-keeps-its-period-whole",
        ),
        pytest.param(
            {"up_to": date(2024, 3, 1), "case_end": date(2024, 1, 7)},
            [("2024-01-01", "2024-01-07", "2024-01-08")],
            id="case-end-on-period-end",
        ),
    ],
)
def test_periods_due_PAY_1(kwargs, expected):
    """PAY-1, PAY-13, SIM-1: periods due up to a date (effective date ≤ up_to), resuming
    after the last paid period, not past the case end."""
    assert spans(periods_due(date(2024, 1, 1), "weekly", **kwargs)) == expected


def test_periods_due_monthly_resumes_after_last_paid_PAY_1():
    """PAY-1: resuming a monthly case after a clamped period keeps the original start day."""
    due = periods_due(
        date(2023, 1, 31), "monthly", up_to=date(2023, 5, 31), after=date(2023, 2, 27)
    )
    assert spans(due) == [
        ("2023-02-28", "2023-03-30", "2023-03-31"),
        ("2023-03-31", "2023-04-29", "2023-04-30"),
        ("2023-04-30", "2023-05-30", "2023-05-31"),
    ]


@pytest.mark.parametrize(
    ("frequency", "day", "expected"),
    [
        pytest.param(
            "weekly",
            date(2024, 1, 1),
            ("2024-01-01", "2024-01-07", "2024-01-08"),
            id="weekly-first-day",
        ),
        pytest.param(
            "weekly",
            date(2024, 1, 14),
            ("2024-01-08", "2024-01-14", "2024-01-15"),
            id="weekly-last-day",
        ),
        pytest.param(
            "four_weekly",
            date(2024, 3, 1),
            ("2024-02-26", "2024-03-24", "2024-03-25"),
            id="four-weekly",
        ),
        pytest.param(
            "monthly",
            date(2023, 3, 30),
            ("2023-02-28", "2023-03-30", "2023-03-31"),
            id="monthly-before-boundary-in-same-month",
        ),
        pytest.param(
            "monthly",
            date(2023, 3, 31),
            ("2023-03-31", "2023-04-29", "2023-04-30"),
            id="monthly-on-boundary",
        ),
        pytest.param(
            "monthly",
            date(2023, 1, 31),
            ("2023-01-31", "2023-02-27", "2023-02-28"),
            id="monthly-start-day",
        ),
    ],
)
def test_period_containing_PAY_1(frequency, day, expected):
    """PAY-1: the period a date falls in agrees with the period sequence."""
    start = date(2024, 1, 1) if frequency != "monthly" else date(2023, 1, 31)
    period = period_containing(start, frequency, day)
    assert spans([period]) == [expected]
    assert period in list(islice(iter_periods(start, frequency), 30))


def test_period_containing_before_start_is_none():
    """PAY-1: no period exists before the case start date."""
    assert period_containing(date(2024, 1, 1), "weekly", date(2023, 12, 31)) is None


def test_period_invariants():
    """PAY-1: a period includes both ends and is due the day after its end."""
    period = Period.between(date(2024, 1, 1), date(2024, 1, 31))
    assert period.effective_date == date(2024, 2, 1)
    assert period.days == 31
    assert date(2024, 1, 31) in period and date(2024, 2, 1) not in period
    with pytest.raises(ValueError):
        Period(date(2024, 1, 1), date(2024, 1, 7), date(2024, 1, 7))
    with pytest.raises(ValueError):
        Period.between(date(2024, 1, 7), date(2024, 1, 1))


def test_unknown_frequency_is_refused():
    """PAY-1, PR-1: only weekly, fortnightly, four-weekly and monthly exist."""
    with pytest.raises(ValueError):
        next(iter_periods(date(2024, 1, 1), "daily"))


@pytest.mark.parametrize("frequency", ["weekly", "fortnightly", "four_weekly", "monthly"])
def test_periods_due_stops_at_the_limit_and_before_date_max_PAY_1_SIM_1(frequency):
    """PAY-1, SIM-1: ``limit`` stops after that many periods however far ``up_to`` lies,
    and a period that would end after date.max is never due (no OverflowError)."""
    start = date(2026, 1, 5)
    limited = periods_due(start, frequency, up_to=date.max, limit=521)
    assert len(limited) == 521
    assert limited == periods_due(start, frequency, up_to=limited[-1].effective_date)
    near_max = date(9999, 11, 1)
    last = periods_due(near_max, frequency, up_to=date.max)
    assert last and last[0].start == near_max
    assert last[-1].effective_date <= date.max  # the next period would overflow
