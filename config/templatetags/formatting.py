"""Template filters writing dates, money and percentages in the active language, loaded
on every template (settings TEMPLATES "builtins"): ``{{ d|day }}``, ``{{ t|moment }}``,
``{{ run.started_at|moment:"seconds" }}``, ``{{ amount|money }}``, ``{{ amount|amount }}``
(without the currency) and ``{{ rate|percent }}``. The texts come from config/dates.py and
config/money_format.py, so pages, messages and notices agree."""

from __future__ import annotations

import datetime

from django import template
from django.utils import formats

from config.dates import format_date
from config.money_format import format_amount, format_money, format_percent

register = template.Library()


@register.filter(expects_localtime=True)
def day(value) -> str:
    """A date (or ISO date text, or a moment's local day): German "05.01.2026", English
    "5 Jan 2026"; "" for none or text that is no date."""
    if value is None or value == "":
        return ""
    try:
        return format_date(value)
    except (TypeError, ValueError):
        return ""


@register.filter(expects_localtime=True)
def moment(value, arg: str = "") -> str:
    """A moment in local time: German "05.01.2026 09:05", English "5 Jan 2026 09:05";
    ``moment:"seconds"`` adds the seconds."""
    if not isinstance(value, datetime.datetime):
        return day(value)
    fmt = formats.get_format("SHORT_DATETIME_FORMAT")
    if arg == "seconds":
        fmt = f"{fmt}:s"
    return formats.date_format(value, fmt)


@register.filter
def money(value) -> str:
    """German "1.234,56 €", English "€1,234.56"."""
    return format_money(value)


@register.filter
def amount(value, places: int = 2) -> str:
    """A number without a unit: German "1.234,56", English "1,234.56"."""
    return format_amount(value, places=int(places))


@register.filter
def percent(value) -> str:
    """German "12,50 %", English "12.50%"."""
    return format_percent(value)
