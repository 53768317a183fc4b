"""Strict API input fields: no silent coercion of ids and amounts.

DRF's stock fields read participant `1.5` as participant 1 (Django casts the lookup value
with int()) and accept any Unicode digits in decimals ("١٠٠" = 100). These subclasses
refuse both; `CoreConfig.ready` maps them for every ModelSerializer, and hand-declared
fields use them directly.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .errors import CommonError
from .ids import MAX_ID

_ASCII_INT = re.compile(r"[0-9]+")
_ASCII_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def strict_id(value) -> int | None:
    """An id from JSON: an integer (or a string of ASCII digits) in 1..MAX_ID, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ASCII_INT.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """PrimaryKeyRelatedField that takes whole-number ids only (1.5, "1.0", 2**63 → 400)."""

    default_error_messages = {
        CommonError.INVALID_ID.value: _(
            "Bitte geben Sie eine gültige Nummer an (eine ganze Zahl von 1 bis %(max)s)."
        ),
    }

    def to_internal_value(self, data):
        if self.pk_field is None and strict_id(data) is None:
            self.fail(CommonError.INVALID_ID, max=MAX_ID)
        return super().to_internal_value(data)


class DecimalField(serializers.DecimalField):
    """DecimalField of ASCII digits only; a signed zero ("-0.00") is refused, since a sign
    on zero is always a typo (money limits are ≥ 0, see docs/decisions.md)."""

    default_error_messages = {
        CommonError.NUMBER_NOT_ASCII.value: _(
            "Bitte geben Sie die Zahl mit den Ziffern 0–9 an (z. B. 30.00)."
        ),
        CommonError.SIGNED_ZERO.value: _("Bitte geben Sie 0 ohne Vorzeichen an."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        if isinstance(data, str):
            text = data.strip()
            if len(text) > self.MAX_STRING_LENGTH:
                self.fail("max_string_length")
            if not _ASCII_DECIMAL.fullmatch(text):
                if text and any(ch.isdigit() and not ch.isascii() for ch in text):
                    self.fail(CommonError.NUMBER_NOT_ASCII)
                self.fail("invalid")
            if text.startswith("-") and Decimal(text) == 0:
                self.fail(CommonError.SIGNED_ZERO)
        value = super().to_internal_value(data)
        if value == 0 and value.is_signed():
            self.fail(CommonError.SIGNED_ZERO)
        return value
