"""Money and percentages typed on a page: one parser and one formatter for both UI languages.

Forms never let the browser read a number (a number input in an English browser
turned "400,50" into 40050); they take text and parse it here, for the page's language:

- German: decimal comma, dot for thousands (``400,50``, ``1.234,56``, ``1234,56``, ``400``);
- English: decimal point, comma for thousands (``400.50``, ``1,234.56``, ``1234.56``).

Refused (``EntryError.code``): anything but ASCII digits and the two separators
(letters, exponents, NaN/Infinity, Arabic-Indic digits, spaces inside) → ``format``;
thousands groups not of three digits or placed after the decimal separator → ``format``;
a lone separator before exactly three digits (German ``1.234``, English ``1,234``), which
reads as a thousands group in one language and as three decimal places in the other →
``ambiguous``; more decimal places than the column keeps (German ``1,234``) → ``places``;
``-`` where negative is not allowed → ``negative``; ``+`` → ``sign``; more digits than the
column holds → ``range``. Because groups must have three digits and a lone separator before
three digits is refused, no text is read as two different numbers by the two languages:
it is either refused in one of them or means the same in both.

No Django import: the forms (config/forms.py) turn the codes into messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Separators:
    decimal: str
    group: str


SEPARATORS = {"de": Separators(decimal=",", group="."), "en": Separators(decimal=".", group=",")}
DEFAULT_LANGUAGE = "de"


class EntryError(ValueError):
    """Text that is not a number of the accepted form; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def separators(language: str | None) -> Separators:
    """The separators of a language code such as "de", "en" or "en-us"."""
    base = (language or DEFAULT_LANGUAGE).split("-")[0].split("_")[0].lower()
    return SEPARATORS.get(base, SEPARATORS[DEFAULT_LANGUAGE])


# ASCII only ([0-9], never \d, which matches ٤ and other digits).
_SHAPE = re.compile(r"(?P<sign>[+-]?)(?P<body>[0-9.,]+)", re.ASCII)


def _pattern(seps: Separators) -> re.Pattern[str]:
    g, d = re.escape(seps.group), re.escape(seps.decimal)
    return re.compile(
        rf"(?P<int>[0-9]+|[1-9][0-9]{{0,2}}(?:{g}[0-9]{{3}})+)(?:{d}(?P<frac>[0-9]+))?", re.ASCII
    )


_PATTERNS = {seps: _pattern(seps) for seps in SEPARATORS.values()}
# One separator (either) between 1–3 leading digits (not starting with 0) and three digits.
_AMBIGUOUS = re.compile(r"[1-9][0-9]{0,2}[.,][0-9]{3}", re.ASCII)


def parse_decimal(
    text: str | None,
    *,
    language: str | None,
    max_digits: int,
    decimal_places: int,
    allow_negative: bool = False,
) -> Decimal | None:
    """The Decimal typed as `text` in `language`, or None for an empty entry.

    Raises EntryError when the text is not of the accepted form or does not fit a column
    of `max_digits` digits with `decimal_places` decimal places."""
    if text is None:
        return None
    text = text.strip(" \t\r\n")
    if not text:
        return None
    shape = _SHAPE.fullmatch(text)
    if shape is None:
        raise EntryError("format")
    sign, body = shape["sign"], shape["body"]
    if sign == "+":
        raise EntryError("sign")
    if sign == "-" and not allow_negative:
        raise EntryError("negative")
    seps = separators(language)
    match = _PATTERNS[seps].fullmatch(body)
    if match is None:
        raise EntryError("format")
    fraction = match["frac"] or ""
    # German "1,234" has three decimal places: refused as such, not as ambiguous.
    if len(fraction) > decimal_places:
        raise EntryError("places")
    if _AMBIGUOUS.fullmatch(body):
        raise EntryError("ambiguous")
    integer = match["int"].replace(seps.group, "").lstrip("0") or "0"
    if len(integer) > max_digits - decimal_places:
        raise EntryError("range")
    return Decimal(f"{sign}{integer}.{fraction}" if fraction else f"{sign}{integer}")


def format_decimal(value: Decimal | None, *, language: str | None, decimal_places: int) -> str:
    """`value` as the page shows it in an input: thousands grouped, exactly
    `decimal_places` places (so parse_decimal reads it back to the same number)."""
    if value is None:
        return ""
    seps = separators(language)
    quantum = Decimal(1).scaleb(-decimal_places)
    text = f"{abs(Decimal(value)).quantize(quantum, rounding=ROUND_HALF_UP):f}"
    integer, _, fraction = text.partition(".")
    groups = []
    while len(integer) > 3:
        integer, group = integer[:-3], integer[-3:]
        groups.insert(0, group)
    # Without decimal places a lone group would read as ambiguous; write it plain then.
    joiner = seps.group if decimal_places else ""
    grouped = joiner.join([integer, *groups])
    sign = "-" if Decimal(value) < 0 else ""
    return f"{sign}{grouped}{seps.decimal}{fraction}" if fraction else f"{sign}{grouped}"
