"""The participant picker: a text input for the reference number (the form works without
JavaScript, exactly as a plain reference field) that, with static/js/picker.js and htmx,
searches participants by name, reference or date of birth as an ARIA combobox, and echoes
the chosen participant's name, date of birth and reference beside the field (also after a
validation round-trip, from the server)."""

from __future__ import annotations

import json

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import selectors


def participant_echo(participant) -> str:
    """ "Anna Schmidt, geb. 01.02.1980 (B-0000001)" as the picker shows a chosen participant."""
    text = participant.name
    if participant.date_of_birth:
        born = date_format(participant.date_of_birth, "d.m.Y")
        text += ", " + _("geb. %(date)s") % {"date": born}
    return f"{text} ({participant.reference})"


# A `types` value naming no known type: the endpoint then offers nobody (a field that
# accepts no type at all).
NO_TYPE = "-"


class ParticipantPicker(forms.TextInput):
    """`types`: the participant types worth offering (None: any; the form or the services
    still decide which are accepted). `open_liability`: only holders of an open liability
    (CD-3). A field restricted by its queryset passes the same restrictions, so the picker
    offers exactly whom the field accepts (participants.fields.ParticipantPickField).

    `reload_on_change(url=…, target=…)`: when a participant is chosen (picker.js fires
    `picker:chosen` on the input), htmx fetches `url` with the input's value and swaps `target`
    (outerHTML), e.g. the liability choice of the chosen holder."""

    template_name = "participants/widgets/picker.html"

    def __init__(self, attrs=None, *, types=None, open_liability: bool = False):
        super().__init__(attrs)
        self.types = None if types is None else [str(t) for t in types]
        self.open_liability = open_liability
        self.reload: dict[str, str] | None = None

    def reload_on_change(self, *, url: str, target: str) -> None:
        self.reload = {"url": url, "target": target}

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.types = None if self.types is None else list(self.types)
        copied.reload = None if self.reload is None else dict(self.reload)
        return copied

    def restriction(self) -> dict[str, str]:
        """The pick endpoint's restriction parameters (participants.views.participant_pick)."""
        params = {"types": ""}
        if self.types is not None:
            params["types"] = ",".join(self.types) or NO_TYPE
        if self.open_liability:
            params["open_liability"] = "1"
        return params

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        base = widget["attrs"].get("id") or f"picker-{name}"
        listbox = f"{base}-listbox"
        echo_id = f"{base}-echo"
        described = widget["attrs"].get("aria-describedby", "")
        widget["attrs"].update(
            {
                "role": "combobox",
                "aria-autocomplete": "list",
                "aria-expanded": "false",
                "aria-controls": listbox,
                "aria-describedby": f"{described} {echo_id}".strip(),
                "autocomplete": "off",
                "spellcheck": "false",
                "data-picker": "",
                "hx-get": reverse("participants:pick"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{listbox}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
                "hx-vals": json.dumps({"listbox": listbox, **self.restriction()}),
            }
        )
        found = selectors.participant_by_reference(str(value)) if value else None
        wrapper = {}
        if self.reload:
            # On the wrapper, not the input: the input's own hx-get is the search.
            wrapper = {
                "hx-get": self.reload["url"],
                "hx-trigger": "picker:chosen",
                "hx-include": f"#{base}",
                "hx-target": self.reload["target"],
                "hx-swap": "outerHTML",
                "hx-disinherit": "*",
            }
        context["picker"] = {
            "listbox": listbox,
            "echo_id": echo_id,
            "echo": participant_echo(found) if found else "",
            "wrapper_attrs": wrapper,
        }
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        plain = forms.TextInput(context["widget"]["attrs"])
        context["input"] = plain.render(name, self.format_value(value), renderer=renderer)
        return mark_safe(render_to_string(self.template_name, context))

    def format_value(self, value):
        # A participant (the cleaned value shown again) is shown by its reference.
        reference = getattr(value, "reference", None)
        return reference if reference is not None else super().format_value(value)
