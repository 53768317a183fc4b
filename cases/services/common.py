"""Helpers shared by the case writes: today, dates in messages, money input, FSM refusals
as 409, the checks every entity repeats, and registering a new client inside a case's
transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.dates import format_date
from config.exceptions import IllegalTransition, ValidationFailed
from participants.models import PERSON_TYPES, Participant, ParticipantType
from participants.services import participant_create
from payments.engine.money import AmountRefused, amount_from_input

from ..models import CaseStatus, IntegratedCase, IntegratedCaseStatus, ProductDeliveryCase

# settings.CASE_START_MAX_YEARS_BACK (default 1): how many years before today a product
# delivery case (or an application's requested start) may start. Payment runs pay every
# period from the case start, so a typo such as "0206-11-02" for "2026-11-02" once made a
# run create about 95,000 payments. Entitlements further back are not entered as a new
# case: that is a manual arrears matter. Component start dates need no bound of their
# own: they cannot lie before the case start.


def _today() -> date:
    return timezone.localdate()


def _amount(
    value: Decimal | int | float | str | None, *, field: str, positive: bool = False
) -> Decimal:
    """Money from input, read and rounded by the engine; its refusal worded beside `field`."""
    try:
        return amount_from_input(value, positive=positive)
    except AmountRefused as refused:
        messages = {
            "missing": _("Bitte geben Sie einen Betrag an."),
            "invalid": _("Bitte geben Sie einen gültigen Betrag an."),
            "negative": _("Der Betrag darf nicht negativ sein."),
            "zero": _("Der Betrag muss größer als 0 sein."),
            "too_large": _("Der Betrag ist zu groß."),
        }
        raise ValidationFailed(messages[refused.code], field=field) from None


def _check_start_not_too_early(day: date, *, field: str) -> None:
    """CASE_START_MAX_YEARS_BACK: refuse a start more than that many years before today."""
    today = _today()
    years = settings.CASE_START_MAX_YEARS_BACK
    try:
        earliest = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        earliest = today.replace(year=today.year - years, day=28)
    if day < earliest:
        raise ValidationFailed(
            ngettext(
                "Das Startdatum darf höchstens %(n)s Jahr zurückliegen (frühestens %(d)s).",
                "Das Startdatum darf höchstens %(n)s Jahre zurückliegen (frühestens %(d)s).",
                years,
            )
            % {"n": years, "d": format_date(earliest)},
            field=field,
        )


def _require_open_integrated_case(integrated_case: IntegratedCase) -> None:
    if integrated_case.status != IntegratedCaseStatus.OPEN:
        raise IllegalTransition(
            _(
                "Der integrierte Fall %(ref)s ist geschlossen; bitte öffnen Sie ihn erneut, "
                "bevor Sie etwas hinzufügen."
            )
            % {"ref": integrated_case.reference}
        )


def _require_not_closed_pdc(case: ProductDeliveryCase) -> None:
    if case.status == CaseStatus.CLOSED:
        raise IllegalTransition(
            _("Der Produktbereitstellungsfall %(ref)s ist geschlossen.") % {"ref": case.reference}
        )


def _ended_message(participant: Participant) -> str:
    return _("%(name)s ist beendet (verstorben, abgewickelt oder mit Enddatum).") % {
        "name": participant.name
    }


def _check_primary_client(client: Participant, *, field: str) -> None:
    if client.type not in PERSON_TYPES:
        raise ValidationFailed(
            _(
                "Ein integrierter Fall kann nur für eine Person oder einen Anwärter "
                "angelegt werden."
            ),
            field=field,
        )
    if client.date_of_death:
        raise ValidationFailed(
            _("Für eine verstorbene Person kann kein Fall angelegt werden."), field=field
        )


def _register_client(new_client: dict, user: User) -> Participant:
    """IC-1 / IC-2: register a new person or prospect inside the case's transaction."""
    ptype = new_client.get("type") or ParticipantType.PERSON
    if ptype not in PERSON_TYPES:
        raise ValidationFailed(
            _("Neu registriert werden können hier nur Personen und Anwärter."),
            field="new_client.type",
        )
    try:
        return participant_create(
            type=ptype,
            name=new_client.get("name") or "",
            date_of_birth=new_client.get("date_of_birth"),
            address=new_client.get("address") or "",
            bank_accounts=new_client.get("bank_accounts"),
            user=user,
        )
    except ValidationFailed as exc:
        raise ValidationFailed(errors={f"new_client.{k}": v for k, v in exc.errors.items()})
