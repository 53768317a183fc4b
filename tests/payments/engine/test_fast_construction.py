"""The engine builds its results and periods through ``fast_constructor`` (issue #13): the
objects must be exactly what the dataclasses' own constructors build — same type, every
field identical (Decimals down to their exponent), equal, same hash, repr and pickle —
and just as frozen."""

import dataclasses
import pickle
from datetime import date
from decimal import Decimal

import pytest

from payments.engine import (
    CaseInput,
    ComponentInput,
    ComponentLine,
    DeductionInput,
    DeductionLine,
    NomineePayment,
    Period,
    PeriodResult,
    ProductLimits,
    calculate_period,
    periods_due,
)
from payments.engine.construct import fast_constructor
from payments.engine.types import (
    DeductionCategory,
    LineStatus,
    SkipReason,
    new_component_line,
    new_deduction_line,
    new_nominee_payment,
    new_period_result,
)

D = Decimal
PERIOD = Period.between(date(2024, 1, 1), date(2024, 1, 7))
COMPONENT_LINE = {
    "component_id": 3,
    "name": "Regelbedarf",
    "amount": D("300.00"),
    "tax": D("0.0"),
    "net": D("300.000"),
    "deductible": True,
    "deducted": D("-0.00"),
    "net_after_deductions": D("3E+2"),
}
DEDUCTION_LINE = {
    "deduction_id": 7,
    "name": "Strom",
    "category": DeductionCategory.APPLIED,
    "priority": 2,
    "component_id": None,
    "nominee_id": 10,
    "status": LineStatus.SKIPPED,
    "amount": D("0.00"),
    "reason": SkipReason.INSUFFICIENT_BALANCE,
    "balance_after": D("12.5"),
    "liability_id": 4,
    "requested_amount": D("25.00"),
    "liability_outstanding_after": D("100"),
    "needed_amount": D("25.00"),
    "limit_amount": D("12.50"),
}


def nominee_payment_fields():
    return {
        "case_id": 1,
        "nominee_id": 10,
        "period": PERIOD,
        "components": (ComponentLine(**COMPONENT_LINE),),
        "gross": D("300.00"),
        "tax": D("0.00"),
        "net_before_deductions": D("300.00"),
        "deductible_base": D("300.00"),
        "total_deductible": D("90.00"),
        "deductions": (DeductionLine(**DEDUCTION_LINE),),
        "total_deducted": D("0.00"),
        "net": D("300.00"),
    }


CASES = [
    pytest.param(ComponentLine, new_component_line, lambda: dict(COMPONENT_LINE), id="component"),
    pytest.param(DeductionLine, new_deduction_line, lambda: dict(DEDUCTION_LINE), id="deduction"),
    pytest.param(NomineePayment, new_nominee_payment, nominee_payment_fields, id="payment"),
    pytest.param(
        PeriodResult,
        new_period_result,
        lambda: {
            "period": PERIOD,
            "payments": (NomineePayment(**nominee_payment_fields()),),
            "liabilities_after": {4: D("100.00")},
        },
        id="result",
    ),
]


def assert_identical(built, expected):
    """Same type and every field the same object or an equal one with the same text."""
    assert type(built) is type(expected)
    for field in dataclasses.fields(expected):
        mine, theirs = getattr(built, field.name), getattr(expected, field.name)
        assert type(mine) is type(theirs), field.name
        assert str(mine) == str(theirs), field.name  # Decimal('0.0') vs 0.00 differ here
        assert mine == theirs, field.name
    assert built == expected
    assert repr(built) == repr(expected)


@pytest.mark.parametrize(("cls", "fast", "values"), CASES)
def test_fast_constructor_builds_what_the_dataclass_builds(cls, fast, values):
    expected = cls(**values())
    by_keyword = fast(**values())
    by_position = fast(*values().values())
    assert_identical(by_keyword, expected)
    assert_identical(by_position, expected)
    if cls is not PeriodResult:  # a dict field: not hashable, like the dataclass's
        assert hash(by_keyword) == hash(expected)
    assert_identical(pickle.loads(pickle.dumps(by_keyword)), expected)
    assert dataclasses.asdict(by_keyword) == dataclasses.asdict(expected)
    first = dataclasses.fields(cls)[0].name
    assert_identical(dataclasses.replace(by_keyword), expected)
    assert getattr(dataclasses.replace(by_keyword, **{first: 99}), first) == 99


@pytest.mark.parametrize(("cls", "fast", "values"), CASES)
def test_fast_built_results_are_frozen(cls, fast, values):
    built = fast(**values())
    for field in dataclasses.fields(cls):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(built, field.name, None)
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(built, field.name)
    with pytest.raises((AttributeError, TypeError)):
        built.undeclared = 1  # slotted: no attribute beyond the fields


def test_fast_constructor_keeps_defaults_and_refuses_missing_fields():
    required = {
        name: value
        for name, value in DEDUCTION_LINE.items()
        if name not in ("liability_outstanding_after", "needed_amount", "limit_amount")
    }
    assert_identical(new_deduction_line(**required), DeductionLine(**required))
    with pytest.raises(TypeError):
        new_deduction_line(**{k: v for k, v in required.items() if k != "amount"})
    with pytest.raises(TypeError):
        new_deduction_line(**DEDUCTION_LINE, unknown=1)


def test_fast_constructor_refuses_what_it_cannot_build_faithfully():
    with pytest.raises(TypeError, match="__post_init__"):
        fast_constructor(ProductLimits)  # its checks would be skipped

    @dataclasses.dataclass(frozen=True)
    class NotSlotted:
        value: int

    with pytest.raises(TypeError, match="slotted"):
        fast_constructor(NotSlotted)

    @dataclasses.dataclass(frozen=True, slots=True)
    class WithFactory:
        values: list = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="factories"):
        fast_constructor(WithFactory)


def test_periods_due_builds_checked_periods():
    """periods_due skips Period's checks, which its periods pass by construction."""
    for frequency in ("weekly", "fortnightly", "four_weekly", "monthly"):
        due = periods_due(date(2024, 1, 31), frequency, up_to=date(2024, 12, 31))
        assert due
        for period in due:
            assert_identical(period, Period(period.start, period.end, period.effective_date))
            with pytest.raises(dataclasses.FrozenInstanceError):
                period.start = date(2024, 1, 1)


def test_engine_results_are_the_public_frozen_types():
    case = CaseInput(
        case_id=1,
        start_date=PERIOD.start,
        frequency="weekly",
        limits=ProductLimits(
            max_deduction_rate=D("30"), min_deduction_amount=D("0"), min_payment_amount=D("0")
        ),
        primary_client_id=10,
        nominee_ids=(10,),
        components=(
            ComponentInput(
                id=1,
                name="Regelbedarf",
                nominee_id=10,
                amount=D("300.00"),
                start_date=PERIOD.start,
                end_date=None,
                deductible=True,
                taxable=False,
            ),
        ),
        deductions=(
            DeductionInput(
                id=1,
                name="Strom",
                category="unapplied",
                priority=1,
                start_date=PERIOD.start,
                end_date=date(2024, 12, 31),
                action="skip",
                amount=D("25.00"),
                nominee_id=10,
            ),
        ),
    )
    result = calculate_period(case, PERIOD, {})
    (payment,) = result.payments
    (component,) = payment.components
    (line,) = payment.deductions
    for built, cls in (
        (result, PeriodResult),
        (payment, NomineePayment),
        (component, ComponentLine),
        (line, DeductionLine),
    ):
        assert type(built) is cls
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(built, dataclasses.fields(cls)[0].name, None)
    assert_identical(line, dataclasses.replace(line))
    assert (line.amount, line.status, payment.net) == (D("25.00"), "processed", D("275.00"))
