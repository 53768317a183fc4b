"""The steps of the "Neuer Abzug" wizard (CD-1..CD-9): one form per step."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseComponent, CaseMember, Liability, LiabilityStatus
from cases.selectors import open_liability_condition
from config.dates import FormDateField, format_date
from config.forms import MoneyField, PercentField, add_service_errors
from participants.fields import ParticipantPickField
from participants.models import Participant
from products.models import DeductionCategory, DeductionType
from products.selectors import deduction_types_for_case_category, link_priority

from .. import selectors
from ..services import validation
from ..services.validation import Errors, fmt_money
from .common import (
    ASSIGN_ALL,
    ASSIGN_COMPONENT,
    ASSIGN_NOMINEE,
    ASSIGN_NONE,
    ASSIGNMENT_LABELS,
    DATE_WIDGET,
    FIXED,
    KIND_CHOICES,
    PICK_HELP,
    VARIABLE,
    ComponentChoiceField,
    LiabilityChoiceField,
    ParticipantChoiceField,
    StepForm,
    show_when,
    type_facts,
)


class CategoryStep(StepForm):
    title = _("Abzugskategorie")
    category = forms.ChoiceField(
        label=_("Abzugskategorie"),
        choices=DeductionCategory.choices,
        widget=forms.RadioSelect,
    )

    def values(self):
        return {"category": self.cleaned_data["category"]}


class TypeStep(StepForm):
    """CD-2: only the types of the chosen category linked to the case's product."""

    title = _("Abzugstyp")
    deduction_type = forms.ModelChoiceField(
        label=_("Abzugstyp"), queryset=DeductionType.objects.none(), widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deduction_type"].queryset = deduction_types_for_case_category(
            product=self.case.product, category=self.wizard["category"]
        )
        self.types = list(self.fields["deduction_type"].queryset)
        if len(self.types) == 1:
            self.fields["deduction_type"].initial = self.types[0].pk  # nothing to choose

    @property
    def has_types(self) -> bool:
        return bool(self.types)

    def type_facts(self) -> list[tuple[object, list[tuple[str, str]]]]:
        """Each type with its defaults and limits, shown when the type is picked."""
        return [(dtype, type_facts(dtype)) for dtype in self.types]

    def clean(self):
        data = super().clean()
        if data.get("deduction_type"):
            self.check(
                lambda errors: validation.check_category_and_type(
                    errors=errors,
                    case=self.case,
                    deduction_type=data["deduction_type"],
                    category=self.wizard["category"],
                )
            )
        return data

    def values(self):
        return {"deduction_type": self.cleaned_data["deduction_type"]}


class AmountStep(StepForm):
    """CD-6: fixed amount or percentage, prefilled with the type's defaults (DT-3, DT-4)."""

    title = _("Betrag")
    kind = forms.ChoiceField(
        label=_("Art des Abzugs"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    amount = MoneyField(label=_("Fester Betrag (EUR)"), required=False)
    percentage = PercentField(label=_("Variabler Satz (%)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dtype = self.wizard["deduction_type"]
        self.fields["kind"].initial = (
            VARIABLE if dtype.default_amount is None and dtype.default_percentage else FIXED
        )
        self.fields["amount"].initial = dtype.default_amount
        self.fields["percentage"].initial = dtype.default_percentage
        show_when(self.fields["amount"], "kind", FIXED)
        show_when(self.fields["percentage"], "kind", VARIABLE)
        self.fields["amount"].help_text = self.amount_limits(dtype)
        if dtype.max_percentage is not None:
            self.fields["percentage"].help_text = _("Höchstens %(max)s %%.") % {
                "max": fmt_money(dtype.max_percentage)
            }

    @staticmethod
    def amount_limits(dtype) -> str:
        parts = []
        if dtype.min_amount is not None:
            parts.append(str(_("mindestens %(v)s") % {"v": fmt_money(dtype.min_amount)}))
        if dtype.max_amount is not None:
            parts.append(str(_("höchstens %(v)s") % {"v": fmt_money(dtype.max_amount)}))
        if not parts:
            return ""
        return str(_("Grenzen des Abzugstyps: %(limits)s.") % {"limits": ", ".join(parts)})

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == FIXED:
            data["percentage"] = None
            if data.get("amount") is None and "amount" not in self.errors:
                self.add_error("amount", _("Geben Sie den festen Betrag an."))
                return data
        elif kind == VARIABLE:
            data["amount"] = None
            if data.get("percentage") is None and "percentage" not in self.errors:
                self.add_error("percentage", _("Geben Sie den Prozentsatz an."))
                return data
        else:
            return data
        if not self.errors:
            self.check(
                lambda errors: validation.check_amount(
                    errors=errors,
                    deduction_type=self.wizard["deduction_type"],
                    amount=data.get("amount"),
                    percentage=data.get("percentage"),
                )
            )
        return data

    def values(self):
        return {
            "amount": self.cleaned_data.get("amount"),
            "percentage": self.cleaned_data.get("percentage"),
        }


class AssignmentStep(StepForm):
    """CD-7: which payment the deduction is taken from, by category and kind."""

    title = _("Zuordnung")
    error_map = {"all_nominees": "assignment"}
    assignment = forms.ChoiceField(label=_("Zuordnung"), widget=forms.RadioSelect)
    nominee = ParticipantChoiceField(
        label=_("Leistungsempfänger"), queryset=Participant.objects.none(), required=False
    )
    component = ComponentChoiceField(
        label=_("Fallkomponente"), queryset=CaseComponent.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fixed = self.wizard["amount"] is not None
        if fixed:
            options = [ASSIGN_NOMINEE]
        else:
            options = [ASSIGN_NOMINEE, ASSIGN_ALL, ASSIGN_COMPONENT]
            if self.wizard["category"] != DeductionCategory.THIRD_PARTY:
                options.append(ASSIGN_NONE)
        self.fields["assignment"].choices = [(o, ASSIGNMENT_LABELS[o]) for o in options]
        self.fields["assignment"].initial = ASSIGN_NOMINEE
        if fixed:
            self.fields["assignment"].help_text = _(
                "Ein fester Abzug wird nur von der Zahlung an einen Leistungsempfänger genommen."
            )
            # CD-7: a fixed deduction has one nominee only; no component to choose.
            del self.fields["component"]
        self.fields["nominee"].queryset = Participant.objects.filter(
            nominee_links__case=self.case
        ).order_by("nominee_links__id")
        self.fields["nominee"].initial = self.case.primary_client_id
        if "component" in self.fields:
            self.fields["component"].queryset = CaseComponent.objects.filter(
                case=self.case
            ).select_related("component_type", "nominee")
        if len(options) > 1:
            show_when(self.fields["nominee"], "assignment", ASSIGN_NOMINEE)
            show_when(self.fields["component"], "assignment", ASSIGN_COMPONENT)
            self.fields["nominee"].help_text = _(
                "Nur bei der Zuordnung „Ein Leistungsempfänger“; sonst leer lassen."
            )
            self.fields["component"].help_text = _(
                "Nur bei der Zuordnung „Eine Fallkomponente“; sonst leer lassen."
            )

    def clean(self):
        data = super().clean()
        choice = data.get("assignment")
        if not choice:
            return data
        data["all_nominees"] = choice == ASSIGN_ALL
        # A choice that does not fit the assignment is refused, not silently dropped.
        label = ASSIGNMENT_LABELS[choice]
        if choice != ASSIGN_NOMINEE and data.get("nominee") is not None:
            self.add_error(
                "nominee",
                _(
                    "Zur Zuordnung „%(assignment)s“ gehört kein einzelner "
                    "Leistungsempfänger. Leeren Sie die Auswahl oder wählen Sie "
                    "„Ein Leistungsempfänger“."
                )
                % {"assignment": label},
            )
        if choice != ASSIGN_COMPONENT and data.get("component") is not None:
            self.add_error(
                "component",
                _(
                    "Zur Zuordnung „%(assignment)s“ gehört keine Fallkomponente. Leeren Sie "
                    "die Auswahl oder wählen Sie „Eine Fallkomponente“."
                )
                % {"assignment": label},
            )
        if self.errors:
            return data
        if choice != ASSIGN_NOMINEE:
            data["nominee"] = None
        elif data.get("nominee") is None:
            self.add_error("nominee", _("Wählen Sie den Leistungsempfänger."))
            return data
        if choice != ASSIGN_COMPONENT:
            data["component"] = None
        elif data.get("component") is None:
            self.add_error("component", _("Wählen Sie die Fallkomponente."))
            return data
        self.check(
            lambda errors: validation.check_assignment(
                errors=errors,
                case=self.case,
                category=self.wizard["category"],
                fixed=self.wizard["amount"] is not None,
                nominee=data.get("nominee"),
                component=data.get("component"),
                all_nominees=data["all_nominees"],
            )
        )
        return data

    def values(self):
        return {
            "nominee": self.cleaned_data.get("nominee"),
            "component": self.cleaned_data.get("component"),
            "all_nominees": self.cleaned_data.get("all_nominees", False),
        }


class PeriodStep(StepForm):
    """CD-8 and CD-9: period, and the priority prefilled from the product link."""

    title = _("Zeitraum und Priorität")
    start_date = FormDateField(label=_("Startdatum"), widget=DATE_WIDGET)
    end_date = FormDateField(label=_("Enddatum"), widget=DATE_WIDGET)
    priority = forms.IntegerField(label=_("Priorität"), min_value=1, required=False)
    automatic_priority = forms.BooleanField(
        label=_("Priorität automatisch zuweisen"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.case
        self.fields["start_date"].initial = max(timezone.localdate(), case.start_date)
        self.fields["end_date"].initial = case.expected_end_date
        if case.expected_end_date:
            self.fields["start_date"].help_text = _(
                "Nicht nach dem voraussichtlichen Fall-Enddatum (%(date)s)."
            ) % {"date": format_date(case.expected_end_date)}
        prefill = link_priority(product=case.product, deduction_type=self.wizard["deduction_type"])
        self.fields["priority"].initial = prefill
        self.current = selectors.priority_order(case=case)
        last = len(self.current) + 1
        # CD-9: the help says what the prefilled number does; a wish beyond the end is placed
        # at the end, said so instead of clamping silently.
        if prefill is None:
            help_text = _(
                "Leer lassen: Der Abzug kommt ans Ende (Priorität %(next)s). 1 wird zuerst "
                "verarbeitet."
            ) % {"next": last}
        else:
            help_text = _(
                "Vorbelegt mit %(prefill)s aus der Produktverknüpfung; 1 wird zuerst verarbeitet."
            ) % {"prefill": prefill}
            if prefill < last:
                then = _("Abzüge ab Priorität %(prefill)s rücken eine Stelle nach hinten.") % {
                    "prefill": prefill
                }
            elif prefill == last:
                then = _("Der Abzug kommt damit ans Ende.")
            else:
                then = _("Eine Priorität über %(next)s wird als %(next)s (am Ende) vergeben.") % {
                    "next": last
                }
            help_text = f"{help_text} {then}"
        self.fields["priority"].help_text = help_text
        self.fields["automatic_priority"].help_text = _(
            "Der Abzug erhält die nächste freie Priorität des Falls."
        )

    def new_position(self) -> int:
        """Where the new deduction lands in the case's order (1-based), for the wanted
        priority as entered (or prefilled); automatic or beyond the end → at the end."""
        last = len(self.current) + 1
        if self.is_bound:
            if self.data.get("automatic_priority"):
                return last
            wanted = self.data.get("priority", "")
            wanted = int(wanted) if str(wanted).strip().isdigit() else None
        else:
            wanted = self.fields["priority"].initial
        if not wanted:
            wanted = self.fields["priority"].initial or last
        return min(max(wanted, 1), last)

    def order_rows(self) -> list[tuple[int, object]]:
        """The case's deductions by priority with the new one (None) in its place."""
        rows: list = list(self.current)
        rows.insert(self.new_position() - 1, None)
        return list(enumerate(rows, start=1))

    def clean(self):
        data = super().clean()
        if "start_date" in data and "end_date" in data:
            self.check(
                lambda errors: validation.check_period(
                    errors=errors,
                    case=self.case,
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                )
            )
        return data

    def values(self):
        data = self.cleaned_data
        if data.get("automatic_priority"):
            priority = validation.AUTOMATIC
        else:
            priority = data.get("priority")  # None → the product link's priority
        return {
            "start_date": data["start_date"],
            "end_date": data["end_date"],
            "priority": priority,
        }


def next_free_priority(case) -> int:
    """CD-9: the priority a new deduction gets at the end of the case's sequence."""
    return len(selectors.priority_order(case=case)) + 1


def liability_holder_queryset(deduction_type):
    """Participants of an allowed type who have an open liability (CD-3): what the holder
    field accepts and, with the same conditions, what its picker offers."""
    return Participant.objects.filter(
        open_liability_condition(), type__in=deduction_type.allowed_participant_types or []
    ).order_by("name", "id")


HOLDER_REFUSAL = _(
    "%(name)s (%(ref)s) kann nicht Inhaber sein: Wählbar sind nur Beteiligte eines "
    "zulässigen Typs mit offener Verbindlichkeit."
)
PAYEE_REFUSAL = _(
    "%(name)s (%(ref)s) kann nicht Zahlungsempfänger dieses Abzugstyps sein: Wählbar sind "
    "nur Beteiligte eines zulässigen Typs."
)


def third_party_field(allowed: list[str]) -> ParticipantPickField:
    """CD-4: the payee, a participant of one of the type's allowed types, with the picker."""
    return ParticipantPickField(
        label=_("Dritter (Zahlungsempfänger)"),
        queryset=Participant.objects.filter(type__in=allowed).order_by("name", "id"),
        types=allowed,
        refusal=PAYEE_REFUSAL,
        help_text=PICK_HELP,
    )


class DetailsStep(StepForm):
    """CD-3 (applied) and CD-4 (third party) details; unapplied has none (CD-5)."""

    title = _("Angaben zur Kategorie")

    def __init__(self, *args, liabilities_url: str = "", payee_account_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        dtype = self.wizard["deduction_type"]
        category = self.wizard["category"]
        allowed = dtype.allowed_participant_types or []
        if category == DeductionCategory.APPLIED:
            holders = liability_holder_queryset(dtype)
            members = CaseMember.objects.filter(integrated_case=self.case.integrated_case)
            holders = holders.annotate(
                is_member=Exists(members.filter(participant=OuterRef("pk")))
            ).order_by("-is_member", "name", "id")
            self.fields["liability_holder"] = ParticipantPickField(
                label=_("Inhaber der Verbindlichkeit"),
                queryset=holders,
                types=allowed,
                open_liability=True,
                refusal=HOLDER_REFUSAL,
                help_text=_(
                    "Ein Fallbeteiligter oder ein anderer Beteiligter eines zulässigen Typs "
                    "mit offener Verbindlichkeit. Suchen Sie nach Name, Geburtsdatum "
                    "(TT.MM.JJJJ) oder Referenznummer."
                ),
            )
            if self.is_bound:
                holder_id = self.holder_id(self.data.get("liability_holder"))
            else:
                # The case's client is the usual holder: preselected when they may be one.
                client = holders.filter(pk=self.case.primary_client_id).first()
                holder_id = client.pk if client else None
                self.fields["liability_holder"].initial = client
            self.fields["liability"] = LiabilityChoiceField(
                label=_("Verbindlichkeit"),
                queryset=Liability.objects.none(),
                required=False,
                help_text=_("Nur nötig, wenn der Beteiligte mehrere offene Verbindlichkeiten hat."),
            )
            self.show_liabilities_of(holder_id)
            if liabilities_url:
                # Choosing a holder with the picker reloads the liability choice (CD-3).
                self.fields["liability_holder"].widget.reload_on_change(
                    url=liabilities_url, target="#field-liability"
                )
        elif category == DeductionCategory.THIRD_PARTY:
            self.fields["third_party"] = third_party_field(allowed)
            self.fields["third_party_account_number"] = forms.CharField(
                label=_("Kontonummer"),
                max_length=50,
                required=False,
                help_text=_("Leer lassen, um das Bankkonto des Dritten zu übernehmen."),
            )
            self.fields["third_party_reference"] = forms.CharField(
                label=_("Referenznummer"),
                max_length=60,
                help_text=_("Die Referenz des Dritten für diese Vereinbarung."),
            )
            if payee_account_url:
                self.fields["third_party"].widget.reload_on_change(
                    url=payee_account_url, target="#field-third_party_account_number"
                )

    def holder_id(self, reference) -> int | None:
        """The id of the holder a reference names, if they may hold the liability; else None
        (the liability choice then lists the case's people, CD-3)."""
        reference = str(reference or "").strip().upper()
        if not reference:
            return None
        holders = self.fields["liability_holder"].queryset
        return holders.filter(reference=reference).values_list("pk", flat=True).first()

    def show_liabilities_of(self, holder_id: int | None) -> None:
        """CD-3: the liability choice lists the chosen holder's open liabilities; before a
        holder is chosen, those of the case's members who may hold one (never another
        client's), each labelled with its holder."""
        holders = self.fields["liability_holder"].queryset
        liabilities = Liability.objects.filter(status=LiabilityStatus.OPEN).select_related(
            "participant"
        )
        if holder_id is not None:
            liabilities = liabilities.filter(participant_id=holder_id, participant__in=holders)
        else:
            case_people = holders.filter(Q(is_member=True) | Q(pk=self.case.primary_client_id))
            liabilities = liabilities.filter(participant__in=case_people)
        field = self.fields["liability"]
        field.queryset = liabilities.order_by("liability_case_id")
        field.show_holder = holder_id is None

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        dtype = self.wizard["deduction_type"]
        category = self.wizard["category"]
        if category == DeductionCategory.APPLIED:
            errors = Errors()
            _holder, liability = validation.resolve_applied(
                errors=errors,
                deduction_type=dtype,
                liability_holder=data.get("liability_holder"),
                liability=data.get("liability"),
            )
            add_service_errors(self, errors.errors)
            data["liability"] = liability
        elif category == DeductionCategory.THIRD_PARTY:
            payee = data.get("third_party")
            if payee is not None and not data.get("third_party_account_number"):
                account = payee.bank_accounts.first()
                if account is not None:
                    data["third_party_account_number"] = account.account_number
            self.check(
                lambda errors: validation.check_third_party(
                    errors=errors,
                    deduction_type=dtype,
                    third_party=payee,
                    account_number=data.get("third_party_account_number", ""),
                    reference=data.get("third_party_reference", ""),
                )
            )
        return data

    def values(self):
        data = self.cleaned_data
        category = self.wizard["category"]
        if category == DeductionCategory.APPLIED:
            return {"liability_holder": data["liability_holder"], "liability": data["liability"]}
        if category == DeductionCategory.THIRD_PARTY:
            return {
                "third_party": data["third_party"],
                "third_party_account_number": data["third_party_account_number"],
                "third_party_reference": data["third_party_reference"],
            }
        return {}


class ConfirmStep(StepForm):
    """CD-11: activate now, or later from the detail page."""

    title = _("Aktivieren")
    activate = forms.BooleanField(label=_("Abzug sofort aktivieren"), required=False)

    def values(self):
        return {"activate": self.cleaned_data.get("activate", False)}
