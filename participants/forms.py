"""Forms of the participant pages: parse input; the services decide what is valid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from config.dates import FormDateField

from .models import ParticipantType, TradingStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Name oder Referenznummer"), required=False)
    type = forms.ChoiceField(
        label=_("Beteiligtentyp"),
        required=False,
        choices=[("", _("Alle Typen")), *ParticipantType.choices],
    )


class ParticipantForm(forms.Form):
    """Registration and editing; fields that do not belong to the type are refused by the
    service with a message beside the field (PT-2)."""

    type = forms.ChoiceField(label=_("Beteiligtentyp"), choices=ParticipantType.choices)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    address = forms.CharField(
        label=_("Adresse"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    date_of_birth = FormDateField(label=_("Geburtsdatum"), required=False, widget=DATE)
    date_of_death = FormDateField(label=_("Sterbedatum"), required=False, widget=DATE)
    trading_status = forms.ChoiceField(
        label=_("Handelsstatus"),
        required=False,
        choices=[("", "–"), *TradingStatus.choices],
    )
    end_date = FormDateField(label=_("Enddatum"), required=False, widget=DATE)

    def __init__(self, *args, fixed_type: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed_type = fixed_type
        if fixed_type:
            # Editing: the type stays (a prospect is promoted with its own action).
            del self.fields["type"]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["trading_status"] = data.get("trading_status") or ""
        return data


class BankAccountForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    account_name = forms.CharField(label=_("Kontoname"), max_length=200, required=False)
    account_number = forms.CharField(label=_("Kontonummer/IBAN"), max_length=50, required=False)
    bic = forms.CharField(label=_("BLZ/BIC"), max_length=20, required=False)


BankAccountFormSet = forms.formset_factory(BankAccountForm, extra=1, can_delete=True)


def accounts_from(formset) -> list[dict]:
    """The accounts the formset keeps: filled in and not marked for deletion."""
    accounts = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        if not (data.get("account_name") or data.get("account_number")):
            continue
        account = {
            "account_name": data.get("account_name") or "",
            "account_number": data.get("account_number") or "",
            "bic": data.get("bic") or "",
        }
        if data.get("id"):
            account["id"] = data["id"]
        accounts.append(account)
    return accounts


class PromoteForm(forms.Form):
    date_of_birth = FormDateField(label=_("Geburtsdatum"), required=False, widget=DATE)
