"""Forms of the payments pages: a date each, validated beside the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.dates import FormDateField
from config.forms import MoneyField, PercentField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class SimulationForm(forms.Form):
    up_to = FormDateField(
        label=_("Simulieren bis"),
        help_text=_("Alle Zahlungen, die bis zu diesem Datum fällig werden."),
        widget=DateInput(),
    )
    beyond_end = forms.BooleanField(
        label=_("Über das voraussichtliche Ende hinaus"),
        help_text=_(
            "Ohne Häkchen endet die Simulation mit dem Zeitraum, der das voraussichtliche "
            "Fall-Enddatum enthält."
        ),
        required=False,
    )


class SimulationSaveForm(forms.Form):
    """SIM-3: name and note of a simulation to save (both optional)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("Ohne Angabe: „Simulation bis …“ mit dem Datum."),
    )
    note = forms.CharField(
        label=_("Notiz"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SimulationFilterForm(forms.Form):
    """SIM-2 at scale: which of a simulation's payments the list shows (GET)."""

    nominee = forms.TypedChoiceField(
        label=_("Leistungsempfänger"), required=False, coerce=int, empty_value=None
    )
    with_deductions = forms.BooleanField(label=_("nur mit Abzügen"), required=False)
    with_skips = forms.BooleanField(label=_("nur mit übersprungenen Abzügen"), required=False)

    def __init__(self, *args, nominees: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominee"].choices = [("", _("Alle"))] + [
            (str(pk), name) for pk, name in nominees
        ]

    def criteria(self) -> dict:
        """The filters as ``filter_payments`` takes them (none for invalid input)."""
        if not self.is_bound or not self.is_valid():
            return {"nominee": None, "with_deductions": False, "with_skips": False}
        return {
            "nominee": self.cleaned_data["nominee"],
            "with_deductions": self.cleaned_data["with_deductions"],
            "with_skips": self.cleaned_data["with_skips"],
        }


class PaymentRunForm(forms.Form):
    run_date = FormDateField(
        label=_("Stichtag"),
        help_text=_("Alle Zahlungen, die bis zu diesem Tag fällig sind, werden erstellt."),
        widget=DateInput(),
    )


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Simulation A"))
    b = forms.IntegerField(label=_("Simulation B"))
    only_differences = forms.BooleanField(label=_("Nur Unterschiede"), required=False)


# --- what-if (SIM-4) ----------------------------------------------------------------------


def _money_field(label, **kwargs):
    """Money as text in the page's language (config.forms; never type=number)."""
    return MoneyField(label=label, required=False, **kwargs)


def _percent_field(label, **kwargs):
    return PercentField(label=label, required=False, **kwargs)


ACTION_CHOICES = [("skip", _("Abzug überspringen")), ("partial", _("Teilbetrag abziehen"))]


class WhatIfForm(forms.Form):
    """SIM-4: one row of fields per deduction in force (prefilled with its values) and an
    optional draft deduction. ``changes()`` gives only what differs from today."""

    up_to = FormDateField(label=_("Simulieren bis"), widget=DateInput())

    def __init__(self, *args, deductions, deduction_types, liabilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.deductions = list(deductions)
        self.rows = []
        for d in self.deductions:
            prefix = f"d{d.pk}"
            fields = {}
            if d.amount is not None:
                fields["amount"] = _money_field(_("Fester Betrag"), initial=d.amount)
            else:
                fields["percentage"] = _percent_field(_("Variabler Satz (%)"), initial=d.percentage)
            fields["priority"] = forms.IntegerField(
                label=_("Priorität"), min_value=1, initial=d.priority
            )
            fields["start_date"] = FormDateField(
                label=_("Startdatum"), widget=DateInput(), initial=d.start_date
            )
            fields["end_date"] = FormDateField(
                label=_("Enddatum"), widget=DateInput(), initial=d.end_date
            )
            fields["action"] = forms.ChoiceField(
                label=_("Verarbeitungsaktion"),
                choices=ACTION_CHOICES,
                initial=d.deduction_type.insufficient_balance_action,
                help_text=_("Nur zum Ausprobieren: die Aktion gehört zum Abzugstyp."),
            )
            for name, field in fields.items():
                self.fields[f"{prefix}_{name}"] = field
            self.rows.append((d, [self[f"{prefix}_{name}"] for name in fields]))
        self.fields["draft_type"] = forms.ModelChoiceField(
            label=_("Abzugstyp"),
            queryset=deduction_types,
            required=False,
            empty_label=_("– kein Entwurf –"),
        )
        self.fields["draft_amount"] = _money_field(_("Fester Betrag"))
        self.fields["draft_percentage"] = _percent_field(_("Variabler Satz (%)"))
        self.fields["draft_priority"] = forms.IntegerField(
            label=_("Priorität"),
            min_value=1,
            required=False,
            help_text=_("Leer: die Priorität der Verknüpfung mit dem Produkt."),
        )
        self.fields["draft_start_date"] = FormDateField(
            label=_("Startdatum"), widget=DateInput(), required=False
        )
        self.fields["draft_end_date"] = FormDateField(
            label=_("Enddatum"), widget=DateInput(), required=False
        )
        self.fields["draft_liability"] = forms.ModelChoiceField(
            label=_("Verbindlichkeit (nur ausgeführte Abzüge)"),
            queryset=liabilities,
            required=False,
        )
        self.draft_fields = [self[name] for name in self.fields if name.startswith("draft_")]

    def changes(self, *, primary_client_id: int) -> list[dict]:
        """The changes entered, in the shape of the API's ``changes`` list."""
        data = self.cleaned_data
        changes = []
        for d in self.deductions:
            prefix = f"d{d.pk}"
            change = {}
            current = {
                "amount": d.amount,
                "percentage": d.percentage,
                "priority": d.priority,
                "start_date": d.start_date,
                "end_date": d.end_date,
                "action": d.deduction_type.insufficient_balance_action,
            }
            for name, value in current.items():
                key = f"{prefix}_{name}"
                if key in data and data[key] != value:
                    change[name] = data[key]
            if change:
                changes.append({"deduction": d.pk, **change})
        deduction_type = data.get("draft_type")
        if deduction_type is not None:
            draft = {
                "deduction_type": deduction_type.pk,
                "amount": data.get("draft_amount"),
                "percentage": data.get("draft_percentage"),
                "priority": data.get("draft_priority"),
                "start_date": data.get("draft_start_date"),
                "end_date": data.get("draft_end_date"),
            }
            if data.get("draft_amount") is not None:
                draft["nominee"] = primary_client_id
            else:
                draft["all_nominees"] = True
            if data.get("draft_liability") is not None:
                draft["liability"] = data["draft_liability"].pk
            changes.append(draft)
        return changes

    def field_for_error(self, key: str) -> str | None:
        """The form field a service refusal names (``changes.<i>.<name>``, ``up_to``);
        None for refusals of the whole request, shown above the form."""
        parts = key.split(".")
        if len(parts) == 3 and parts[1].isdigit():
            return self._field_of_change(int(parts[1]), parts[2])
        return "up_to" if key == "up_to" else None

    def _field_of_change(self, index: int, name: str) -> str | None:
        changes = getattr(self, "_last_changes", [])
        if index >= len(changes):
            return None
        change = changes[index]
        if change.get("deduction"):
            return f"d{change['deduction']}_{name}"
        return f"draft_{'type' if name == 'deduction_type' else name}"
