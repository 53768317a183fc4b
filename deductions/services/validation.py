"""Input rules of a case deduction (CD-2..CD-9, CD-13), shared by creation, editing and the
steps of the "Neuer Abzug" wizard.

Each check adds German messages to an `Errors` collector under the API field name at
fault, so that one request reports every broken rule at once and a form can show each
message beside its field. Nothing here writes."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from cases.models import (
    CaseComponent,
    CaseStatus,
    Liability,
    LiabilityStatus,
    ProductDeliveryCase,
)
from config.dates import format_date
from config.exceptions import ValidationFailed
from participants.models import Participant, ParticipantType
from participants.services import account_number_normalise, account_number_problems
from products.models import DeductionCategory, DeductionType
from products.selectors import deduction_type_is_linked
from products.services import deduction_type_check_amount

# Wanted priority meaning "the next free one" (CD-9, DT-7).
AUTOMATIC = "automatic"

CENT = Decimal("0.01")


class Errors:
    """Collects field messages; `raise_if_any` turns them into one ValidationFailed (400)."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(str(message))

    def merge(self, exc: ValidationFailed) -> None:
        for field, messages in exc.errors.items():
            for message in messages:
                self.add(field, message)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(errors=self.errors)


def fmt_money(value: Decimal) -> str:
    return formats.number_format(value, decimal_pos=2, use_l10n=True)


def _participant_type_label(code: str) -> str:
    try:
        return str(ParticipantType(code).label)
    except ValueError:
        return code


# --- CD-1 / CD-2: case, category and type --------------------------------------------------


def check_case_open_for_deductions(*, errors: Errors, case: ProductDeliveryCase) -> None:
    """New deductions need a case that has not been closed."""
    if case.status == CaseStatus.CLOSED:
        errors.add(
            "case",
            _(
                "Der Produktbereitstellungsfall ist geschlossen; es können keine Abzüge "
                "angelegt werden."
            ),
        )


def check_category_and_type(
    *,
    errors: Errors,
    case: ProductDeliveryCase,
    deduction_type: DeductionType | None,
    category: str | None,
) -> None:
    """CD-2: the type belongs to the chosen category and is linked to the case's product."""
    if category is not None and category not in DeductionCategory.values:
        errors.add("category", _("Unbekannte Abzugskategorie."))
        return
    if deduction_type is None:
        errors.add("deduction_type", _("Wählen Sie einen Abzugstyp."))
        return
    if category is not None and deduction_type.category != category:
        errors.add(
            "deduction_type",
            _("Der Abzugstyp „%(type)s“ gehört nicht zur Abzugskategorie „%(category)s“.")
            % {
                "type": deduction_type.name,
                "category": DeductionCategory(category).label,
            },
        )
        return
    if not deduction_type_is_linked(product=case.product, deduction_type=deduction_type):
        errors.add(
            "deduction_type",
            _("Der Abzugstyp „%(type)s“ ist nicht mit dem Leistungsprodukt des Falls verknüpft.")
            % {"type": deduction_type.name},
        )


# --- CD-6: fixed amount xor percentage within the type's limits ----------------------------


def _type_limits(errors: Errors, *, deduction_type, amount, percentage) -> None:
    """DT-2 / DT-4 through the products app's check (one place for the type's limits)."""
    try:
        deduction_type_check_amount(
            deduction_type=deduction_type, amount=amount, percentage=percentage
        )
    except ValidationFailed as exc:
        errors.merge(exc)


def check_amount(
    *,
    errors: Errors,
    deduction_type: DeductionType | None,
    amount: Decimal | None,
    percentage: Decimal | None,
) -> None:
    """CD-6: exactly one of amount and percentage, positive, within the type's limits."""
    if amount is None and percentage is None:
        errors.add(
            "amount",
            _("Geben Sie entweder einen festen Betrag oder einen Prozentsatz an."),
        )
        return
    if amount is not None and percentage is not None:
        errors.add(
            "amount",
            _("Ein Abzug hat entweder einen festen Betrag oder einen Prozentsatz, nicht beides."),
        )
        return
    if amount is not None:
        if amount <= 0:
            errors.add("amount", _("Der Betrag muss größer als 0 sein."))
            return
        if amount != amount.quantize(CENT):
            errors.add("amount", _("Der Betrag darf höchstens zwei Nachkommastellen haben."))
            return
    if percentage is not None:
        if percentage <= 0 or percentage > 100:
            errors.add("percentage", _("Der Prozentsatz muss größer als 0 und höchstens 100 sein."))
            return
        if percentage != percentage.quantize(CENT):
            errors.add(
                "percentage", _("Der Prozentsatz darf höchstens zwei Nachkommastellen haben.")
            )
            return
    if deduction_type is not None:
        _type_limits(errors, deduction_type=deduction_type, amount=amount, percentage=percentage)


# --- CD-7: assignment ----------------------------------------------------------------------


def check_assignment(
    *,
    errors: Errors,
    case: ProductDeliveryCase,
    category: str,
    fixed: bool,
    nominee: Participant | None,
    component: CaseComponent | None,
    all_nominees: bool,
) -> None:
    """CD-7: fixed → one nominee only; variable → one nominee, all nominees, one component or
    none (none not for third party). Nominee and component must belong to the case."""
    if fixed:
        if all_nominees:
            errors.add(
                "all_nominees",
                _(
                    "Ein fester Abzug kann nur einem einzelnen Leistungsempfänger zugeordnet "
                    "werden, nicht allen Leistungsempfängern."
                ),
            )
        if component is not None:
            errors.add(
                "component",
                _(
                    "Ein fester Abzug kann nur einem einzelnen Leistungsempfänger zugeordnet "
                    "werden, nicht einer Fallkomponente."
                ),
            )
        if nominee is None and not all_nominees and component is None:
            errors.add(
                "nominee", _("Für einen festen Abzug ist ein Leistungsempfänger erforderlich.")
            )
    else:
        chosen = [
            name
            for name, value in (
                ("nominee", nominee is not None),
                ("component", component is not None),
                ("all_nominees", bool(all_nominees)),
            )
            if value
        ]
        if len(chosen) > 1:
            errors.add(
                chosen[1],
                _(
                    "Wählen Sie genau eine Zuordnung: einen Leistungsempfänger, alle "
                    "Leistungsempfänger oder eine Fallkomponente."
                ),
            )
        if not chosen and category == DeductionCategory.THIRD_PARTY:
            errors.add(
                "nominee",
                _(
                    "Ein variabler Abzug für Dritte braucht eine Zuordnung: einen "
                    "Leistungsempfänger, alle Leistungsempfänger oder eine Fallkomponente."
                ),
            )
    if nominee is not None and not case.nominee_links.filter(participant=nominee).exists():
        errors.add(
            "nominee",
            _("%(name)s ist kein Leistungsempfänger dieses Falls.") % {"name": nominee.name},
        )
    if component is not None and component.case_id != case.pk:
        errors.add("component", _("Die Fallkomponente gehört nicht zu diesem Fall."))


# --- CD-8: period --------------------------------------------------------------------------


def check_period(
    *,
    errors: Errors,
    case: ProductDeliveryCase,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
) -> None:
    """CD-8: both dates, start ≤ end, start not after the case's expected end date."""
    if start_date is None:
        errors.add("start_date", _("Das Startdatum ist erforderlich."))
    if end_date is None:
        errors.add("end_date", _("Das Enddatum ist erforderlich."))
    if start_date is None or end_date is None:
        return
    if start_date > end_date:
        errors.add("end_date", _("Das Enddatum darf nicht vor dem Startdatum liegen."))
    if case.expected_end_date is not None and start_date > case.expected_end_date:
        errors.add(
            "start_date",
            _(
                "Das Startdatum darf nicht nach dem voraussichtlichen Fall-Enddatum "
                "(%(date)s) liegen."
            )
            % {"date": format_date(case.expected_end_date)},
        )


# --- CD-9: priority ------------------------------------------------------------------------


def check_priority(*, errors: Errors, priority: int | str | None) -> None:
    """A wanted priority is a whole number ≥ 1, None (from the product link) or AUTOMATIC."""
    if priority is None or priority == AUTOMATIC:
        return
    if isinstance(priority, bool) or not isinstance(priority, int) or priority < 1:
        errors.add("priority", _("Die Priorität muss eine ganze Zahl ab 1 sein."))


# --- CD-3 / CD-4 / CD-5: category details ----------------------------------------------------


def resolve_applied(
    *,
    errors: Errors,
    deduction_type: DeductionType,
    liability_holder: Participant | None,
    liability: Liability | None,
) -> tuple[Participant | None, Liability | None]:
    """CD-3: the liability holder is of an allowed type; the liability is theirs and open.
    Without a liability, the holder's only open liability is taken; with several the user
    must choose. Returns the holder and the liability to use."""
    holder = liability_holder or (liability.participant if liability is not None else None)
    if holder is None:
        errors.add(
            "liability_holder",
            _("Wählen Sie den Beteiligten, dessen Verbindlichkeit mit dem Abzug getilgt wird."),
        )
        return None, liability
    if not deduction_type.allows_participant_type(holder.type):
        errors.add(
            "liability_holder",
            _("Beteiligte vom Typ „%(type)s“ sind für den Abzugstyp „%(name)s“ nicht zulässig.")
            % {"type": _participant_type_label(holder.type), "name": deduction_type.name},
        )
        return holder, liability
    if liability is not None:
        if liability.participant_id != holder.pk:
            errors.add(
                "liability",
                _("Die Verbindlichkeit %(id)s gehört nicht zu %(name)s.")
                % {"id": liability.liability_case_id, "name": holder.name},
            )
        elif liability.status != LiabilityStatus.OPEN:
            errors.add(
                "liability",
                _("Die Verbindlichkeit %(id)s ist bereits beglichen.")
                % {"id": liability.liability_case_id},
            )
        return holder, liability
    open_liabilities = list(
        Liability.objects.filter(participant=holder, status=LiabilityStatus.OPEN)[:2]
    )
    if not open_liabilities:
        errors.add(
            "liability",
            _("%(name)s hat keine offene Verbindlichkeit.") % {"name": holder.name},
        )
        return holder, None
    if len(open_liabilities) > 1:
        errors.add(
            "liability",
            _(
                "%(name)s hat mehrere offene Verbindlichkeiten; wählen Sie die Verbindlichkeit, "
                "die getilgt werden soll."
            )
            % {"name": holder.name},
        )
        return holder, None
    return holder, open_liabilities[0]


def check_third_party(
    *,
    errors: Errors,
    deduction_type: DeductionType,
    third_party: Participant | None,
    account_number: str,
    reference: str,
    refuse_ended: bool = True,
    check_account: bool = True,
) -> None:
    """CD-4: a payee of an allowed type who has not ended, with account and reference number.
    The account number is checked like a participant's bank account (IBAN check digits or
    digits only), after the same normalisation (`account_number_normalise`).

    `refuse_ended=False` when an existing deduction keeps its payee: the case supervisor
    must still be able to end (or otherwise edit) a deduction whose payee has ended (TP-1).
    `check_account=False` when an existing deduction keeps its stored account number.
    """
    if third_party is None:
        errors.add("third_party", _("Wählen Sie den Dritten, der den Betrag erhält."))
    elif not deduction_type.allows_participant_type(third_party.type):
        errors.add(
            "third_party",
            _("Beteiligte vom Typ „%(type)s“ sind für den Abzugstyp „%(name)s“ nicht zulässig.")
            % {"type": _participant_type_label(third_party.type), "name": deduction_type.name},
        )
    elif refuse_ended and third_party.is_ended:
        errors.add(
            "third_party",
            _("%(name)s ist beendet und kann keine Zahlungen mehr erhalten.")
            % {"name": third_party.name},
        )
    number = account_number_normalise(account_number)
    if not number:
        errors.add("third_party_account_number", _("Die Kontonummer des Dritten ist erforderlich."))
    elif check_account:
        for message in account_number_problems(number=number):
            errors.add("third_party_account_number", message)
    if not (reference or "").strip():
        errors.add("third_party_reference", _("Die Referenznummer des Dritten ist erforderlich."))


def check_no_foreign_details(
    *,
    errors: Errors,
    category: str,
    liability_holder: Participant | None = None,
    liability: Liability | None = None,
    third_party: Participant | None = None,
    account_number: str = "",
    reference: str = "",
) -> None:
    """CD-5 and the other categories: details of another category are refused, not ignored."""
    if category != DeductionCategory.APPLIED:
        message = _("Nur ausgeführte Abzüge tilgen eine Verbindlichkeit.")
        if liability_holder is not None:
            errors.add("liability_holder", message)
        if liability is not None:
            errors.add("liability", message)
    if category != DeductionCategory.THIRD_PARTY:
        message = _("Nur Abzüge für Dritte haben einen Zahlungsempfänger.")
        if third_party is not None:
            errors.add("third_party", message)
        if (account_number or "").strip():
            errors.add("third_party_account_number", message)
        if (reference or "").strip():
            errors.add("third_party_reference", message)
