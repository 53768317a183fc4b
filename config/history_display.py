"""Readable history in admin (django-simple-history): field names by their verbose_name,
choices by their label, dates, amounts and yes/no in the page's language, related rows by
their name instead of their id. Used by the history table template and HistoryAdmin."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


def model_field(opts, name: str):
    try:
        return opts.get_field(name)
    except FieldDoesNotExist:
        for field in opts.fields:
            if getattr(field, "attname", None) == name:
                return field
    return None


def field_label(opts, name: str) -> str:
    """ "Priorität", not "priority"."""
    label = getattr(model_field(opts, name), "verbose_name", None)
    return capfirst(str(label)) if label else capfirst(name.replace("_", " "))


def display_value(field, value, cache: dict | None = None) -> str:
    """A stored value as the other pages show it; `cache` saves reads of related rows."""
    if value is None or value == "":
        return "–"
    if field is not None and field.is_relation and field.many_to_one:
        pk = getattr(value, "pk", value)
        key = (field.related_model, pk)
        if cache is None or key not in cache:
            related = field.related_model._base_manager.filter(pk=pk).first()
            text = str(related) if related is not None else f"#{pk}"
            if cache is None:
                return text
            cache[key] = text
        return cache[key]
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Ja") if value else _("Nein")
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, datetime.time):
        return formats.time_format(value, "H:i")
    if isinstance(value, Decimal | float):
        return formats.number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    if isinstance(value, list | tuple):
        base = getattr(field, "base_field", None)
        labels = dict(base.flatchoices) if getattr(base, "choices", None) else {}
        return ", ".join(str(labels.get(item, item)) for item in value) or "–"
    return str(value)


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    """Changes listed with readable values (the field's label is simple-history's own:
    the verbose_name)."""

    def prepare_delta_change_value(self, change, value):
        field = model_field(self.model._meta, change.field)
        if field is None or field.many_to_many:
            return super().prepare_delta_change_value(change, value)
        cache = getattr(self, "_related_cache", None)
        if cache is None:
            cache = self._related_cache = {}
        return display_value(field, value, cache)


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin with readable history pages (labels, values, German/English)."""

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=False):
        # Ids, not objects: the helper names each related row once per page.
        super().set_history_delta_changes(
            request, historical_records, foreign_keys_are_objs=foreign_keys_are_objs
        )

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)
