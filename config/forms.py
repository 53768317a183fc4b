"""Form fields for money and percentages, used by every form of the project (pages and
Django admin): a text input with `inputmode="decimal"`, read by config.money_input for the
page's active language, never by the browser (a number input) and never as a float.
A refusal is shown beside the field with the accepted form ("Betrag bitte als 1.234,56
eingeben."); a saved value is shown back in the page's language.

`add_service_errors` puts a service's refusal (config.exceptions) on any form, beside
the field it names."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext

from .exceptions import ApplicationError, ValidationFailed
from .money_input import EntryError, format_decimal, parse_decimal

MONEY_EXAMPLE = Decimal("1234.56")
PERCENT_EXAMPLE = Decimal("12.5")


class DecimalEntryInput(forms.TextInput):
    """A plain text input; the mobile keyboard shows digits and separators."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class DecimalEntryField(forms.Field):
    """A Decimal typed in the page's language; see config.money_input for what is refused."""

    widget = DecimalEntryInput

    def __init__(
        self,
        *,
        max_digits: int = 12,
        decimal_places: int = 2,
        allow_negative: bool = False,
        **kwargs,
    ):
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self.allow_negative = allow_negative
        # Accepted from a model field's formfield(); the form parses text itself.
        kwargs.pop("localize", None)
        super().__init__(**kwargs)

    # --- messages -------------------------------------------------------------------------

    def lead(self, language: str) -> str:
        example = format_decimal(MONEY_EXAMPLE, language=language, decimal_places=2)
        return gettext("Betrag bitte als %(example)s eingeben.") % {"example": example}

    def negative_message(self) -> str:
        return gettext("Der Betrag darf nicht negativ sein.")

    def largest(self) -> Decimal:
        return Decimal(10 ** (self.max_digits - self.decimal_places)) - Decimal(1).scaleb(
            -self.decimal_places
        )

    def message(self, code: str) -> str:
        language = translation.get_language()
        lead = self.lead(language)
        if code == "negative":
            return f"{self.negative_message()} {lead}"
        if code == "places":
            detail = gettext("Höchstens %(places)s Nachkommastellen.") % {
                "places": self.decimal_places
            }
        elif code == "ambiguous":
            detail = gettext(
                "Tausender mit Nachkommastellen (%(grouped)s) oder ohne Trennzeichen "
                "(%(plain)s) schreiben."
            ) % {
                "grouped": format_decimal(Decimal(1234), language=language, decimal_places=2),
                "plain": "1234",
            }
        elif code == "sign":
            detail = gettext("Ohne Vorzeichen.")
        elif code == "range":
            detail = gettext("Höchstens %(max)s.") % {
                "max": format_decimal(
                    self.largest(), language=language, decimal_places=self.decimal_places
                )
            }
        else:
            return lead
        return f"{lead} {detail}"

    # --- parsing and display --------------------------------------------------------------

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(
                str(value),
                language=translation.get_language(),
                max_digits=self.max_digits,
                decimal_places=self.decimal_places,
                allow_negative=self.allow_negative,
            )
        except EntryError as exc:
            raise forms.ValidationError(self.message(exc.code), code="invalid") from exc

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_decimal(
                Decimal(value),
                language=translation.get_language(),
                decimal_places=self.decimal_places,
            )
        return value


class MoneyField(DecimalEntryField):
    """An amount in euros: 12 digits, two decimal places (the MONEY columns)."""


class PercentField(DecimalEntryField):
    """A percentage: 5 digits, two decimal places (the PERCENT columns)."""

    def __init__(self, *, max_digits: int = 5, decimal_places: int = 2, **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)

    def lead(self, language: str) -> str:
        example = format_decimal(
            PERCENT_EXAMPLE, language=language, decimal_places=min(self.decimal_places, 1)
        )
        return gettext("Prozentsatz bitte als %(example)s eingeben.") % {"example": example}

    def negative_message(self) -> str:
        return gettext("Der Prozentsatz darf nicht negativ sein.")


def language_neutral(form: forms.BaseForm, answers: dict) -> dict:
    """Answers of a valid form to keep between requests (a wizard's session): amounts and
    percentages as plain Decimal text ("1234.56"), so that a change of page language in
    between does not make them unreadable. Undo with `in_page_language`."""
    kept = dict(answers)
    for name, field in form.fields.items():
        if isinstance(field, DecimalEntryField) and name in kept:
            value = form.cleaned_data.get(name)
            kept[name] = "" if value is None else str(value)
    return kept


def in_page_language(form_class: type[forms.BaseForm], kept: dict) -> dict:
    """Kept answers (see `language_neutral`) as the page's language writes them, to bind
    the form again."""
    data = dict(kept)
    language = translation.get_language()
    for name, field in form_class.base_fields.items():
        if not isinstance(field, DecimalEntryField) or not data.get(name):
            continue
        try:
            value = Decimal(str(data[name]))
        except InvalidOperation:
            continue  # not kept by language_neutral: left for the form to refuse
        if value.is_finite():
            data[name] = format_decimal(
                value, language=language, decimal_places=field.decimal_places
            )
    return data


def is_percent_column(db_field: models.DecimalField) -> bool:
    """Percent columns are the decimal columns capped at 100 (products.models.PERCENT)."""
    return any(
        isinstance(v, MaxValueValidator) and v.limit_value == 100 for v in db_field.validators
    )


def decimal_formfield(db_field: models.DecimalField, **kwargs) -> DecimalEntryField:
    """The form field of a model's decimal column, for ModelForms and admin."""
    form_class = PercentField if is_percent_column(db_field) else MoneyField
    kwargs.pop("widget", None)
    return db_field.formfield(form_class=form_class, **kwargs)


class DecimalEntryAdminMixin:
    """For ModelAdmin and inlines: decimal columns are entered as text in the page's
    language (never Django's number input)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.DecimalField):
            return decimal_formfield(db_field, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


def add_service_errors(
    form: forms.BaseForm,
    error: ApplicationError | Mapping[str, Iterable[str]],
    *,
    fields: Mapping[str, str | None] | Callable[[str], str | None] | None = None,
) -> None:
    """Show a service's refusal on the form: each message beside the field it names (the
    API name translated by ``fields``, a mapping or a function; by default the form's own
    ``error_map``), else above the form."""
    if fields is None:
        fields = getattr(form, "error_map", None)
    if isinstance(error, ValidationFailed):
        items = error.errors.items()
    elif isinstance(error, ApplicationError):
        items = [(error.field or "detail", [error.message])]
    else:
        items = error.items()
    for key, messages in items:
        if fields is None:
            name = key
        elif callable(fields):
            name = fields(key)
        else:
            name = fields.get(key, key)
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
