"""Form fields choosing participants with the picker (participants.widgets): one
(`ParticipantPickField`) or several (`ParticipantMultiPickField`). The value is the
participant's reference number (what the picker fills in, and what a user without
JavaScript types), looked up in the field's queryset only. So the queryset still decides
what is accepted, whatever is sent; the widget gets the same restrictions (types, open
liability), so that it offers only participants the field accepts."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import selectors
from .widgets import (
    ParticipantMultiPicker,
    ParticipantPicker,
    references_resolved,
    split_references,
)


def refused(messages: dict, reference: str, known) -> ValidationError:
    """Why a typed reference is refused: nobody has it (``known`` is None), or its
    participant (``known``) is not one the field accepts."""
    if known is None:
        return ValidationError(
            messages["does_not_exist"], code="does_not_exist", params={"ref": reference}
        )
    return ValidationError(
        messages["invalid_choice"],
        code="invalid_choice",
        params={"name": known.name, "ref": known.reference},
    )


class ParticipantPickField(forms.ModelChoiceField):
    """`types` and `open_liability` restrict the picker's search; the queryset must apply
    the same (or narrower) conditions. `refusal`: the message when the reference names a
    participant the queryset does not hold (with `%(name)s` and `%(ref)s`)."""

    default_error_messages = {
        # Codes of config.errors (FrameworkError): no participant has the reference.
        "does_not_exist": _("Es gibt keinen Beteiligten mit der Referenznummer „%(ref)s“."),
        "invalid_choice": _("%(name)s (%(ref)s) kann hier nicht gewählt werden."),
    }

    def __init__(
        self,
        queryset,
        *,
        types=None,
        open_liability: bool = False,
        refusal=None,
        **kwargs,
    ):
        kwargs.setdefault("widget", ParticipantPicker(types=types, open_liability=open_liability))
        kwargs.setdefault("empty_label", None)
        super().__init__(queryset, to_field_name="reference", **kwargs)
        if refusal is not None:
            self.error_messages["invalid_choice"] = refusal

    def prepare_value(self, value):
        """The reference shown in the input: also for an initial participant or its id."""
        if hasattr(value, "_meta"):
            return value.reference
        if isinstance(value, int):
            found = self.queryset.model.objects.filter(pk=value).first()
            return found.reference if found else ""
        return super().prepare_value(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        reference = str(value).strip().upper()
        if not reference:
            return None
        found = self.queryset.filter(reference=reference).first()
        if found is not None:
            return found
        raise refused(
            self.error_messages, str(value).strip(), selectors.participant_by_reference(reference)
        )

    def has_changed(self, initial, data):
        return self.prepare_value(initial) != (str(data).strip().upper() if data else "")


class ParticipantMultiPickField(forms.Field):
    """Several participants with one picker (`ParticipantMultiPicker`): the submitted
    references — one value per chosen participant (the chips) and/or references separated
    by commas (the text input, what a user without JavaScript types) — are each looked up
    in the queryset only, case-insensitive. The cleaned value is the list of participants,
    each once, in the order given (an empty list when none). Every unknown reference and
    every participant outside the queryset is refused, each with its own message (the
    messages as `ParticipantPickField`'s; `refusal` as there)."""

    default_error_messages = ParticipantPickField.default_error_messages

    def __init__(self, queryset, *, types=None, refusal=None, list_label=None, **kwargs):
        kwargs.setdefault("widget", ParticipantMultiPicker(types=types, list_label=list_label))
        super().__init__(**kwargs)
        self.queryset = queryset
        if refusal is not None:
            self.error_messages["invalid_choice"] = refusal

    @property
    def queryset(self):
        return self._queryset

    @queryset.setter
    def queryset(self, queryset):
        self._queryset = None if queryset is None else queryset.all()
        self.widget.queryset = self._queryset  # the chips: participants the field accepts

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self._queryset  # a fresh queryset, also given to the copied widget
        return result

    def prepare_value(self, value):
        return split_references(value)

    def to_python(self, value):
        typed = split_references(value)
        if not typed:
            return []
        participants, rest = references_resolved(typed, queryset=self.queryset)
        if rest:
            known = selectors.participants_by_references(rest)
            raise ValidationError(
                _unique([refused(self.error_messages, r, known.get(r.upper())) for r in rest])
            )
        return participants

    def has_changed(self, initial, data):
        def refs(value):
            return sorted({r.upper() for r in split_references(value)})

        return refs(initial) != refs(data)


def _unique(errors: list[ValidationError]) -> list[ValidationError]:
    """The errors each once (a reference typed twice is refused once)."""
    seen, unique = set(), []
    for error in errors:
        key = (error.code, str(error.params["ref"]).upper())
        if key not in seen:
            seen.add(key)
            unique.append(error)
    return unique
