"""Ids from input, kept within what the database can store (never a 500 for input).

SQLite (the `make run` default) binds integers of at most 64 bits; a larger one raises
`OverflowError` and a 500. Django guards exact lookups on integer and primary-key fields
(out of range = no match), but not lookups through a foreign key (`applicant_id=…`) nor
`pk__in`. So ids from input are checked here, once:

- `IdFilterBackend` (the default DRF filter backend) answers 400 naming the parameter when
  a filter on an id (a foreign key or primary key, or a model-choice filter) gets a number
  outside 1..MAX_ID;
- `parse_id` turns an id from a URL into an int, or None (the caller answers 404);
- `IdMultipleChoiceField` is a ModelMultipleChoiceField whose out-of-range ids are invalid
  choices rather than a database error.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django_filters import filters as django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

from .errors import CommonError

MAX_ID = 2**63 - 1
"""The largest id a 64-bit integer column holds (SQLite INTEGER, PostgreSQL bigint)."""

MAX_PRIORITY = 2**31 - 1
"""The largest priority the columns hold on every database (PostgreSQL integer): a larger
one is a 400 on the field, never clamped to the next free place."""


def parse_id(value) -> int | None:
    """An id from input as int, or None unless it is a whole number in 1..MAX_ID."""
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or number != number.to_integral_value():
        return None
    if not 1 <= number <= MAX_ID:
        return None
    return int(number)


def _targets_id(model, field_name: str) -> bool:
    """Whether the lookup path `field_name` (e.g. "members__participant_id") of `model`
    ends at a relation or a primary key, i.e. compares ids."""
    field = None
    for part in field_name.split("__"):
        if field is not None:
            if not field.is_relation or field.related_model is None:
                return False
            model = field.related_model
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
    return field is not None and (field.is_relation or field.primary_key)


def _chooses_by_pk(flt) -> bool:
    """Whether a model-choice filter takes the chosen object's primary key."""
    to_field = flt.extra.get("to_field_name")
    if to_field in (None, "pk"):
        return True
    model = getattr(flt.extra.get("queryset"), "model", None)
    pk_name = model._meta.pk.name if model is not None else "id"
    return to_field == pk_name


def _raw_values(data, name: str, csv: bool) -> list[str]:
    values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
    raw = [str(v) for v in values if v not in (None, "")]
    if csv:
        raw = [part for v in raw for part in v.split(",") if part.strip()]
    return raw


class IdFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that answers 400 on the parameter when a filter on an id gets
    a number outside 1..MAX_ID (rather than letting the database overflow)."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is not None:
            errors = id_filter_errors(filterset)
            if errors:
                raise ValidationError(errors, code=CommonError.INVALID_ID)
        return super().filter_queryset(request, queryset, view)


def id_filter_errors(filterset) -> dict[str, list[str]]:
    """{parameter: [message]} for every id filter of `filterset` whose value is a number
    outside 1..MAX_ID. Values that are no number at all are left to the filter's own
    validation."""
    model = filterset._meta.model
    errors: dict[str, list[str]] = {}
    for name, flt in filterset.filters.items():
        is_model_choice = isinstance(
            flt, (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)
        )
        if is_model_choice:
            if not _chooses_by_pk(flt):
                continue
        elif not isinstance(flt, django_filters.NumberFilter):
            continue
        elif model is None or not _targets_id(model, flt.field_name):
            continue
        csv = isinstance(flt, django_filters.BaseCSVFilter)
        for raw in _raw_values(filterset.data, name, csv):
            try:
                number = Decimal(raw.strip())
            except (InvalidOperation, ValueError):
                continue  # not a number: the filter's form says so
            if number.is_finite() and parse_id(raw) is None:
                errors[name] = [_("Bitte geben Sie eine gültige Nummer an (eine ganze Zahl ab 1).")]
                break
    return errors


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField whose out-of-range ids are an invalid choice (Django would
    query them with `pk__in`, which overflows on SQLite)."""

    def _check_values(self, value):
        if self.to_field_name is None:
            for pk in value:
                if pk not in (None, "") and parse_id(pk) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)
