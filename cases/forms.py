"""Forms of the case pages: parse input (participants by reference number); the services
decide what is valid and their messages are shown beside the fields."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config import roles
from config.dates import FormDateField
from config.forms import MoneyField
from config.ids import IdMultipleChoiceField
from participants.fields import ParticipantMultiPickField
from participants.models import PERSON_TYPES, Participant, ParticipantType
from participants.widgets import ParticipantPicker
from products.models import Product

from .models import (
    ActivityType,
    ApplicationStatus,
    IntegratedCaseStatus,
    IntegratedCaseType,
    MemberRole,
)
from .services import NOMINEE_TYPES, PLANNED_ACTIVITIES_CHOICES
from .services.service_deliveries import SERVICE_PROVIDER_TYPES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PERSON_CHOICES = [(t.value, t.label) for t in ParticipantType if t in PERSON_TYPES]
MODE_CHOICES = [
    ("existing", _("Registrierte Person oder registrierter Anwärter")),
    ("new", _("Neue Person oder neuen Anwärter registrieren")),
]


def participant_by_reference(value: str) -> Participant | None:
    value = (value or "").strip()
    if not value:
        return None
    found = Participant.objects.filter(reference__iexact=value).first()
    if found is None:
        raise forms.ValidationError(
            _("Es gibt keinen Beteiligten mit der Referenznummer „%(ref)s“."),
            params={"ref": value},
        )
    return found


class IntegratedCaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Referenz oder Name"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle")), *IntegratedCaseStatus.choices]
    )
    case_type = forms.ModelChoiceField(
        label=_("Typ"),
        required=False,
        queryset=IntegratedCaseType.objects.all(),
        to_field_name="code",
        empty_label=_("Alle Typen"),
    )


class NewPersonFieldsMixin(forms.Form):
    """Choose a registered person/prospect by reference, or register a new one (IC-1)."""

    mode = forms.ChoiceField(
        label=_("Hauptbeteiligter"),
        choices=MODE_CHOICES,
        initial="existing",
        widget=forms.RadioSelect,
    )
    participant_reference = forms.CharField(
        label=_("Beteiligter (Name, Geburtsdatum oder Referenznummer)"),
        required=False,
        help_text=_(
            "Suchen Sie nach Name, Geburtsdatum (TT.MM.JJJJ) oder Referenznummer, "
            "oder geben Sie die Referenznummer ein, z. B. B-0000001."
        ),
        widget=ParticipantPicker(types=PERSON_TYPES),
    )
    new_type = forms.ChoiceField(
        label=_("Beteiligtentyp"), choices=PERSON_CHOICES, initial="person", required=False
    )
    new_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    new_date_of_birth = FormDateField(label=_("Geburtsdatum"), required=False, widget=DATE)

    error_map = {
        "primary_client": "participant_reference",
        "participant": "participant_reference",
        "applicant": "participant_reference",
        "new_client.type": "new_type",
        "new_client.name": "new_name",
        "new_client.date_of_birth": "new_date_of_birth",
        "new_applicant.type": "new_type",
        "new_applicant.name": "new_name",
        "new_applicant.date_of_birth": "new_date_of_birth",
    }

    def clean(self):
        data = super().clean()
        data["participant"] = None
        data["new_person"] = None
        if data.get("mode") == "new":
            data["new_person"] = {
                "type": data.get("new_type") or "person",
                "name": data.get("new_name") or "",
                "date_of_birth": data.get("new_date_of_birth"),
            }
        elif data.get("mode") == "existing":
            reference = data.get("participant_reference")
            if not reference:
                self.add_error("participant_reference", _("Bitte geben Sie die Referenznummer an."))
            else:
                try:
                    data["participant"] = participant_by_reference(reference)
                except forms.ValidationError as exc:
                    self.add_error("participant_reference", exc)
        return data


class IntegratedCaseCreateForm(NewPersonFieldsMixin):
    case_type = forms.ModelChoiceField(
        label=_("Typ des integrierten Falls"),
        queryset=IntegratedCaseType.objects.filter(active=True),
        to_field_name="code",
        required=False,
        empty_label=None,
    )

    # IC-10: the first benefit with the case (optional).
    product = forms.ModelChoiceField(
        label=_("Leistungsprodukt (erste Leistung, optional)"),
        queryset=Product.objects.order_by("name"),
        required=False,
        empty_label=_("Keine Leistung jetzt anlegen"),
        help_text=_(
            "Mit einem Leistungsprodukt wird der erste Produktbereitstellungsfall gleich mit "
            "angelegt. Leistungsprodukte mit Anliegenverfahren (markiert) entstehen über "
            "einen genehmigten Antrag und werden hier abgelehnt."
        ),
    )
    start_date = forms.DateField(
        label=_("Startdatum der Leistung"),
        required=False,
        widget=DATE,
        help_text=_("Leer = Eröffnungsdatum des Falls"),
    )
    expected_end_date = forms.DateField(
        label=_("Voraussichtliches Fall-Enddatum"), required=False, widget=DATE
    )
    # IC-7, IC-10: several nominees with one picker; references typed with commas still work.
    nominee_references = ParticipantMultiPickField(
        label=_("Weitere Leistungsempfänger"),
        queryset=Participant.objects.filter(type__in=list(NOMINEE_TYPES)).order_by("name", "id"),
        types=NOMINEE_TYPES,
        refusal=_(
            "%(name)s (%(ref)s) kann nicht Leistungsempfänger sein: wählbar sind Personen, "
            "Arbeitgeber und Repräsentanten."
        ),
        list_label=_("Gewählte weitere Leistungsempfänger"),
        required=False,
        help_text=_("Der Hauptbeteiligte ist immer Leistungsempfänger."),
    )
    error_map = {**NewPersonFieldsMixin.error_map, "nominees": "nominee_references"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = IntegratedCaseType.objects.filter(is_default=True, active=True).first()
        if default and not self.initial.get("case_type"):
            self.initial["case_type"] = default.code
        self.fields["product"].label_from_instance = self._product_label

    @staticmethod
    def _product_label(product) -> str:
        if product.has_application_process:
            return _("%(name)s (Anliegenverfahren: über Anträge)") % {"name": product.name}
        return product.name


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Schließungsgrund"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    closed_on = FormDateField(
        label=_("Schließungsdatum"), required=False, widget=DATE, help_text=_("Leer = heute")
    )
    # IC-11: asked when the case has planned activities.
    planned_activities = forms.ChoiceField(
        label=_("Geplante Aktivitäten"),
        choices=PLANNED_ACTIVITIES_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "Abgesagte Aktivitäten bleiben mit ihrem Verlauf erhalten; beibehaltene bleiben "
            "auf der Startseite der Verantwortlichen, bis sie erledigt oder abgesagt sind."
        ),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Grund für das erneute Öffnen"), required=False)


class MemberAddForm(NewPersonFieldsMixin):
    mode = forms.ChoiceField(
        label=_("Haushaltsmitglied"),
        choices=MODE_CHOICES,
        initial="existing",
        widget=forms.RadioSelect,
    )
    role = forms.CharField(widget=forms.HiddenInput, initial=MemberRole.HOUSEHOLD_MEMBER)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "member")
        super().__init__(*args, **kwargs)


class ProviderMixin(forms.Form):
    provider_reference = forms.CharField(
        label=_("Anbieter (Name oder Referenznummer)"),
        required=False,
        widget=ParticipantPicker(types=SERVICE_PROVIDER_TYPES),
    )

    def clean_provider_reference(self):
        return participant_by_reference(self.cleaned_data.get("provider_reference"))


class ServiceDeliveryForm(ProviderMixin):
    service = forms.CharField(label=_("Service"), max_length=200, required=False)
    start_date = FormDateField(label=_("Startdatum"), required=False, widget=DATE)
    end_date = FormDateField(label=_("Enddatum"), required=False, widget=DATE)
    notes = forms.CharField(
        label=_("Bemerkungen"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    error_map = {"provider": "provider_reference"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "delivery")
        super().__init__(*args, **kwargs)


class ReferralForm(ProviderMixin):
    service = forms.CharField(label=_("Service"), max_length=200, required=False)
    referral_date = FormDateField(
        label=_("Überweisungsdatum"), required=False, widget=DATE, help_text=_("Leer = heute")
    )
    reason = forms.CharField(
        label=_("Grund"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    error_map = {"provider": "provider_reference"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "referral")
        super().__init__(*args, **kwargs)


def casework_users():
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name__in=[roles.CASEWORKER, roles.SUPERVISOR]))
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ProductDeliveryCaseCreateForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Leistungsprodukt"),
        queryset=Product.objects.filter(has_application_process=False),
        empty_label=_("Bitte wählen"),
    )
    start_date = FormDateField(label=_("Startdatum"), required=False, widget=DATE)
    expected_end_date = FormDateField(
        label=_("Voraussichtliches Fall-Enddatum"), required=False, widget=DATE
    )
    case_supervisor = UserChoiceField(
        label=_("Fall-Supervisor"), queryset=None, required=False, empty_label=None
    )
    nominees = IdMultipleChoiceField(
        label=_("Weitere Leistungsempfänger"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Der Hauptbeteiligte ist immer Leistungsempfänger."),
    )
    override_max_deduction_rate = forms.BooleanField(
        label=_("Maximalen Abzugssatz überschreiben"), required=False
    )

    def __init__(self, *args, integrated_case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_supervisor"].queryset = casework_users()
        self.initial.setdefault("case_supervisor", user.pk)
        member_ids = integrated_case.members.values_list("participant_id", flat=True)
        self.fields["nominees"].queryset = (
            Participant.objects.filter(pk__in=member_ids, type__in=list(NOMINEE_TYPES))
            .exclude(pk=integrated_case.primary_client_id)
            .order_by("name")
        )
        if not roles.is_supervisor(user):
            # RO-1: only case supervisors may set the override (CD-12).
            del self.fields["override_max_deduction_rate"]


class PdcUpdateForm(forms.Form):
    expected_end_date = FormDateField(
        label=_("Voraussichtliches Fall-Enddatum"), required=False, widget=DATE
    )
    case_supervisor = UserChoiceField(label=_("Fall-Supervisor"), queryset=None, empty_label=None)
    override_max_deduction_rate = forms.BooleanField(
        label=_("Maximalen Abzugssatz überschreiben"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("prefix", "edit")
        super().__init__(*args, **kwargs)
        self.fields["case_supervisor"].queryset = casework_users()
        if not roles.is_supervisor(user):
            del self.fields["override_max_deduction_rate"]


class NomineeAddForm(forms.Form):
    participant_reference = forms.CharField(
        label=_("Leistungsempfänger (Person, Arbeitgeber oder Repräsentant)"),
        help_text=_("Name, Geburtsdatum (TT.MM.JJJJ) oder Referenznummer"),
        widget=ParticipantPicker(types=NOMINEE_TYPES),
    )
    error_map = {"participant": "participant_reference"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "nominee")
        super().__init__(*args, **kwargs)

    def clean_participant_reference(self):
        return participant_by_reference(self.cleaned_data["participant_reference"])


class ComponentForm(forms.Form):
    component_type = forms.ModelChoiceField(
        label=_("Komponententyp"), queryset=None, empty_label=_("Bitte wählen")
    )
    amount = MoneyField(label=_("Betrag je Zahlungszeitraum"))
    nominee = forms.ModelChoiceField(label=_("Leistungsempfänger"), queryset=None, empty_label=None)
    start_date = FormDateField(
        label=_("Startdatum"), required=False, widget=DATE, help_text=_("Leer = Fallbeginn")
    )
    end_date = FormDateField(label=_("Enddatum"), required=False, widget=DATE)

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("prefix", "component")
        super().__init__(*args, **kwargs)
        self.fields["component_type"].queryset = case.product.component_types.all()
        self.fields["nominee"].queryset = Participant.objects.filter(
            nominee_links__case=case
        ).order_by("name")
        self.initial.setdefault("nominee", case.primary_client_id)


class ReassessForm(forms.Form):
    amount = MoneyField(label=_("Neuer Betrag"))
    effective_from = FormDateField(label=_("Gültig ab"), widget=DATE)


class LiabilityForm(forms.Form):
    participant_reference = forms.CharField(
        label=_("Beteiligter (Name, Geburtsdatum oder Referenznummer)"),
        widget=ParticipantPicker(),
    )
    original_amount = MoneyField(label=_("Ursprungsbetrag"))
    liability_case_id = forms.CharField(
        label=_("ID des Verbindlichkeitsfalls"),
        max_length=40,
        required=False,
        help_text=_("Leer = wird vergeben (VB-Jahr-Nummer)."),
    )
    description = forms.CharField(label=_("Beschreibung"), max_length=200, required=False)
    error_map = {"participant": "participant_reference"}

    def clean_participant_reference(self):
        return participant_by_reference(self.cleaned_data["participant_reference"])


class ApplicationForm(NewPersonFieldsMixin):
    mode = forms.ChoiceField(
        label=_("Antragsteller"), choices=MODE_CHOICES, initial="existing", widget=forms.RadioSelect
    )
    product = forms.ModelChoiceField(
        label=_("Leistungsprodukt"),
        queryset=Product.objects.filter(has_application_process=True),
        empty_label=_("Bitte wählen"),
    )
    case_type = forms.ModelChoiceField(
        label=_("Typ des integrierten Falls"),
        queryset=IntegratedCaseType.objects.filter(active=True),
        to_field_name="code",
        required=False,
        empty_label=_("Standardtyp"),
    )
    requested_start_date = FormDateField(
        label=_("Gewünschtes Startdatum"), required=False, widget=DATE
    )


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Alle")), *ApplicationStatus.choices]
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Ablehnungsgrund"), required=False)


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(forms.Form):
    """IC-11: plan or change an activity; participants are the case's members."""

    subject = forms.CharField(label=_("Betreff"), max_length=200, required=False)
    activity_type = forms.ModelChoiceField(
        label=_("Art"),
        queryset=ActivityType.objects.filter(active=True),
        required=False,
        empty_label=_("Bitte wählen"),
    )
    planned_at = forms.DateTimeField(
        label=_("Termin (Datum und Uhrzeit)"),
        required=False,
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
    )
    responsible = UserChoiceField(label=_("Verantwortlich"), queryset=None, empty_label=None)
    participants = forms.ModelMultipleChoiceField(
        label=_("Teilnehmende"),
        queryset=Participant.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.CharField(
        label=_("Ergebnis / Notiz"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, integrated_case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = casework_users()
        self.initial.setdefault("responsible", user.pk)
        member_ids = integrated_case.members.values_list("participant_id", flat=True)
        self.fields["participants"].queryset = Participant.objects.filter(
            pk__in=member_ids
        ).order_by("name")


class ActivityDoneForm(forms.Form):
    outcome = forms.CharField(
        label=_("Ergebnis"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "done")
        super().__init__(*args, **kwargs)


class ActivityCancelForm(forms.Form):
    note = forms.CharField(label=_("Grund der Absage"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "cancel")
        super().__init__(*args, **kwargs)
