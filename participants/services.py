"""Writes for participants (PT-1..3): registration, edits, ending, promoting prospects,
and the nested bank accounts.

Ending a participant (PT-3) that receives payments from current third-party deductions
returns warnings naming those deductions and records one `third_party_participant_ended`
workflow event in the same transaction (TP-1); the event's workflow does the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.dates import format_date
from config.exceptions import IllegalTransition, ValidationFailed
from config.history import history_stamp
from workflow.services import event_record

from .errors import ParticipantError as E
from .models import (
    END_DATE_TYPES,
    PERSON_TYPES,
    BankAccount,
    Participant,
    ParticipantType,
    TradingStatus,
)
from .references import save_with_reference
from .selectors import third_party_deductions_current

REFERENCE_PREFIX = "B-"
# Fields a caseworker may change with participant_update (type only prospect → person).
UPDATABLE_FIELDS = (
    "name",
    "date_of_birth",
    "date_of_death",
    "end_date",
    "trading_status",
    "address",
)
_IBAN_RE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$")
_BIC_RE = re.compile(r"^([A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?|[0-9]{8})$")


@dataclass(frozen=True)
class ParticipantUpdateResult:
    participant: Participant
    # PT-3 / TP-1: one German sentence per current third-party deduction paid to the
    # participant, when this update ended them. Empty otherwise.
    warnings: list[str] = field(default_factory=list)
    ended: bool = False
    deduction_ids: list[int] = field(default_factory=list)


# --- validation ---------------------------------------------------------------------------


def iban_is_valid(value: str) -> bool:
    """ISO 13616 check digits (mod 97)."""
    if not _IBAN_RE.match(value):
        return False
    rearranged = value[4:] + value[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def account_number_normalise(value: object) -> str:
    """An account number or IBAN as stored: without whitespace, upper case."""
    return re.sub(r"\s+", "", str(value or "")).upper()


def account_number_problems(*, number: str) -> list[tuple[str, str]]:
    """(German message, code) for a normalised, non-empty account number or IBAN (none =
    valid). Shared with the third-party account of case deductions (CD-4)."""
    if len(number) > 34:
        return [
            (
                _("Die Kontonummer darf höchstens 34 Zeichen lang sein."),
                E.ACCOUNT_NUMBER_TOO_LONG,
            )
        ]
    if number[:2].isalpha() and not iban_is_valid(number):
        return [(_("Die IBAN ist ungültig (Prüfziffer oder Format)."), E.IBAN_INVALID)]
    if not number[:2].isalpha() and not number.isdigit():
        return [
            (
                _(
                    "Eine Kontonummer besteht nur aus Ziffern; eine IBAN beginnt mit dem "
                    "Länderkürzel."
                ),
                E.ACCOUNT_NUMBER_NOT_DIGITS,
            )
        ]
    return []


def _normalise_account(raw: dict, position: int, errors: dict) -> dict:
    prefix = _("Bankkonto %(n)s: ") % {"n": position}
    name = str(raw.get("account_name") or "").strip()
    number = account_number_normalise(raw.get("account_number"))
    bic = re.sub(r"\s+", "", str(raw.get("bic") or "")).upper()
    problems: list[tuple[str, str]] = []
    if not name:
        problems.append((_("Bitte geben Sie den Kontonamen an."), E.ACCOUNT_NAME_MISSING))
    elif len(name) > 200:
        problems.append(
            (_("Der Kontoname darf höchstens 200 Zeichen lang sein."), E.ACCOUNT_NAME_TOO_LONG)
        )
    if not number:
        problems.append(
            (_("Bitte geben Sie die Kontonummer oder IBAN an."), E.ACCOUNT_NUMBER_MISSING)
        )
    else:
        problems.extend(account_number_problems(number=number))
    if bic and not _BIC_RE.match(bic):
        problems.append(
            (
                _("BIC (8 oder 11 Zeichen) oder Bankleitzahl (8 Ziffern) ist ungültig."),
                E.BIC_INVALID,
            )
        )
    if problems:
        errors.setdefault("bank_accounts", []).extend((prefix + p, c) for p, c in problems)
    result = {"account_name": name, "account_number": number, "bic": bic}
    if raw.get("id"):
        result["id"] = raw["id"]
    return result


# Long on purpose (~82 lines): one flat list of PT-2 field rules, each a few lines with its
# message and code; splitting it would scatter the rules of one participant type.
def _validate(values: dict, *, today: date) -> None:
    """PT-2: which fields each type has; raises ValidationFailed naming every bad field."""
    errors: dict[str, list[tuple[str, str]]] = {}

    def add(name: str, message: str, code: E) -> None:
        errors.setdefault(name, []).append((message, code))

    ptype = values.get("type")
    if ptype not in ParticipantType.values:
        add("type", _("Unbekannter Beteiligtentyp „%(type)s“.") % {"type": ptype}, E.TYPE_UNKNOWN)
        raise ValidationFailed(errors=errors)
    if not (values.get("name") or "").strip():
        add("name", _("Bitte geben Sie einen Namen an."), E.NAME_MISSING)
    elif len(values["name"].strip()) > 200:
        add("name", _("Der Name darf höchstens 200 Zeichen lang sein."), E.NAME_TOO_LONG)

    birth, death = values.get("date_of_birth"), values.get("date_of_death")
    if ptype in PERSON_TYPES:
        if birth is None and ptype == ParticipantType.PERSON:
            add(
                "date_of_birth",
                _("Bitte geben Sie das Geburtsdatum der Person an."),
                E.BIRTH_DATE_MISSING,
            )
        if birth and birth > today:
            add(
                "date_of_birth",
                _("Das Geburtsdatum darf nicht in der Zukunft liegen."),
                E.BIRTH_DATE_IN_FUTURE,
            )
        if death and death > today:
            add(
                "date_of_death",
                _("Das Sterbedatum darf nicht in der Zukunft liegen."),
                E.DEATH_DATE_IN_FUTURE,
            )
        if birth and death and death < birth:
            add(
                "date_of_death",
                _("Das Sterbedatum darf nicht vor dem Geburtsdatum liegen."),
                E.DEATH_BEFORE_BIRTH,
            )
    else:
        if birth:
            add(
                "date_of_birth",
                _("Ein Geburtsdatum gibt es nur bei Personen und Anwärtern."),
                E.BIRTH_DATE_NOT_ALLOWED,
            )
        if death:
            add(
                "date_of_death",
                _("Ein Sterbedatum gibt es nur bei Personen und Anwärtern."),
                E.DEATH_DATE_NOT_ALLOWED,
            )

    trading = values.get("trading_status") or ""
    if ptype == ParticipantType.EMPLOYER:
        if trading not in TradingStatus.values:
            add(
                "trading_status",
                _("Unbekannter Handelsstatus „%(s)s“.") % {"s": trading},
                E.TRADING_STATUS_UNKNOWN,
            )
    elif trading:
        add(
            "trading_status",
            _("Einen Handelsstatus gibt es nur bei Arbeitgebern."),
            E.TRADING_STATUS_NOT_ALLOWED,
        )

    if values.get("end_date") and ptype not in END_DATE_TYPES:
        add(
            "end_date",
            _(
                "Ein Enddatum gibt es nur bei Produktanbietern, Dienstleistern, "
                "Informationsanbietern und Versorgungsbetrieben."
            ),
            E.END_DATE_NOT_ALLOWED,
        )
    if errors:
        raise ValidationFailed(errors=errors)


def _accounts(raw_accounts, errors: dict) -> list[dict]:
    if raw_accounts is None:
        return []
    if not isinstance(raw_accounts, list | tuple):
        errors.setdefault("bank_accounts", []).append(
            (_("Bankkonten müssen als Liste kommen."), E.BANK_ACCOUNTS_NOT_A_LIST)
        )
        return []
    return [_normalise_account(dict(a), i, errors) for i, a in enumerate(raw_accounts, start=1)]


# --- create -------------------------------------------------------------------------------


@transaction.atomic
def participant_create(
    *,
    type: str,
    name: str,
    date_of_birth: date | None = None,
    date_of_death: date | None = None,
    end_date: date | None = None,
    trading_status: str = "",
    address: str = "",
    bank_accounts: list[dict] | None = None,
    user: User | None = None,
) -> Participant:
    """Register a participant of any type (PT-1, PT-2) with a new reference "B-0000001"."""
    today = timezone.localdate()
    if type == ParticipantType.EMPLOYER and not trading_status:
        trading_status = TradingStatus.ACTIVE
    values = {
        "type": type,
        "name": (name or "").strip(),
        "date_of_birth": date_of_birth,
        "date_of_death": date_of_death,
        "end_date": end_date,
        "trading_status": trading_status or "",
    }
    errors: dict[str, list[tuple[str, str]]] = {}
    try:
        _validate(values, today=today)
    except ValidationFailed as exc:
        errors.update(exc.pairs())
    accounts = _accounts(bank_accounts, errors)
    if errors:
        raise ValidationFailed(errors=errors)

    participant = Participant(address=address or "", **values)
    participant.reference = "pending"
    participant.full_clean(exclude=["reference"])
    history_stamp(participant, user=user, reason=_("Registriert"))
    save_with_reference(participant, prefix=REFERENCE_PREFIX)
    for account in accounts:
        account.pop("id", None)
        bank = BankAccount(participant=participant, **account)
        history_stamp(bank, user=user)
        bank.save()
    return participant


# --- update / end ---------------------------------------------------------------------------


def _sync_accounts(participant: Participant, accounts: list[dict], user: User) -> None:
    """Replace the participant's bank accounts by `accounts` (items with `id` are updated)."""
    existing = {a.pk: a for a in participant.bank_accounts.all()}
    keep: set[int] = set()
    for account in accounts:
        account_id = account.pop("id", None)
        if account_id is not None:
            try:
                bank = existing[int(account_id)]
            except (KeyError, TypeError, ValueError):
                raise ValidationFailed(
                    _("Bankkonto %(id)s gehört nicht zu diesem Beteiligten.") % {"id": account_id},
                    field="bank_accounts",
                    code=E.BANK_ACCOUNT_UNKNOWN,
                )
            keep.add(bank.pk)
            changed = [k for k, v in account.items() if getattr(bank, k) != v]
            if changed:
                for key in changed:
                    setattr(bank, key, account[key])
                history_stamp(bank, user=user)
                bank.save(update_fields=changed)
        else:
            bank = BankAccount(participant=participant, **account)
            history_stamp(bank, user=user)
            bank.save()
    for pk, bank in existing.items():
        if pk not in keep:
            history_stamp(bank, user=user)
            bank.delete()


def _new_type(locked: Participant, data: dict) -> str:
    """The type after the edit: unchanged, or a prospect promoted to a person (PT-1);
    any other change of type is refused."""
    new_type = data.get("type", locked.type)
    if new_type != locked.type:
        if locked.type == ParticipantType.PROSPECT and new_type == ParticipantType.PERSON:
            pass  # PT-1: promoting a prospect is allowed as an edit, keeping the id.
        elif new_type not in ParticipantType.values:
            raise ValidationFailed(
                _("Unbekannter Beteiligtentyp „%(type)s“.") % {"type": new_type},
                field="type",
                code=E.TYPE_UNKNOWN,
            )
        else:
            raise ValidationFailed(
                _(
                    "Der Beteiligtentyp kann nicht geändert werden; nur ein Anwärter kann "
                    "zur Person hochgestuft werden."
                ),
                field="type",
                code=E.TYPE_UNCHANGEABLE,
            )
    return new_type


def _proposed_values(locked: Participant, data: dict, new_type: str) -> dict:
    """The validated fields after the edit (the address aside): given values replace the
    stored ones, empty optional values become None; an employer is trading by default."""
    values = {
        "type": new_type,
        "name": locked.name,
        "date_of_birth": locked.date_of_birth,
        "date_of_death": locked.date_of_death,
        "end_date": locked.end_date,
        "trading_status": locked.trading_status,
    }
    for key in UPDATABLE_FIELDS:
        if key in data and key != "address":
            values[key] = data[key] if data[key] != "" or key in ("name",) else None
    if "trading_status" in data:
        values["trading_status"] = data["trading_status"] or ""
    if new_type == ParticipantType.EMPLOYER and not values["trading_status"]:
        values["trading_status"] = TradingStatus.ACTIVE
    values["name"] = (values["name"] or "").strip()
    return values


def _apply_values(locked: Participant, data: dict, values: dict) -> list[str]:
    """Set the fields that differ (and the address); returns their names."""
    changed = [k for k, v in values.items() if getattr(locked, k) != v]
    if "address" in data and (data["address"] or "") != locked.address:
        locked.address = data["address"] or ""
        changed.append("address")
    for key in changed:
        if key != "address":
            setattr(locked, key, values[key])
    return changed


@transaction.atomic
def participant_update(
    *, participant: Participant, data: dict, user: User | None = None
) -> ParticipantUpdateResult:
    """Change a participant (PT-2). When the change ends them (PT-3), list the current
    third-party deductions paid to them as warnings and raise the TP-1 event once."""
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    was_ended = locked.is_ended
    today = timezone.localdate()

    new_type = _new_type(locked, data)
    unknown = set(data) - set(UPDATABLE_FIELDS) - {"type", "bank_accounts"}
    if unknown:
        raise ValidationFailed(
            _("Dieses Feld kann nicht geändert werden."),
            field=sorted(unknown)[0],
            code=E.FIELD_UNCHANGEABLE,
        )

    values = _proposed_values(locked, data, new_type)
    errors: dict[str, list[str]] = {}
    try:
        _validate(values, today=today)
    except ValidationFailed as exc:
        errors.update(exc.pairs())
    accounts = _accounts(data["bank_accounts"], errors) if "bank_accounts" in data else None
    if errors:
        raise ValidationFailed(errors=errors)

    changed = _apply_values(locked, data, values)
    became_ended = not was_ended and locked.is_ended
    if changed:
        locked.full_clean()
        reason = _("Beteiligter beendet") if became_ended else _("Geändert")
        if "type" in changed:
            reason = _("Anwärter zur Person hochgestuft")
        history_stamp(locked, user=user, reason=reason)
        locked.save(update_fields=[*changed, "updated_at"])
    if accounts is not None:
        _sync_accounts(locked, accounts, user)

    if not became_ended:
        return ParticipantUpdateResult(participant=locked)

    deductions = list(third_party_deductions_current(participant=locked, on=today))
    warnings = [_warning_for(d) for d in deductions]
    ids = [d.pk for d in deductions]
    if deductions:
        event_record(
            event_type="third_party_participant_ended",
            payload={"participant": locked.pk, "deductions": ids},
            participant_id=locked.pk,
            triggered_by_id=getattr(user, "pk", None),
        )
    return ParticipantUpdateResult(
        participant=locked, warnings=warnings, ended=True, deduction_ids=ids
    )


def _warning_for(deduction) -> str:
    return _(
        "Laufender Abzug für Dritte Nr. %(id)s „%(type)s“ im Fall %(case)s "
        "(Hauptbeteiligter: %(client)s, Enddatum %(end)s) zahlt an diesen Beteiligten: "
        "bitte das Enddatum des Abzugs setzen."
    ) % {
        "id": deduction.pk,
        "type": deduction.deduction_type.name,
        "case": deduction.case.reference,
        "client": deduction.case.primary_client.name,
        "end": format_date(deduction.end_date),
    }


@transaction.atomic
def prospect_promote(
    *, participant: Participant, date_of_birth: date | None = None, user: User | None = None
) -> Participant:
    """PT-1: a prospect becomes a person, keeping its id, reference, cases and history."""
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    if locked.type != ParticipantType.PROSPECT:
        raise IllegalTransition(
            _("Nur Anwärter können zur Person hochgestuft werden; dieser Beteiligte ist „%(t)s“.")
            % {"t": locked.get_type_display()},
            code=E.NOT_A_PROSPECT,
        )
    data: dict = {"type": ParticipantType.PERSON}
    if date_of_birth is not None:
        data["date_of_birth"] = date_of_birth
    return participant_update(participant=locked, data=data, user=user).participant
