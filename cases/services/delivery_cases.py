"""Product delivery cases (IC-6) and their nominees (IC-7): create, change, activate
(IC-9), suspend, resume, close."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config import roles
from config.dates import format_date
from config.exceptions import IllegalTransition, ValidationFailed
from config.history import history_stamp
from config.transitions import transition
from participants.models import Participant, ParticipantType
from participants.references import save_with_reference
from products.models import Product

from .. import hooks
from ..errors import CaseError as E
from ..exceptions import NotPermitted
from ..models import (
    CaseStatus,
    FinancialComponent,
    IntegratedCase,
    IntegratedCaseStatus,
    MemberRole,
    Nominee,
    ProductDeliveryCase,
)
from .common import (
    _check_start_not_too_early,
    _ended_message,
    _require_not_closed_pdc,
    _require_open_integrated_case,
    _today,
)
from .components import _financial_component
from .members import case_member_ensure

PRODUCT_DELIVERY_CASE_PREFIX = "PBF-"


# IC-7: besides the primary client, these types may receive payment as nominees.
NOMINEE_TYPES = (ParticipantType.PERSON, ParticipantType.EMPLOYER, ParticipantType.REPRESENTATIVE)


def _check_supervisor(user: User, *, field: str = "case_supervisor") -> None:
    if user is None or not roles.is_caseworker(user):
        raise ValidationFailed(
            _("Fall-Supervisor kann nur ein Fallbearbeiter oder Fall-Supervisor sein."),
            field=field,
            code=E.SUPERVISOR_NOT_CASEWORKER,
        )


def _check_override_allowed(user: User) -> None:
    if not roles.is_supervisor(user):
        raise NotPermitted(
            _("Nur Fall-Supervisoren dürfen den maximalen Abzugssatz überschreiben."),
            field="override_max_deduction_rate",
            code=E.OVERRIDE_NOT_PERMITTED,
        )


def _nominee_add(
    case: ProductDeliveryCase, participant: Participant, user: User, *, field: str
) -> Nominee:
    if participant.pk != case.primary_client_id and participant.type not in NOMINEE_TYPES:
        raise ValidationFailed(
            _(
                "Leistungsempfänger können nur der Hauptbeteiligte, eine Person, ein "
                "Arbeitgeber oder ein Repräsentant sein (%(name)s ist %(type)s)."
            )
            % {"name": participant.name, "type": participant.get_type_display()},
            field=field,
            code=E.NOMINEE_TYPE_NOT_ALLOWED,
        )
    if participant.is_ended:
        raise ValidationFailed(_ended_message(participant), field=field, code=E.PARTICIPANT_ENDED)
    if Nominee.objects.filter(case=case, participant=participant).exists():
        raise ValidationFailed(
            _("%(name)s ist bereits Leistungsempfänger dieses Falls.") % {"name": participant.name},
            field=field,
            code=E.NOMINEE_DUPLICATE,
        )
    nominee = Nominee(case=case, participant=participant, added_on=_today())
    history_stamp(nominee, user=user)
    nominee.save()
    if participant.pk != case.primary_client_id:
        case_member_ensure(
            integrated_case=case.integrated_case,
            participant=participant,
            role=MemberRole.NOMINEE,
            user=user,
        )
    return nominee


@transaction.atomic
def product_delivery_case_create(
    *,
    integrated_case: IntegratedCase,
    product: Product,
    start_date: date | None,
    user: User,
    expected_end_date: date | None = None,
    case_supervisor: User | None = None,
    nominees: Iterable[Participant] = (),
    override_max_deduction_rate: bool = False,
    via_application: bool = False,
) -> ProductDeliveryCase:
    """IC-6: a product delivery case under an open integrated case; the primary client is
    always a nominee (IC-7); the case supervisor defaults to the requesting user; only
    supervisors may set the override of the maximum deduction rate (RO-1, CD-12)."""
    ic = IntegratedCase.objects.select_for_update().get(pk=integrated_case.pk)
    _require_open_integrated_case(ic)
    if product.has_application_process and not via_application:
        raise ValidationFailed(
            _(
                "Für das Leistungsprodukt „%(p)s“ gibt es ein Anliegenverfahren: bitte erfassen "
                "und genehmigen Sie einen Antrag."
            )
            % {"p": product.name},
            field="product",
            code=E.PRODUCT_NEEDS_APPLICATION,
        )
    if start_date is None:
        raise ValidationFailed(
            _("Bitte geben Sie das Startdatum an."), field="start_date", code=E.START_DATE_MISSING
        )
    _check_start_not_too_early(start_date, field="start_date")
    if expected_end_date is not None and expected_end_date < start_date:
        raise ValidationFailed(
            _("Das voraussichtliche Fall-Enddatum darf nicht vor dem Startdatum liegen."),
            field="expected_end_date",
            code=E.EXPECTED_END_BEFORE_START,
        )
    supervisor = case_supervisor or user
    _check_supervisor(supervisor)
    if override_max_deduction_rate:
        _check_override_allowed(user)
    client = ic.primary_client
    if client.date_of_death:
        raise ValidationFailed(
            _("Für eine verstorbene Person kann kein Fall angelegt werden."),
            field="primary_client",
            code=E.CLIENT_DECEASED,
        )
    case = ProductDeliveryCase(
        integrated_case=ic,
        product=product,
        primary_client=client,
        start_date=start_date,
        expected_end_date=expected_end_date,
        case_supervisor=supervisor,
        override_max_deduction_rate=bool(override_max_deduction_rate),
        created_by=user,
    )
    history_stamp(case, user=user, reason=_("Angelegt"))
    save_with_reference(case, prefix=PRODUCT_DELIVERY_CASE_PREFIX)
    _nominee_add(case, client, user, field="nominees")
    seen = {client.pk}
    for participant in nominees:
        if participant.pk in seen:
            continue
        seen.add(participant.pk)
        _nominee_add(case, participant, user, field="nominees")
    return case


@transaction.atomic
def product_delivery_case_update(
    *, case: ProductDeliveryCase, data: dict, user: User
) -> ProductDeliveryCase:
    """Change the expected end date, case supervisor or (supervisors only) the override."""
    locked = ProductDeliveryCase.objects.select_for_update().get(pk=case.pk)
    _require_not_closed_pdc(locked)
    allowed = {"expected_end_date", "case_supervisor", "override_max_deduction_rate"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationFailed(
            _("Dieses Feld kann nicht geändert werden."),
            field=sorted(unknown)[0],
            code=E.FIELD_UNCHANGEABLE,
        )
    changed = []
    if "expected_end_date" in data and data["expected_end_date"] != locked.expected_end_date:
        end = data["expected_end_date"]
        if end is not None and end < locked.start_date:
            raise ValidationFailed(
                _("Das voraussichtliche Fall-Enddatum darf nicht vor dem Startdatum liegen."),
                field="expected_end_date",
                code=E.EXPECTED_END_BEFORE_START,
            )
        locked.expected_end_date = end
        changed.append("expected_end_date")
    if "case_supervisor" in data and data["case_supervisor"] is not None:
        if data["case_supervisor"].pk != locked.case_supervisor_id:
            _check_supervisor(data["case_supervisor"])
            locked.case_supervisor = data["case_supervisor"]
            changed.append("case_supervisor")
    if "override_max_deduction_rate" in data:
        value = bool(data["override_max_deduction_rate"])
        if value != locked.override_max_deduction_rate:
            _check_override_allowed(user)
            locked.override_max_deduction_rate = value
            changed.append("override_max_deduction_rate")
    if changed:
        history_stamp(locked, user=user, reason=_("Geändert"))
        locked.save(update_fields=changed)
    return locked


@transaction.atomic
def nominee_add(*, case: ProductDeliveryCase, participant: Participant, user: User) -> Nominee:
    """IC-7: the primary client names a person, employer or representative as nominee."""
    locked = ProductDeliveryCase.objects.select_for_update().get(pk=case.pk)
    _require_not_closed_pdc(locked)
    return _nominee_add(locked, participant, user, field="participant")


_NOT_OPEN_REASONS = {
    CaseStatus.ACTIVE: gettext_lazy("Der Fall ist bereits aktiv."),
    CaseStatus.SUSPENDED: gettext_lazy("Der Fall ist ausgesetzt; bitte setzen Sie ihn fort."),
    CaseStatus.CLOSED: gettext_lazy("Der Fall ist geschlossen."),
}


@transaction.atomic
def product_delivery_case_activate(
    *, case: ProductDeliveryCase, user: User, on: date | None = None
) -> ProductDeliveryCase:
    """IC-9: open → active; creates one financial component per case component (amount,
    delivery method, frequency, covered period, nominee). Refused (409) with the reason when
    the case is not open, its integrated case is closed, or it has no components."""
    locked = (
        ProductDeliveryCase.objects.select_for_update()
        .select_related("product", "integrated_case")
        .get(pk=case.pk)
    )
    if locked.status != CaseStatus.OPEN:
        raise IllegalTransition(
            _("Aktivieren nicht möglich: %(why)s") % {"why": _NOT_OPEN_REASONS[locked.status]},
            code=E.CASE_NOT_OPEN,
        )
    if locked.integrated_case.status != IntegratedCaseStatus.OPEN:
        raise IllegalTransition(
            _("Aktivieren nicht möglich: der integrierte Fall ist geschlossen."),
            code=E.INTEGRATED_CASE_CLOSED,
        )
    components = list(locked.components.select_related("nominee").order_by("id"))
    if not components:
        raise IllegalTransition(
            _("Aktivieren nicht möglich: der Fall hat noch keine Komponenten."),
            code=E.CASE_WITHOUT_COMPONENTS,
        )
    on = on or _today()
    transition(
        locked, "activate", _("Der Fall kann nicht aktiviert werden."), on=on, code=E.CASE_NOT_OPEN
    )
    history_stamp(locked, user=user, reason=_("Aktiviert"))
    locked.save()
    FinancialComponent.objects.bulk_create(
        [
            _financial_component(c, start=c.start_date, end=c.end_date, amount=c.amount)
            for c in components
        ]
    )
    return locked


@transaction.atomic
def product_delivery_case_suspend(*, case: ProductDeliveryCase, user: User) -> ProductDeliveryCase:
    locked = ProductDeliveryCase.objects.select_for_update().get(pk=case.pk)
    transition(
        locked, "suspend", _("Nur ein aktiver Fall kann ausgesetzt werden."), code=E.CASE_NOT_ACTIVE
    )
    history_stamp(locked, user=user, reason=_("Ausgesetzt"))
    locked.save()
    return locked


@transaction.atomic
def product_delivery_case_resume(*, case: ProductDeliveryCase, user: User) -> ProductDeliveryCase:
    locked = ProductDeliveryCase.objects.select_for_update().get(pk=case.pk)
    transition(
        locked,
        "resume",
        _("Nur ein ausgesetzter Fall kann fortgesetzt werden."),
        code=E.CASE_NOT_SUSPENDED,
    )
    history_stamp(locked, user=user, reason=_("Fortgesetzt"))
    locked.save()
    return locked


def _check_closing_date(case: ProductDeliveryCase, closed_on: date) -> None:
    if closed_on < case.start_date:
        raise ValidationFailed(
            _("Das Schließungsdatum darf nicht vor dem Fallbeginn (%(d)s) liegen.")
            % {"d": format_date(case.start_date)},
            field="closed_on",
            code=E.CLOSE_BEFORE_START,
        )
    if closed_on > _today():
        raise ValidationFailed(
            _("Das Schließungsdatum darf nicht in der Zukunft liegen."),
            field="closed_on",
            code=E.CLOSE_IN_FUTURE,
        )
    paid_until = hooks.benefit_paid_until(case_id=case.pk)
    if paid_until is not None and closed_on < paid_until:
        raise ValidationFailed(
            _("Der Fall ist bis zum %(d)s bezahlt; das Schließungsdatum darf nicht davor liegen.")
            % {"d": format_date(paid_until)},
            field="closed_on",
            code=E.CLOSE_BEFORE_PAID,
        )


@transaction.atomic
def product_delivery_case_close(
    *, case: ProductDeliveryCase, user: User, closed_on: date | None = None, reason: str = ""
) -> ProductDeliveryCase:
    """Close a product delivery case; its financial components end on the closing day.

    The closing day lies between the case start and today and not before the end of the
    last paid benefit period: an earlier day would end (or delete) financial components
    that issued payments were generated from."""
    locked = ProductDeliveryCase.objects.select_for_update().get(pk=case.pk)
    closed_on = closed_on or _today()
    if locked.status != CaseStatus.CLOSED:
        _check_closing_date(locked, closed_on)
    transition(
        locked, "close", _("Der Fall ist bereits geschlossen."), on=closed_on, code=E.CASE_CLOSED
    )
    FinancialComponent.objects.filter(case=locked, start_date__gt=closed_on).delete()
    FinancialComponent.objects.filter(case=locked, end_date__isnull=True).update(end_date=closed_on)
    FinancialComponent.objects.filter(case=locked, end_date__gt=closed_on).update(
        end_date=closed_on
    )
    reason = (reason or "").strip()
    history_stamp(
        locked,
        user=user,
        reason=_("Geschlossen: %(r)s") % {"r": reason} if reason else _("Geschlossen"),
    )
    locked.save()
    return locked
