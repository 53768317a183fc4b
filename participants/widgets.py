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
from django.utils.translation import gettext_lazy

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


def split_references(value) -> list[str]:
    """The references in `value`: a list of references and/or comma-separated texts (what
    the multi picker submits under one name), or participants; stripped, empty ones left
    out, in the order given (duplicates kept)."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) or hasattr(value, "reference") else list(value)
    references = []
    for item in items:
        reference = getattr(item, "reference", None)
        if reference is not None:
            references.append(reference)
            continue
        references.extend(part.strip() for part in str(item).split(",") if part.strip())
    return references


def references_resolved(references: list[str], *, queryset=None) -> tuple[list, list[str]]:
    """The participants the references name (in `queryset`, or anyone's when None), each
    once, in the order given, and the references that name none of them (case-insensitive;
    two queries at most whatever the count)."""
    wanted = {r.upper() for r in references}
    if queryset is None:
        found = selectors.participants_by_references(wanted)
    else:
        found = {p.reference: p for p in queryset.filter(reference__in=wanted)}
    chosen, rest, seen = [], [], set()
    for reference in references:
        participant = found.get(reference.upper())
        if participant is None:
            rest.append(reference)
        elif participant.pk not in seen:
            seen.add(participant.pk)
            chosen.append(participant)
    return chosen, rest


class ParticipantMultiPicker(ParticipantPicker):
    """Several participants with one picker (participants.fields.ParticipantMultiPickField):
    the same combobox search; each chosen participant is a list item ("chip") with its
    echo, a remove button and its reference as a value submitted under the field's name.

    The chips the server renders (after a validation round-trip, or initial ones) carry
    the reference in a checked checkbox, so that without JavaScript a participant can be
    taken out again by unchecking it; static/js/picker.js turns those into hidden inputs
    and shows the remove buttons. The search input has the same name: without JavaScript
    it takes references separated by commas, as the plain field did.

    `queryset` (set by the field): who may be shown as a chip; a submitted reference it
    does not hold stays in the text input, where the field's error refers to it."""

    template_name = "participants/widgets/multi_picker.html"

    def __init__(self, attrs=None, *, types=None, list_label=None):
        super().__init__(attrs, types=types)
        self.queryset = None
        self.list_label = list_label or gettext_lazy("Gewählte Beteiligte")

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.queryset = self.queryset
        return copied

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return split_references(values)

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value):
        return split_references(value)

    def get_context(self, name, value, attrs):
        chosen, rest = references_resolved(self.format_value(value), queryset=self.queryset)
        described = self.build_attrs(self.attrs, attrs).get("aria-describedby", "")
        context = super().get_context(name, "", attrs)  # "": no single echo to look up
        widget = context["widget"]
        widget["value"] = ", ".join(rest)
        widget["attrs"]["data-picker-multi"] = ""
        if described:
            widget["attrs"]["aria-describedby"] = described
        else:
            widget["attrs"].pop("aria-describedby", None)
        base = widget["attrs"].get("id") or f"picker-{name}"
        chips = []
        for participant in chosen:
            label = participant_echo(participant)
            chips.append(
                {
                    "reference": participant.reference,
                    "label": label,
                    "remove": _("%(label)s entfernen") % {"label": label},
                }
            )
        context["picker"].update(
            {
                "name": name,
                "chips": chips,
                "chips_id": f"{base}-chosen",
                "status_id": f"{base}-status",
                "list_label": str(self.list_label),
                "texts": {
                    "remove": _("%(label)s entfernen"),
                    "added": _("%(label)s hinzugefügt."),
                    "removed": _("%(label)s entfernt."),
                    "duplicate": _("%(label)s ist bereits gewählt."),
                    "chosen": _("bereits gewählt"),
                },
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        plain = forms.TextInput(context["widget"]["attrs"])
        context["input"] = plain.render(name, context["widget"]["value"], renderer=renderer)
        return mark_safe(render_to_string(self.template_name, context))
