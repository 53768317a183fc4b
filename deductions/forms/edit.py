"""Changing and cancelling a case deduction (CD-10..CD-15)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from config.dates import FormDateField, format_date
from config.forms import MoneyField, PercentField
from products.models import DeductionCategory

from ..services import validation
from ..services.validation import fmt_money
from .common import DATE_WIDGET
from .wizard import AmountStep, third_party_field


class DeductionEditForm(forms.Form):
    """CD-13: amount or percentage, dates, priority, third-party details."""

    start_date = FormDateField(label=_("Startdatum"), widget=DATE_WIDGET)
    end_date = FormDateField(label=_("Enddatum"), widget=DATE_WIDGET)
    priority = forms.IntegerField(label=_("Priorität"), min_value=1)
    automatic_priority = forms.BooleanField(
        label=_("Priorität automatisch zuweisen"), required=False
    )

    def __init__(self, *args, deduction, suggested_end_date=None, **kwargs):
        self.deduction = deduction
        suggested = (
            suggested_end_date
            if suggested_end_date
            and deduction.start_date <= suggested_end_date < deduction.end_date
            else None
        )
        initial = {
            "start_date": deduction.start_date,
            "end_date": suggested or deduction.end_date,
            "priority": deduction.priority,
            "amount": deduction.amount,
            "percentage": deduction.percentage,
            "third_party": deduction.third_party,
            "third_party_account_number": deduction.third_party_account_number,
            "third_party_reference": deduction.third_party_reference,
        }
        super().__init__(*args, initial=initial, **kwargs)
        if suggested:
            self.fields["end_date"].help_text = _(
                "Vorschlag aus der Aufgabe: Der Dritte ist zum %(date)s beendet "
                "(bisheriges Enddatum %(old)s)."
            ) % {
                "date": format_date(suggested),
                "old": format_date(deduction.end_date),
            }
        dtype = deduction.deduction_type
        if deduction.is_fixed:
            self.fields["amount"] = MoneyField(
                label=_("Fester Betrag (EUR)"), help_text=AmountStep.amount_limits(dtype)
            )
        else:
            self.fields["percentage"] = PercentField(label=_("Variabler Satz (%)"))
            if dtype.max_percentage is not None:
                self.fields["percentage"].help_text = _("Höchstens %(max)s %%.") % {
                    "max": fmt_money(dtype.max_percentage)
                }
        # Amount first, as in the wizard.
        self.order_fields(["amount", "percentage"])
        if deduction.category == DeductionCategory.THIRD_PARTY:
            self.fields["third_party"] = third_party_field(dtype.allowed_participant_types or [])
            self.fields["third_party_account_number"] = forms.CharField(
                label=_("Kontonummer"), max_length=50
            )
            self.fields["third_party_reference"] = forms.CharField(
                label=_("Referenznummer"), max_length=60
            )

    def changes(self) -> dict:
        """Keyword arguments of deduction_update: only what differs from the deduction."""
        data = self.cleaned_data
        d = self.deduction
        changes = {}
        for name in (
            "amount",
            "percentage",
            "start_date",
            "end_date",
            "third_party",
            "third_party_account_number",
            "third_party_reference",
        ):
            if name in self.fields and data.get(name) != getattr(d, name):
                changes[name] = data.get(name)
        if data.get("automatic_priority"):
            changes["priority"] = validation.AUTOMATIC
        elif data.get("priority") != d.priority:
            changes["priority"] = data.get("priority")
        return changes


class CancelForm(forms.Form):
    """CD-10: cancelling is final, so the page asks for an explicit confirmation."""

    reason = forms.CharField(label=_("Grund (optional)"), max_length=200, required=False)
    confirm = forms.BooleanField(
        label=_("Ich bestätige den endgültigen Abbruch"),
        required=True,
        error_messages={
            "required": _("Bestätigen Sie den endgültigen Abbruch, um den Abzug abzubrechen.")
        },
    )
