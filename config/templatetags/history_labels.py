"""Template tags of the history table (templates/simple_history/object_history_list.html):
column headers by verbose_name and readable values (config.history_display)."""

from __future__ import annotations

from django import template

from config.history_display import display_value, field_label, model_field

register = template.Library()


@register.simple_tag
def history_label(opts, name: str) -> str:
    return field_label(opts, name)


@register.simple_tag(takes_context=True)
def history_column(context, opts, record, name: str) -> str:
    """One history_list_display column of a record, readable (related rows named once
    per page)."""
    field = model_field(opts, name)
    if field is not None and field.is_relation and field.many_to_one:
        value = getattr(record, field.attname, None)
    else:
        value = getattr(record, name, None)
        if callable(value):
            value = value()
    cache = context.render_context.setdefault("history_related", {})
    return display_value(field, value, cache)
