"""Template filters of the payments pages."""

import datetime
from collections.abc import Mapping

from django import template

from config.money_format import format_money
from config.skip_reasons import skip_line_reason_text, skip_reason_text

register = template.Library()


@register.filter
def money(value) -> str:
    """A money string or Decimal as the language writes it (config.money_format): German
    "1.234,50 €", English "€1,234.50"."""
    return format_money(value)


@register.filter
def skip_reason(code) -> str:
    """The caseworker's sentence for a skip reason (PAY-9), in the page's language: of a
    code, or of a line kept as data (a results line), then with the amounts its check
    compared where the line names them ("… (benötigt 150,00 €, verfügbar 112,00 €)")."""
    if not code:
        return ""
    try:
        if isinstance(code, Mapping):
            return skip_line_reason_text(code) or ""
        return skip_reason_text(code)
    except ValueError:
        return str(code.get("reason") if isinstance(code, Mapping) else code)


@register.filter
def get_item(mapping, key):
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def isodate(value):
    """An ISO date string (as kept in simulation results) as a date, for the ``date``
    filter: ``{{ payment.period_start|isodate|date:"d.m.Y" }}``."""
    if not value:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
