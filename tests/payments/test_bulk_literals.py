"""PAY-13: the SQL literals ``rows_update`` writes into its ``UPDATE … FROM (VALUES …)``
instead of psycopg2's per-row ``mogrify``: exact text for each type a run updates, quotes
doubled in strings, and anything else refused rather than guessed."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from deductions.models import DeductionStatus
from payments.services.bulk import _literal


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "NULL"),
        (42, "42"),
        (Decimal("1234.50"), "1234.50"),
        (Decimal("-0.00"), "-0.00"),
        (date(2026, 3, 9), "'2026-03-09'"),
        ("processed", "'processed'"),
        (DeductionStatus.PROCESSED, "'processed'"),
        ("O'Brien; DROP TABLE x; --", "'O''Brien; DROP TABLE x; --'"),
        (True, "TRUE"),
        (False, "FALSE"),
    ],
)
def test_literals_PAY_13(value, text):
    """PAY-13: each value's SQL literal."""
    assert _literal(value) == text


@pytest.mark.parametrize(
    "value", [1.5, Decimal("NaN"), Decimal("Infinity"), datetime(2026, 3, 9, 12), b"x"]
)
def test_other_values_are_refused_PAY_13(value):
    """PAY-13: floats, non-finite Decimals, datetimes and bytes are not written."""
    with pytest.raises((TypeError, ValueError)):
        _literal(value)
