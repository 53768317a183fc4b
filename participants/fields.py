"""A form field choosing one participant with the picker (participants.widgets): the value
is the participant's reference number (what the picker fills in, and what a user without
JavaScript types), looked up in the field's queryset only. So the queryset still decides
what is accepted, whatever is sent; the widget gets the same restrictions (types, open
liability), so that it offers only participants the field accepts."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import selectors
from .widgets import ParticipantPicker


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
        known = selectors.participant_by_reference(reference)
        if known is None:
            raise ValidationError(
                self.error_messages["does_not_exist"],
                code="does_not_exist",
                params={"ref": str(value).strip()},
            )
        raise ValidationError(
            self.error_messages["invalid_choice"],
            code="invalid_choice",
            params={"name": known.name, "ref": known.reference},
        )

    def has_changed(self, initial, data):
        return self.prepare_value(initial) != (str(data).strip().upper() if data else "")
