"""PAY-13: the array texts ``rows_update`` sends for its ``UPDATE … FROM unnest(…)``
instead of a ``VALUES`` list mogrified row by row: exact text for each type a run
updates, strings quoted with their quotes and backslashes escaped, NULL unquoted, and
anything else refused rather than guessed."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.db import connection

from deductions.models import DeductionStatus
from payments.services.bulk import _array, _element


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "NULL"),
        (42, "42"),
        (Decimal("1234.50"), "1234.50"),
        (Decimal("-0.00"), "-0.00"),
        (date(2026, 3, 9), "2026-03-09"),
        ("processed", '"processed"'),
        (DeductionStatus.PROCESSED, '"processed"'),
        ("NULL", '"NULL"'),
        ('a "b", {c} \\ d', '"a \\"b\\", {c} \\\\ d"'),
        (True, "t"),
        (False, "f"),
    ],
)
def test_array_elements_PAY_13(value, text):
    """PAY-13: each value's array element text."""
    assert _element(value) == text
    assert _array([value, None]) == "{" + text + ",NULL}"


@pytest.mark.parametrize(
    "value", [1.5, Decimal("NaN"), Decimal("Infinity"), datetime(2026, 3, 9, 12), b"x"]
)
def test_other_values_are_refused_PAY_13(value):
    """PAY-13: floats, non-finite Decimals, datetimes and bytes are not written."""
    with pytest.raises((TypeError, ValueError)):
        _array([value])


@pytest.mark.postgres_only
@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_postgresql_reads_the_arrays_back_PAY_13():
    """PAY-13: PostgreSQL parses each array into exactly the values given."""
    columns = [
        ([1, 2, None], "bigint"),
        ([Decimal("0.00"), Decimal("-12.34"), None], "numeric(12,2)"),
        ([date(2026, 3, 9), None, date(2026, 12, 31)], "date"),
        (["processed", 'a "b", {c} \\ d', "NULL", None, "", "O'Brien"], "varchar(50)"),
        ([True, False, None], "boolean"),
    ]
    with connection.cursor() as cursor:
        for values, db_type in columns:
            cursor.execute(f"SELECT %s::{db_type}[]", [_array(values)])
            assert cursor.fetchone()[0] == values
