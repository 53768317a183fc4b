"""Helpers shared by the case writes: today, dates in messages, money input, FSM refusals
as 409, the checks every entity repeats, and registering a new client inside a case's
transaction."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import TransitionNotAllowed

from config.exceptions import IllegalTransition, ValidationFailed
from participants.models import PERSON_TYPES, Participant, ParticipantType
from participants.services import participant_create

from ..models import CaseStatus, IntegratedCase, IntegratedCaseStatus, ProductDeliveryCase

CENT = Decimal("0.01")


# settings.CASE_START_MAX_YEARS_BACK (default 1): how many years before today a product
# delivery case (or an application's requested start) may start. Payment runs pay every
# period from the case start, so a typo such as "0206-11-02" for "2026-11-02" once made a
# run create about 95,000 payments. Entitlements further back are not entered as a new
# case: that is a manual arrears matter. Component start dates need no bound of their
# own: they cannot lie before the case start.


def _today() -> date:
    return timezone.localdate()


def _fmt(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _amount(value, *, field: str, positive: bool = False) -> Decimal:
    """Money from input: Decimal, two places half-up; never negative (never 0 if positive)."""
    if value is None or value == "":
        raise ValidationFailed(_("Bitte geben Sie einen Betrag an."), field=field)
    if isinstance(value, float):
        value = str(value)
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed(_("Bitte geben Sie einen gültigen Betrag an."), field=field)
    if not amount.is_finite():
        raise ValidationFailed(_("Bitte geben Sie einen gültigen Betrag an."), field=field)
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValidationFailed(_("Der Betrag darf nicht negativ sein."), field=field)
    if positive and amount == 0:
        raise ValidationFailed(_("Der Betrag muss größer als 0 sein."), field=field)
    if amount >= Decimal("10000000000"):
        raise ValidationFailed(_("Der Betrag ist zu groß."), field=field)
    return amount


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
            % {"n": years, "d": _fmt(earliest)},
            field=field,
        )


def _transition(instance, method: str, message: str, **kwargs) -> None:
    """Call an FSM transition; an illegal one becomes IllegalTransition (409)."""
    try:
        getattr(instance, method)(**kwargs)
    except TransitionNotAllowed:
        raise IllegalTransition(message)


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


def _register_client(new_client: dict, user) -> Participant:
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
