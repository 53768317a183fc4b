"""Money and percentages as a page shows them, in the active language (one home for both
languages; dates are config/dates.py's ``format_date``/``format_datetime``).

- German (primary): ``1.234,56 €`` and ``12,50 %`` — as the pages always wrote them.
- English: ``€1,234.56`` and ``12.50%`` — the symbol before the amount and no space, as
  British and American readers write euros, with the decimal point; together with dates
  as ``5 Jan 2026`` (config/formats/en) nothing on an English page can be read with the
  German conventions (``1.234`` or ``05.01.``) by mistake.

Amounts are Decimals (or their strings, as kept in JSON breakdowns), never floats; they
are rounded half up to two places. The separators are money_input's, so what a page
shows can be typed back into a money field of the same page unchanged (less the symbol).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import translation

from .money_input import format_decimal

CURRENCY = "€"


def _language(language: str | None) -> str:
    base = (language or translation.get_language() or "de").split("-")[0].split("_")[0]
    return base.lower()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        # Never computed with; a float that reaches a page is written by its repr.
        value = repr(value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def format_amount(value, *, language: str | None = None, places: int = 2) -> str:
    """A number with the language's separators and thousands groups ("1.234,56" /
    "1,234.56"); "" for none; text that is no number is returned as it is."""
    number = _decimal(value)
    if number is None:
        return "" if value is None or value == "" else str(value)
    return format_decimal(number, language=_language(language), decimal_places=places)


def format_money(value, *, language: str | None = None) -> str:
    """An amount of euros: German "1.234,56 €", English "€1,234.56" ("-€5.00" when
    negative); "" for none."""
    number = _decimal(value)
    if number is None:
        return "" if value is None or value == "" else str(value)
    text = format_decimal(abs(number), language=_language(language), decimal_places=2)
    sign = "-" if number < 0 and text.strip("0.,") else ""
    if _language(language) == "en":
        return f"{sign}{CURRENCY}{text}"
    return f"{sign}{text} {CURRENCY}"


def format_percent(value, *, language: str | None = None, places: int = 2) -> str:
    """A percentage: German "12,50 %", English "12.50%"; "" for none."""
    number = _decimal(value)
    if number is None:
        return "" if value is None or value == "" else str(value)
    text = format_amount(number, language=language, places=places)
    return f"{text}%" if _language(language) == "en" else f"{text} %"
