"""Fields, labels and the step base shared by the deduction forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from config.forms import add_service_errors
from config.money_format import format_money, format_percent
from products.models import DeductionType

from ..services.validation import Errors, fmt_money

FIXED, VARIABLE = "fixed", "variable"


KIND_CHOICES = [(FIXED, _("Fester Betrag")), (VARIABLE, _("Variabler Satz"))]

ASSIGN_NOMINEE, ASSIGN_ALL, ASSIGN_COMPONENT, ASSIGN_NONE = "nominee", "all", "component", "none"
ASSIGNMENT_LABELS = {
    ASSIGN_NOMINEE: _("Ein Leistungsempfänger"),
    ASSIGN_ALL: _("Alle Leistungsempfänger"),
    ASSIGN_COMPONENT: _("Eine Fallkomponente"),
    ASSIGN_NONE: _("Keine Zuordnung (wie alle Leistungsempfänger)"),
}

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# Beside a participant picker (participants.fields.ParticipantPickField).
PICK_HELP = _("Name, Geburtsdatum (TT.MM.JJJJ) oder Referenznummer")


class ParticipantChoiceField(forms.ModelChoiceField):
    """A participant from a short list bound to the case (its nominees): a plain select."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.reference}, {obj.get_type_display()})"


def money_label(value) -> str:
    """An amount in euros, its number written as the page's language writes it."""
    return format_money(value)


class LiabilityChoiceField(forms.ModelChoiceField):
    """ "VB-… – reason – 250,00 € offen", the holder's name only when the list mixes holders."""

    show_holder = False

    def label_from_instance(self, obj):
        return liability_label(obj, holder=self.show_holder)


def liability_label(liability, *, holder: bool = False) -> str:
    """A liability as "VB-… – [holder –] reason – 250,00 € offen"."""
    parts = [liability.liability_case_id]
    if holder:
        parts.append(liability.participant.name)
    if liability.description:
        parts.append(liability.description)
    amount = money_label(liability.outstanding_amount)
    parts.append(str(_("%(amount)s offen") % {"amount": amount}))
    return " – ".join(parts)


class ComponentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.component_type.name} – {obj.nominee.name} ({fmt_money(obj.amount)})"


def show_when(field, control: str, value) -> None:
    """Mark a field as belonging to one choice of a radio group on the same page: static/js/
    wizard.js hides it (and disables its inputs, so they are not sent) for the other choices.
    Without JavaScript every field stays visible and the form's clean() decides."""
    field.show_when = f"{control}={value}"


TYPE_FACTS = [
    ("default_amount", True),
    ("min_amount", True),
    ("max_amount", True),
    ("default_percentage", False),
    ("max_percentage", False),
]


def type_facts(dtype) -> list[tuple[str, str]]:
    """A deduction type's defaults and limits as (label, value) rows; empty when it has none."""
    rows = []
    for name, money in TYPE_FACTS:
        value = getattr(dtype, name)
        if value is not None:
            label = str(DeductionType._meta.get_field(name).verbose_name)
            rows.append((label, money_label(value) if money else format_percent(value)))
    return rows


class StepForm(forms.Form):
    """A wizard step. `wizard` holds the case and what earlier steps decided."""

    # API field name → form field name, for messages of the services.
    error_map: dict[str, str] = {}

    def __init__(self, *args, wizard: dict, **kwargs):
        self.wizard = wizard
        super().__init__(*args, **kwargs)

    @property
    def case(self):
        return self.wizard["case"]

    def check(self, run) -> None:
        """Run validation checks that add to an Errors collector and show their messages."""
        errors = Errors()
        run(errors)
        add_service_errors(self, errors.errors)

    def values(self) -> dict:
        """Keyword arguments of deduction_create contributed by this step."""
        return {}
