"""Subject and text templates of agency-defined processes (WF-4): the placeholders an event
offers, their validation when a process is saved, and rendering."""

from __future__ import annotations

import string

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Placeholder → what it stands for (shown in admin). Values come from the event's data.
PLACEHOLDERS: dict[str, str] = {
    "event": gettext_lazy("Ereignis, z. B. „Abzug übersprungen“"),
    "deduction": gettext_lazy("Abzug (Abzugsart), bei mehreren durch Komma getrennt"),
    "deduction_id": gettext_lazy("Nummer des Abzugs"),
    "case": gettext_lazy("Referenz des Produktbereitstellungsfalls"),
    "participant": gettext_lazy("Beteiligter (Name)"),
    "reason": gettext_lazy("Grund, z. B. warum ein Abzug übersprungen wurde"),
    "period_start": gettext_lazy("Beginn des Zahlungszeitraums"),
    "period_end": gettext_lazy("Ende des Zahlungszeitraums"),
    "end_date": gettext_lazy("Enddatum des Abzugs"),
    "liability": gettext_lazy("Verbindlichkeit (Fall-ID der Verbindlichkeit)"),
}

# Shown in the admin preview when no event of a mapped type has been recorded yet.
SAMPLE_VALUES: dict[str, str] = {
    "event": "Abzug übersprungen",
    "deduction": "Miete Stadtwerke",
    "deduction_id": "42",
    "case": "PBF-000123",
    "participant": "Stadtwerke Nord",
    "reason": "Die Verbindlichkeit ist bereits beglichen.",
    "period_start": "01.07.2026",
    "period_end": "31.07.2026",
    "end_date": "30.06.2026",
    "liability": "VB-2026-17",
}


def placeholder_list() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def template_errors(text: str) -> list[str]:
    """German messages for everything wrong with a template; empty when it is valid."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return [
            _(
                "Die Vorlage enthält eine einzelne geschweifte Klammer. Platzhalter stehen in "
                "{ und }, eine Klammer als Text wird verdoppelt: {{ oder }}."
            )
        ]
    errors: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name == "":
            errors.append(_("Leere Platzhalter „{}“ sind nicht erlaubt."))
        elif name not in PLACEHOLDERS:
            errors.append(
                _("Unbekannter Platzhalter „{%(name)s}“. Erlaubt sind: %(allowed)s.")
                % {"name": name, "allowed": placeholder_list()}
            )
        elif spec or conversion:
            errors.append(
                _("Der Platzhalter „{%(name)s}“ wird ohne Format oder Umwandlung geschrieben.")
                % {"name": name}
            )
    return errors


class _Values(dict):
    def __missing__(self, key: str) -> str:
        return ""


def render_template(text: str, values: dict[str, str]) -> str:
    """Fill a validated template; a value the event does not carry stays empty."""
    return text.format_map(_Values(values))
