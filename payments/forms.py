"""Forms of the payments pages: a date each, validated beside the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.dates import FormDateField


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


class PaymentRunForm(forms.Form):
    run_date = FormDateField(
        label=_("Stichtag"),
        help_text=_("Alle Zahlungen, die bis zu diesem Tag fällig sind, werden erstellt."),
        widget=DateInput(),
    )


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Simulation A"))
    b = forms.IntegerField(label=_("Simulation B"))
