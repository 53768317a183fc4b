"""Dates from input stay within DATE_MIN..DATE_MAX (default 1900-01-01..2199-12-31).

Year 1 or 9999 is always a typo here, and dates before year 1000 were stored and then
rendered without padding ("1-01-01"). The range check is attached once, centrally:

- `install_model_date_validators()` (from `CoreConfig.ready`) adds the check to every
  model DateField of the project. ModelSerializer and ModelForm fields, Django admin and
  `full_clean()` take their validators from the model field, so they all refuse such
  dates beside the field. It is set as the field's `default_validators`, which migrations
  do not record.
- `DateField` (DRF) and `FormDateField` (forms) for dates declared by hand.

`format_date` and `format_datetime` write a date in a sentence (messages, notices, PDF
texts) with the active language's formats (config/formats/), as the templates do.
"""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

PROJECT_APPS = ("core", "participants", "products", "cases", "deductions", "payments", "workflow")


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value


def date_range() -> tuple[date, date]:
    return _as_date(settings.DATE_MIN), _as_date(settings.DATE_MAX)


def format_date(value: date | datetime | str | None) -> str:
    """A date (or ISO date text) as the active language writes it (SHORT_DATE_FORMAT,
    four-digit years); "" for none."""
    if value is None or value == "":
        return ""
    return formats.date_format(_as_date(value), "SHORT_DATE_FORMAT")


def format_datetime(value: datetime) -> str:
    """A moment in local time as the active language writes it (SHORT_DATETIME_FORMAT)."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATETIME_FORMAT")


def validate_date_range(value) -> None:
    """Django validator: `value` within DATE_MIN..DATE_MAX."""
    if value is None:
        return
    low, high = date_range()
    if not low <= _as_date(value) <= high:
        raise ValidationError(
            _("Bitte geben Sie ein Datum zwischen dem %(min)s und dem %(max)s an."),
            code="date_out_of_range",
            params={"min": format_date(low), "max": format_date(high)},
        )


def install_model_date_validators() -> None:
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                if validate_date_range not in field.default_validators:
                    field.default_validators = [*field.default_validators, validate_date_range]
                    field.__dict__.pop("validators", None)  # cached_property


class DateField(serializers.DateField):
    """DRF DateField within DATE_MIN..DATE_MAX."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(validate_date_range)


class FormDateField(forms.DateField):
    """Form DateField within DATE_MIN..DATE_MAX."""

    default_validators = [validate_date_range]
