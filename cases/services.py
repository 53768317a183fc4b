"""Writes for integrated cases, product delivery cases, nominees, components, financial
components, applications, service deliveries, referrals (IC-1..9) and liabilities (LI-1).

Every function is one atomic use case: it validates (German messages naming the field),
locks what it changes, calls the model's FSM transition (TransitionNotAllowed becomes
IllegalTransition, HTTP 409) and stamps django-simple-history with who and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_fsm import TransitionNotAllowed

from config import roles
from config.exceptions import Conflict, IllegalTransition, ValidationFailed
from participants.models import PERSON_TYPES, Participant, ParticipantType
from participants.references import save_with_reference
from participants.services import history_stamp, participant_create
from products.models import ComponentType, Product

from .exceptions import NotPermitted
from .models import (
    Activity,
    ActivityStatus,
    ActivityType,
    Application,
    ApplicationStatus,
    CaseComponent,
    CaseMember,
    CaseStatus,
    DeliveryMethod,
    FinancialComponent,
    IntegratedCase,
    IntegratedCaseStatus,
    IntegratedCaseType,
    Liability,
    LiabilityStatus,
    MemberRole,
    Nominee,
    ProductDeliveryCase,
    Referral,
    ServiceDelivery,
)

INTEGRATED_CASE_PREFIX = "IF-"
PRODUCT_DELIVERY_CASE_PREFIX = "PBF-"
# IC-7: besides the primary client, these types may receive payment as nominees.
NOMINEE_TYPES = (ParticipantType.PERSON, ParticipantType.EMPLOYER, ParticipantType.REPRESENTATIVE)
# IC-5: who may provide a service delivery or take a referral.
SERVICE_PROVIDER_TYPES = (
    ParticipantType.SERVICE_PROVIDER,
    ParticipantType.PRODUCT_PROVIDER,
    ParticipantType.INFORMATION_PROVIDER,
    ParticipantType.EXTERNAL_PARTY,
)
CENT = Decimal("0.01")
# settings.CASE_START_MAX_YEARS_BACK (default 1): how many years before today a product
# delivery case (or an application's requested start) may start. Payment runs pay every
# period from the case start, so a typo such as "0206-11-02" for "2026-11-02" once made a
# run create about 95,000 payments. Entitlements further back are not entered as a new
# case: that is a manual arrears matter. Component start dates need no bound of their
# own: they cannot lie before the case start.


# --- helpers --------------------------------------------------------------------------------


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


# --- integrated case types --------------------------------------------------------------------


def integrated_case_type_default() -> IntegratedCaseType | None:
    return IntegratedCaseType.objects.filter(is_default=True, active=True).first()


def _resolve_case_type(case_type: IntegratedCaseType | str | None) -> IntegratedCaseType:
    if case_type in (None, ""):
        default = integrated_case_type_default()
        if default is None:
            raise ValidationFailed(
                _(
                    "Es ist kein Standardtyp für integrierte Fälle festgelegt; "
                    "bitte wählen Sie einen Typ."
                ),
                field="case_type",
            )
        return default
    if isinstance(case_type, IntegratedCaseType):
        found = case_type
    else:
        found = IntegratedCaseType.objects.filter(code=str(case_type)).first()
        if found is None:
            raise ValidationFailed(
                _("Unbekannter Typ des integrierten Falls „%(code)s“.") % {"code": case_type},
                field="case_type",
            )
    if not found.active:
        raise ValidationFailed(
            _("Der Typ „%(name)s“ wird nicht mehr verwendet.") % {"name": found.name},
            field="case_type",
        )
    return found


@transaction.atomic
def integrated_case_type_save(*, case_type: IntegratedCaseType, user=None) -> IntegratedCaseType:
    """Admin: save a type; making it the default takes the flag from the previous default."""
    case_type.full_clean(validate_constraints=False)
    if case_type.is_default:
        others = IntegratedCaseType.objects.select_for_update().filter(is_default=True)
        for other in others.exclude(pk=case_type.pk):
            other.is_default = False
            history_stamp(other, user, _("Standardtyp abgegeben"))
            other.save(update_fields=["is_default"])
    history_stamp(case_type, user)
    case_type.save()
    return case_type


# --- integrated cases -------------------------------------------------------------------------


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


def _check_no_other_open(client: Participant, case_type: IntegratedCaseType, exclude_pk=None):
    other = IntegratedCase.objects.filter(
        primary_client=client, case_type=case_type, status=IntegratedCaseStatus.OPEN
    ).exclude(pk=exclude_pk)
    found = other.first()
    if found:
        raise Conflict(
            _(
                "Für %(client)s gibt es bereits einen offenen integrierten Fall vom Typ "
                "„%(type)s“ (%(ref)s)."
            )
            % {"client": client.name, "type": case_type.name, "ref": found.reference},
            field="primary_client",
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


@transaction.atomic
def integrated_case_create(
    *,
    user,
    primary_client: Participant | None = None,
    new_client: dict | None = None,
    case_type: IntegratedCaseType | str | None = None,
    opened_on: date | None = None,
    product: Product | None = None,
    start_date: date | None = None,
    expected_end_date: date | None = None,
    nominees: Iterable[Participant] = (),
    case_supervisor=None,
) -> IntegratedCase:
    """IC-1: an integrated case for a person or prospect, who may be registered here too.
    Without a case type the default type is used. Status "offen" (IC-3).

    IC-10: with a product, its first product delivery case is created in the same
    transaction (start date defaulting to the opening date, the primary client always a
    nominee); any refusal leaves neither behind. Products with an application process
    keep their path through applications (IC-2)."""
    nominees = list(nominees or [])
    if product is None and (start_date or expected_end_date or nominees):
        raise ValidationFailed(
            _(
                "Startdatum, voraussichtliches Enddatum und Leistungsempfänger gehören zu "
                "einem Leistungsprodukt: bitte wählen Sie eines oder lassen Sie sie leer."
            ),
            field="product",
        )
    if product is not None and product.has_application_process:
        raise ValidationFailed(
            _(
                "Für das Leistungsprodukt „%(p)s“ gibt es ein Anliegenverfahren: der Fall "
                "entsteht, wenn ein Antrag genehmigt wird. Bitte erfassen Sie einen Antrag."
            )
            % {"p": product.name},
            field="product",
        )
    if (primary_client is None) == (not new_client):
        raise ValidationFailed(
            _(
                "Bitte wählen Sie eine registrierte Person oder einen Anwärter, oder "
                "registrieren Sie eine neue Person – nicht beides."
            ),
            field="primary_client",
        )
    resolved_type = _resolve_case_type(case_type)
    opened_on = opened_on or _today()
    if opened_on > _today():
        raise ValidationFailed(
            _("Das Eröffnungsdatum darf nicht in der Zukunft liegen."), field="opened_on"
        )
    if primary_client is not None:
        client = Participant.objects.select_for_update().get(pk=primary_client.pk)
        _check_primary_client(client, field="primary_client")
        _check_no_other_open(client, resolved_type)
    else:
        client = _register_client(new_client, user)
    case = IntegratedCase(
        case_type=resolved_type,
        primary_client=client,
        opened_on=opened_on,
        created_by=user,
    )
    history_stamp(case, user, _("Angelegt"))
    save_with_reference(case, prefix=INTEGRATED_CASE_PREFIX)
    case_member_ensure(
        integrated_case=case, participant=client, role=MemberRole.PRIMARY_CLIENT, user=user
    )
    if product is not None:
        product_delivery_case_create(
            integrated_case=case,
            product=product,
            start_date=start_date or opened_on,
            expected_end_date=expected_end_date,
            case_supervisor=case_supervisor,
            nominees=nominees,
            user=user,
        )
    return case


# IC-11: what becomes of planned activities when their integrated case is closed.
PLANNED_ACTIVITIES_CANCEL = "cancel"
PLANNED_ACTIVITIES_KEEP = "keep"
PLANNED_ACTIVITIES_CHOICES = [
    (PLANNED_ACTIVITIES_CANCEL, gettext_lazy("Geplante Aktivitäten absagen")),
    (PLANNED_ACTIVITIES_KEEP, gettext_lazy("Geplante Aktivitäten beibehalten")),
]


@transaction.atomic
def integrated_case_close(
    *,
    integrated_case: IntegratedCase,
    reason: str,
    user,
    closed_on: date | None = None,
    planned_activities: str | None = None,
) -> IntegratedCase:
    """IC-3: open → closed with a reason and date; its product delivery cases must be
    closed first. History records who closed it and why.

    IC-11: with planned activities the caller must say what becomes of them — cancelled
    ("cancel") or kept for their responsible users ("keep"); the choice is recorded in
    the case's history and, when cancelled, in each activity's."""
    case = IntegratedCase.objects.select_for_update().get(pk=integrated_case.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Bitte geben Sie einen Schließungsgrund an."), field="reason")
    closed_on = closed_on or _today()
    if case.status != IntegratedCaseStatus.OPEN:
        raise IllegalTransition(
            _("Der integrierte Fall %(ref)s ist bereits geschlossen.") % {"ref": case.reference}
        )
    if closed_on < case.opened_on:
        raise ValidationFailed(
            _("Das Schließungsdatum darf nicht vor der Eröffnung (%(d)s) liegen.")
            % {"d": _fmt(case.opened_on)},
            field="closed_on",
        )
    if closed_on > _today():
        raise ValidationFailed(
            _("Das Schließungsdatum darf nicht in der Zukunft liegen."), field="closed_on"
        )
    still_open = list(
        case.product_delivery_cases.exclude(status=CaseStatus.CLOSED).values_list(
            "reference", flat=True
        )
    )
    if still_open:
        raise IllegalTransition(
            _(
                "Der integrierte Fall hat noch nicht geschlossene Produktbereitstellungsfälle "
                "(%(refs)s); bitte schließen Sie diese zuerst."
            )
            % {"refs": ", ".join(still_open)}
        )
    planned = list(
        Activity.objects.select_for_update()
        .filter(integrated_case=case, status=ActivityStatus.PLANNED)
        .order_by("planned_at", "pk")
    )
    choice_text = ""
    if planned:
        if planned_activities not in (PLANNED_ACTIVITIES_CANCEL, PLANNED_ACTIVITIES_KEEP):
            raise ValidationFailed(
                ngettext(
                    "Der Fall hat %(n)s geplante Aktivität (%(list)s): bitte wählen Sie, ob "
                    "sie abgesagt oder beibehalten wird.",
                    "Der Fall hat %(n)s geplante Aktivitäten (%(list)s): bitte wählen Sie, ob "
                    "sie abgesagt oder beibehalten werden.",
                    len(planned),
                )
                % {"n": len(planned), "list": ", ".join(a.subject for a in planned)},
                field="planned_activities",
            )
        now = timezone.now()
        if planned_activities == PLANNED_ACTIVITIES_CANCEL:
            for activity in planned:
                activity.cancel(note=_("Mit dem Fall geschlossen."), at=now)
                history_stamp(activity, user, _("Abgesagt: Fall geschlossen"))
                activity.save()
            choice_text = _("%(n)s geplante Aktivität(en) abgesagt") % {"n": len(planned)}
        else:
            choice_text = _("%(n)s geplante Aktivität(en) beibehalten") % {"n": len(planned)}
    _transition(
        case,
        "close",
        _("Der integrierte Fall kann nicht geschlossen werden."),
        reason=reason,
        on=closed_on,
    )
    change = _("Geschlossen: %(r)s") % {"r": reason}
    if choice_text:
        # The choice first: the history keeps 100 characters of the reason.
        change = f"{choice_text}. {change}"
    history_stamp(case, user, change)
    case.save()
    return case


@transaction.atomic
def integrated_case_reopen(
    *, integrated_case: IntegratedCase, user, reason: str = ""
) -> IntegratedCase:
    """IC-3: closed → open, keeping id, cases and history; the closure stays in history."""
    case = IntegratedCase.objects.select_for_update().get(pk=integrated_case.pk)
    if case.status != IntegratedCaseStatus.CLOSED:
        raise IllegalTransition(
            _("Der integrierte Fall %(ref)s ist bereits offen.") % {"ref": case.reference}
        )
    _check_no_other_open(case.primary_client, case.case_type, exclude_pk=case.pk)
    _transition(case, "reopen", _("Der integrierte Fall kann nicht erneut geöffnet werden."))
    case.closure_reason = ""
    reason = (reason or "").strip()
    history_stamp(
        case,
        user,
        _("Erneut geöffnet: %(r)s") % {"r": reason} if reason else _("Erneut geöffnet"),
    )
    case.save()
    return case


def case_member_ensure(
    *,
    integrated_case: IntegratedCase,
    participant: Participant,
    role: str,
    user=None,
    added_on: date | None = None,
) -> CaseMember:
    """IC-4 / TP-5: make `participant` a member with `role`; idempotent and race-safe."""
    existing = CaseMember.objects.filter(
        integrated_case=integrated_case, participant=participant, role=role
    ).first()
    if existing:
        return existing
    member = CaseMember(
        integrated_case=integrated_case,
        participant=participant,
        role=role,
        added_on=added_on or _today(),
    )
    history_stamp(member, user)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        return CaseMember.objects.get(
            integrated_case=integrated_case, participant=participant, role=role
        )
    return member


@transaction.atomic
def case_member_add(
    *,
    integrated_case: IntegratedCase,
    user,
    participant: Participant | None = None,
    new_person: dict | None = None,
    role: str = MemberRole.HOUSEHOLD_MEMBER,
) -> CaseMember:
    """IC-4: add a household member (an existing person/prospect or a newly registered one).
    Nominee, third-party payee and liability holder memberships are added automatically."""
    case = IntegratedCase.objects.select_for_update().get(pk=integrated_case.pk)
    _require_open_integrated_case(case)
    if role != MemberRole.HOUSEHOLD_MEMBER:
        raise ValidationFailed(
            _(
                "Von Hand können nur Haushaltsmitglieder hinzugefügt werden; andere Rollen "
                "vergibt das System."
            ),
            field="role",
        )
    if (participant is None) == (not new_person):
        raise ValidationFailed(
            _("Bitte wählen Sie einen Beteiligten oder registrieren Sie eine neue Person."),
            field="participant",
        )
    if new_person:
        participant = _register_client(new_person, user)
    if participant.type not in PERSON_TYPES:
        raise ValidationFailed(
            _("Haushaltsmitglieder sind Personen oder Anwärter."), field="participant"
        )
    if participant.pk == case.primary_client_id:
        raise ValidationFailed(
            _("Der Hauptbeteiligte gehört bereits zum Fall."), field="participant"
        )
    if CaseMember.objects.filter(integrated_case=case, participant=participant, role=role).exists():
        raise ValidationFailed(
            _("%(name)s ist bereits Haushaltsmitglied in diesem Fall.")
            % {"name": participant.name},
            field="participant",
        )
    return case_member_ensure(integrated_case=case, participant=participant, role=role, user=user)


# --- product delivery cases -------------------------------------------------------------------


def _check_supervisor(user, *, field: str = "case_supervisor") -> None:
    if user is None or not roles.is_caseworker(user):
        raise ValidationFailed(
            _("Fall-Supervisor kann nur ein Fallbearbeiter oder Fall-Supervisor sein."),
            field=field,
        )


def _check_override_allowed(user) -> None:
    if not roles.is_supervisor(user):
        raise NotPermitted(
            _("Nur Fall-Supervisoren dürfen den maximalen Abzugssatz überschreiben."),
            field="override_max_deduction_rate",
        )


def _nominee_add(
    case: ProductDeliveryCase, participant: Participant, user, *, field: str
) -> Nominee:
    if participant.pk != case.primary_client_id and participant.type not in NOMINEE_TYPES:
        raise ValidationFailed(
            _(
                "Leistungsempfänger können nur der Hauptbeteiligte, eine Person, ein "
                "Arbeitgeber oder ein Repräsentant sein (%(name)s ist %(type)s)."
            )
            % {"name": participant.name, "type": participant.get_type_display()},
            field=field,
        )
    if participant.is_ended:
        raise ValidationFailed(_ended_message(participant), field=field)
    if Nominee.objects.filter(case=case, participant=participant).exists():
        raise ValidationFailed(
            _("%(name)s ist bereits Leistungsempfänger dieses Falls.") % {"name": participant.name},
            field=field,
        )
    nominee = Nominee(case=case, participant=participant, added_on=_today())
    history_stamp(nominee, user)
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
    user,
    expected_end_date: date | None = None,
    case_supervisor=None,
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
        )
    if start_date is None:
        raise ValidationFailed(_("Bitte geben Sie das Startdatum an."), field="start_date")
    _check_start_not_too_early(start_date, field="start_date")
    if expected_end_date is not None and expected_end_date < start_date:
        raise ValidationFailed(
            _("Das voraussichtliche Fall-Enddatum darf nicht vor dem Startdatum liegen."),
            field="expected_end_date",
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
    history_stamp(case, user, _("Angelegt"))
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
    *, case: ProductDeliveryCase, data: dict, user
) -> ProductDeliveryCase:
    """Change the expected end date, case supervisor or (supervisors only) the override."""
    locked = ProductDeliveryCase.objects.select_for_update().get(pk=case.pk)
    _require_not_closed_pdc(locked)
    allowed = {"expected_end_date", "case_supervisor", "override_max_deduction_rate"}
    unknown = set(data) - allowed
    if unknown:
        raise ValidationFailed(
            _("Dieses Feld kann nicht geändert werden."), field=sorted(unknown)[0]
        )
    changed = []
    if "expected_end_date" in data and data["expected_end_date"] != locked.expected_end_date:
        end = data["expected_end_date"]
        if end is not None and end < locked.start_date:
            raise ValidationFailed(
                _("Das voraussichtliche Fall-Enddatum darf nicht vor dem Startdatum liegen."),
                field="expected_end_date",
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
        history_stamp(locked, user, _("Geändert"))
        locked.save(update_fields=changed)
    return locked


@transaction.atomic
def nominee_add(*, case: ProductDeliveryCase, participant: Participant, user) -> Nominee:
    """IC-7: the primary client names a person, employer or representative as nominee."""
    locked = ProductDeliveryCase.objects.select_for_update().get(pk=case.pk)
    _require_not_closed_pdc(locked)
    return _nominee_add(locked, participant, user, field="participant")


def _delivery_method(nominee: Participant) -> str:
    """Bank transfer when the nominee has a bank account, otherwise a cheque."""
    if nominee.bank_accounts.exists():
        return DeliveryMethod.BANK_TRANSFER
    return DeliveryMethod.CHEQUE


def financial_components_follow_frequency(*, product_id: int, frequency: str) -> int:
    """IC-9: the financial components of a product's cases copy its payment frequency;
    when the product's frequency changes (only allowed before any payment), they follow.
    One UPDATE; returns the number of components changed."""
    return (
        FinancialComponent.objects.filter(case__product_id=product_id)
        .exclude(frequency=frequency)
        .update(frequency=frequency)
    )


def _financial_component(
    component: CaseComponent, *, start: date, end: date | None, amount: Decimal, method=None
) -> FinancialComponent:
    case = component.case
    return FinancialComponent(
        case=case,
        component=component,
        nominee=component.nominee,
        amount=amount,
        delivery_method=method or _delivery_method(component.nominee),
        frequency=case.product.payment_frequency,
        start_date=start,
        end_date=end,
    )


@transaction.atomic
def component_add(
    *,
    case: ProductDeliveryCase,
    component_type: ComponentType,
    amount,
    nominee: Participant,
    user,
    start_date: date | None = None,
    end_date: date | None = None,
) -> CaseComponent:
    """IC-8: a component of the case's product, an amount per period (> 0) for one of the
    case's nominees, from start (default: case start) to an optional end. On an active case
    its financial component is created at once (IC-9)."""
    locked = (
        ProductDeliveryCase.objects.select_for_update().select_related("product").get(pk=case.pk)
    )
    _require_not_closed_pdc(locked)
    if component_type.product_id != locked.product_id:
        raise ValidationFailed(
            _("Der Komponententyp „%(ct)s“ gehört nicht zum Leistungsprodukt „%(p)s“ dieses Falls.")
            % {"ct": component_type.name, "p": locked.product.name},
            field="component_type",
        )
    if not Nominee.objects.filter(case=locked, participant=nominee).exists():
        raise ValidationFailed(
            _("%(name)s ist kein Leistungsempfänger dieses Falls.") % {"name": nominee.name},
            field="nominee",
        )
    value = _amount(amount, field="amount", positive=True)
    start_date = start_date or locked.start_date
    if start_date < locked.start_date:
        raise ValidationFailed(
            _("Die Komponente kann nicht vor dem Fallbeginn (%(d)s) beginnen.")
            % {"d": _fmt(locked.start_date)},
            field="start_date",
        )
    if end_date is not None and end_date < start_date:
        raise ValidationFailed(
            _("Das Enddatum darf nicht vor dem Startdatum liegen."), field="end_date"
        )
    component = CaseComponent(
        case=locked,
        component_type=component_type,
        nominee=nominee,
        amount=value,
        start_date=start_date,
        end_date=end_date,
    )
    component.full_clean()
    history_stamp(component, user, _("Angelegt"))
    component.save()
    if locked.status in (CaseStatus.ACTIVE, CaseStatus.SUSPENDED):
        _financial_component(component, start=start_date, end=end_date, amount=value).save()
    return component


_NOT_OPEN_REASONS = {
    CaseStatus.ACTIVE: gettext_lazy("Der Fall ist bereits aktiv."),
    CaseStatus.SUSPENDED: gettext_lazy("Der Fall ist ausgesetzt; bitte setzen Sie ihn fort."),
    CaseStatus.CLOSED: gettext_lazy("Der Fall ist geschlossen."),
}


@transaction.atomic
def product_delivery_case_activate(
    *, case: ProductDeliveryCase, user, on: date | None = None
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
            _("Aktivieren nicht möglich: %(why)s") % {"why": _NOT_OPEN_REASONS[locked.status]}
        )
    if locked.integrated_case.status != IntegratedCaseStatus.OPEN:
        raise IllegalTransition(
            _("Aktivieren nicht möglich: der integrierte Fall ist geschlossen.")
        )
    components = list(locked.components.select_related("nominee").order_by("id"))
    if not components:
        raise IllegalTransition(_("Aktivieren nicht möglich: der Fall hat noch keine Komponenten."))
    on = on or _today()
    _transition(locked, "activate", _("Der Fall kann nicht aktiviert werden."), on=on)
    history_stamp(locked, user, _("Aktiviert"))
    locked.save()
    FinancialComponent.objects.bulk_create(
        [
            _financial_component(c, start=c.start_date, end=c.end_date, amount=c.amount)
            for c in components
        ]
    )
    return locked


@transaction.atomic
def component_reassess(
    *, component: CaseComponent, amount, effective_from: date, user
) -> CaseComponent:
    """IC-9 reassessment: the amount changes from `effective_from`. On an active case the
    financial component covering that day ends the day before and a new one starts on it
    (later ones are replaced); the case component carries the new current amount."""
    locked_case = ProductDeliveryCase.objects.select_for_update().get(pk=component.case_id)
    _require_not_closed_pdc(locked_case)
    comp = CaseComponent.objects.select_for_update().select_related("nominee").get(pk=component.pk)
    value = _amount(amount, field="amount", positive=True)
    if effective_from is None:
        raise ValidationFailed(_("Bitte geben Sie das Änderungsdatum an."), field="effective_from")
    if effective_from < comp.start_date or (comp.end_date and effective_from > comp.end_date):
        raise ValidationFailed(
            _("Das Änderungsdatum muss in der Laufzeit der Komponente liegen."),
            field="effective_from",
        )
    if value == comp.amount:
        raise ValidationFailed(_("Der Betrag ist unverändert."), field="amount")
    if locked_case.status in (CaseStatus.ACTIVE, CaseStatus.SUSPENDED):
        fcs = list(
            FinancialComponent.objects.select_for_update()
            .filter(component=comp)
            .order_by("start_date", "id")
        )
        method = fcs[-1].delivery_method if fcs else None
        for fc in fcs:
            if fc.start_date >= effective_from:
                fc.delete()
            elif fc.end_date is None or fc.end_date >= effective_from:
                fc.end_date = effective_from - timedelta(days=1)
                fc.save(update_fields=["end_date"])
        comp.case = locked_case
        _financial_component(
            comp, start=effective_from, end=comp.end_date, amount=value, method=method
        ).save()
    comp.amount = value
    history_stamp(comp, user, _("Neubewertung ab %(d)s") % {"d": _fmt(effective_from)})
    comp.save(update_fields=["amount"])
    return comp


@transaction.atomic
def product_delivery_case_suspend(*, case: ProductDeliveryCase, user) -> ProductDeliveryCase:
    locked = ProductDeliveryCase.objects.select_for_update().get(pk=case.pk)
    _transition(locked, "suspend", _("Nur ein aktiver Fall kann ausgesetzt werden."))
    history_stamp(locked, user, _("Ausgesetzt"))
    locked.save()
    return locked


@transaction.atomic
def product_delivery_case_resume(*, case: ProductDeliveryCase, user) -> ProductDeliveryCase:
    locked = ProductDeliveryCase.objects.select_for_update().get(pk=case.pk)
    _transition(locked, "resume", _("Nur ein ausgesetzter Fall kann fortgesetzt werden."))
    history_stamp(locked, user, _("Fortgesetzt"))
    locked.save()
    return locked


def _check_closing_date(case: ProductDeliveryCase, closed_on: date) -> None:
    from payments.models import Payment, PaymentKind, PaymentStatus

    if closed_on < case.start_date:
        raise ValidationFailed(
            _("Das Schließungsdatum darf nicht vor dem Fallbeginn (%(d)s) liegen.")
            % {"d": _fmt(case.start_date)},
            field="closed_on",
        )
    if closed_on > _today():
        raise ValidationFailed(
            _("Das Schließungsdatum darf nicht in der Zukunft liegen."), field="closed_on"
        )
    paid_until = (
        Payment.objects.filter(case=case, kind=PaymentKind.BENEFIT)
        .exclude(status=PaymentStatus.CANCELLED)
        .aggregate(end=Max("period_end"))["end"]
    )
    if paid_until is not None and closed_on < paid_until:
        raise ValidationFailed(
            _("Der Fall ist bis zum %(d)s bezahlt; das Schließungsdatum darf nicht davor liegen.")
            % {"d": _fmt(paid_until)},
            field="closed_on",
        )


@transaction.atomic
def product_delivery_case_close(
    *, case: ProductDeliveryCase, user, closed_on: date | None = None, reason: str = ""
) -> ProductDeliveryCase:
    """Close a product delivery case; its financial components end on the closing day.

    The closing day lies between the case start and today and not before the end of the
    last paid benefit period: an earlier day would end (or delete) financial components
    that issued payments were generated from."""
    locked = ProductDeliveryCase.objects.select_for_update().get(pk=case.pk)
    closed_on = closed_on or _today()
    if locked.status != CaseStatus.CLOSED:
        _check_closing_date(locked, closed_on)
    _transition(locked, "close", _("Der Fall ist bereits geschlossen."), on=closed_on)
    FinancialComponent.objects.filter(case=locked, start_date__gt=closed_on).delete()
    FinancialComponent.objects.filter(case=locked, end_date__isnull=True).update(end_date=closed_on)
    FinancialComponent.objects.filter(case=locked, end_date__gt=closed_on).update(
        end_date=closed_on
    )
    reason = (reason or "").strip()
    history_stamp(
        locked, user, _("Geschlossen: %(r)s") % {"r": reason} if reason else _("Geschlossen")
    )
    locked.save()
    return locked


# --- applications (IC-2) ----------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    product: Product,
    requested_start_date: date | None,
    user,
    applicant: Participant | None = None,
    new_applicant: dict | None = None,
    case_type: IntegratedCaseType | str | None = None,
    submitted_on: date | None = None,
) -> Application:
    """IC-2: capture an application for a product with an application process, for a
    registered person/prospect or one registered in the same step."""
    if not product.has_application_process:
        raise ValidationFailed(
            _(
                "Für das Leistungsprodukt „%(p)s“ gibt es kein Anliegenverfahren; bitte legen "
                "Sie den Fall direkt an."
            )
            % {"p": product.name},
            field="product",
        )
    if requested_start_date is None:
        raise ValidationFailed(
            _("Bitte geben Sie das gewünschte Startdatum an."), field="requested_start_date"
        )
    _check_start_not_too_early(requested_start_date, field="requested_start_date")
    resolved_type = _resolve_case_type(case_type)
    if (applicant is None) == (not new_applicant):
        raise ValidationFailed(
            _("Bitte wählen Sie einen Antragsteller oder registrieren Sie eine neue Person."),
            field="applicant",
        )
    if new_applicant:
        try:
            applicant = _register_client(new_applicant, user)
        except ValidationFailed as exc:
            raise ValidationFailed(
                errors={
                    k.replace("new_client.", "new_applicant."): v for k, v in exc.errors.items()
                }
            )
    else:
        applicant = Participant.objects.select_for_update().get(pk=applicant.pk)
        _check_primary_client(applicant, field="applicant")
        pending = Application.objects.filter(
            applicant=applicant, product=product, status=ApplicationStatus.SUBMITTED
        ).first()
        if pending:
            raise Conflict(
                _("Für %(name)s liegt bereits ein offener Antrag auf „%(p)s“ vor (Nr. %(id)s).")
                % {"name": applicant.name, "p": product.name, "id": pending.pk},
                field="applicant",
            )
    application = Application(
        applicant=applicant,
        product=product,
        case_type=resolved_type,
        submitted_on=submitted_on or _today(),
        requested_start_date=requested_start_date,
        created_by=user,
    )
    history_stamp(application, user, _("Eingereicht"))
    application.save()
    return application


@transaction.atomic
def application_approve(*, application: Application, user, on: date | None = None) -> Application:
    """IC-2: approval creates the integrated case (unless the client has one open of that
    type) and the product delivery case. A second approval is refused (409); the row lock
    makes concurrent approvals wait and then see the first one's result."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status == ApplicationStatus.APPROVED:
        pdc = locked.product_delivery_case
        raise IllegalTransition(
            _(
                "Der Antrag Nr. %(id)s wurde bereits am %(d)s genehmigt; der "
                "Produktbereitstellungsfall %(ref)s besteht schon und wird nicht noch einmal "
                "angelegt."
            )
            % {"id": locked.pk, "d": _fmt(locked.decided_on), "ref": pdc.reference if pdc else "–"}
        )
    if locked.status == ApplicationStatus.REJECTED:
        raise IllegalTransition(
            _("Der Antrag Nr. %(id)s wurde abgelehnt und kann nicht genehmigt werden.")
            % {"id": locked.pk}
        )
    on = on or _today()
    # Serialise case creation per client: two applications of one client approved at once
    # must not both create an integrated case of the same type.
    client = Participant.objects.select_for_update().get(pk=locked.applicant_id)
    _check_primary_client(client, field="applicant")
    ic = (
        IntegratedCase.objects.filter(
            primary_client=client, case_type=locked.case_type, status=IntegratedCaseStatus.OPEN
        )
        .order_by("id")
        .first()
    )
    if ic is None:
        ic = integrated_case_create(
            user=user, primary_client=client, case_type=locked.case_type, opened_on=on
        )
    pdc = product_delivery_case_create(
        integrated_case=ic,
        product=locked.product,
        start_date=locked.requested_start_date,
        case_supervisor=user,
        user=user,
        via_application=True,
    )
    _transition(locked, "approve", _("Der Antrag kann nicht genehmigt werden."), by=user, on=on)
    locked.product_delivery_case = pdc
    history_stamp(locked, user, _("Genehmigt"))
    locked.save()
    return locked


@transaction.atomic
def application_reject(
    *, application: Application, user, reason: str, on: date | None = None
) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Bitte geben Sie einen Ablehnungsgrund an."), field="reason")
    _transition(
        locked,
        "reject",
        _("Nur eingereichte Anträge können abgelehnt werden."),
        by=user,
        on=on or _today(),
    )
    history_stamp(locked, user, _("Abgelehnt: %(r)s") % {"r": reason})
    locked.save()
    return locked


# --- service deliveries and referrals (IC-5) --------------------------------------------------


def _check_provider(provider: Participant | None) -> None:
    if provider is None:
        return
    if provider.type not in SERVICE_PROVIDER_TYPES:
        raise ValidationFailed(
            _(
                "Anbieter können Dienstleister, Produktanbieter, Informationsanbieter oder "
                "externe Parteien sein."
            ),
            field="provider",
        )
    if provider.is_ended:
        raise ValidationFailed(_ended_message(provider), field="provider")


def _service_name(service: str) -> str:
    service = (service or "").strip()
    if not service:
        raise ValidationFailed(_("Bitte geben Sie den Service an."), field="service")
    if len(service) > 200:
        raise ValidationFailed(_("Höchstens 200 Zeichen."), field="service")
    return service


@transaction.atomic
def service_delivery_create(
    *,
    integrated_case: IntegratedCase,
    service: str,
    start_date: date | None,
    user,
    provider: Participant | None = None,
    end_date: date | None = None,
    notes: str = "",
) -> ServiceDelivery:
    ic = IntegratedCase.objects.select_for_update().get(pk=integrated_case.pk)
    _require_open_integrated_case(ic)
    service = _service_name(service)
    if start_date is None:
        raise ValidationFailed(_("Bitte geben Sie das Startdatum an."), field="start_date")
    if end_date is not None and end_date < start_date:
        raise ValidationFailed(
            _("Das Enddatum darf nicht vor dem Startdatum liegen."), field="end_date"
        )
    _check_provider(provider)
    delivery = ServiceDelivery(
        integrated_case=ic,
        service=service,
        provider=provider,
        start_date=start_date,
        end_date=end_date,
        notes=notes or "",
    )
    history_stamp(delivery, user, _("Angelegt"))
    delivery.save()
    return delivery


@transaction.atomic
def referral_create(
    *,
    integrated_case: IntegratedCase,
    service: str,
    user,
    provider: Participant | None = None,
    referral_date: date | None = None,
    reason: str = "",
) -> Referral:
    ic = IntegratedCase.objects.select_for_update().get(pk=integrated_case.pk)
    _require_open_integrated_case(ic)
    service = _service_name(service)
    _check_provider(provider)
    referral_date = referral_date or _today()
    if referral_date < ic.opened_on:
        raise ValidationFailed(
            _("Das Überweisungsdatum darf nicht vor der Eröffnung des Falls liegen."),
            field="referral_date",
        )
    referral = Referral(
        integrated_case=ic,
        service=service,
        provider=provider,
        referral_date=referral_date,
        reason=reason or "",
    )
    history_stamp(referral, user, _("Angelegt"))
    referral.save()
    return referral


# --- liabilities (LI-1) -----------------------------------------------------------------------


@transaction.atomic
def liability_create(
    *,
    participant: Participant,
    original_amount,
    user,
    liability_case_id: str = "",
    description: str = "",
) -> Liability:
    """LI-1: a debt of a participant; outstanding starts at the original amount. Without a
    liability case id one is generated ("VB-2026-0001")."""
    amount = _amount(original_amount, field="original_amount", positive=True)
    liability_case_id = (liability_case_id or "").strip()
    if len(liability_case_id) > 40:
        raise ValidationFailed(_("Höchstens 40 Zeichen."), field="liability_case_id")
    if liability_case_id and Liability.objects.filter(liability_case_id=liability_case_id).exists():
        raise ValidationFailed(
            _("Die ID des Verbindlichkeitsfalls „%(id)s“ ist bereits vergeben.")
            % {"id": liability_case_id},
            field="liability_case_id",
        )
    liability = Liability(
        participant=participant,
        liability_case_id=liability_case_id,
        description=(description or "").strip()[:200],
        original_amount=amount,
        outstanding_amount=amount,
        status=LiabilityStatus.OPEN,
    )
    history_stamp(liability, user, _("Angelegt"))
    if liability_case_id:
        try:
            with transaction.atomic():
                liability.save()
        except IntegrityError:
            raise ValidationFailed(
                _("Die ID des Verbindlichkeitsfalls „%(id)s“ ist bereits vergeben.")
                % {"id": liability_case_id},
                field="liability_case_id",
            )
    else:
        save_with_reference(
            liability, prefix=f"VB-{_today().year}-", width=4, field="liability_case_id"
        )
    return liability


@transaction.atomic
def liability_update(*, liability: Liability, data: dict, user) -> Liability:
    """Only the description changes after creation; amounts move only by deductions."""
    locked = Liability.objects.select_for_update().get(pk=liability.pk)
    unknown = set(data) - {"description"}
    if unknown:
        raise ValidationFailed(
            _("Nach dem Anlegen ändern sich nur die Beschreibung; Beträge ändern Abzüge."),
            field=sorted(unknown)[0],
        )
    if "description" in data:
        locked.description = (data["description"] or "").strip()[:200]
        history_stamp(locked, user, _("Geändert"))
        locked.save(update_fields=["description"])
    return locked


def liability_reduce(*, liability_id: int, amount: Decimal, on: date | None = None) -> bool:
    """LI-1 / PAY-11: reduce the outstanding amount by `amount` with F() updates (no lock
    held across the payment run), never below 0. At 0 the liability becomes settled with
    `settled_on`. Returns True when this call settled it. Each UPDATE re-checks its WHERE
    on the current row, so concurrent reductions cannot overshoot."""
    if not isinstance(amount, Decimal):
        amount = Decimal(str(amount))
    if amount < 0:
        raise ValidationFailed(_("Der Betrag darf nicht negativ sein."), field="amount")
    if amount == 0:
        return False
    on = on or _today()
    open_rows = Liability.objects.filter(pk=liability_id, status=LiabilityStatus.OPEN)
    with transaction.atomic():
        for _attempt in range(10):
            settled = open_rows.filter(outstanding_amount__lte=amount).update(
                outstanding_amount=Decimal("0.00"),
                status=LiabilityStatus.SETTLED,
                settled_on=on,
            )
            if settled:
                return True
            reduced = open_rows.filter(outstanding_amount__gt=amount).update(
                outstanding_amount=F("outstanding_amount") - amount
            )
            if reduced:
                return False
            if not open_rows.exists():
                return False  # already settled (or gone): nothing left to reduce
    raise Conflict(_("Die Verbindlichkeit konnte nicht verringert werden; bitte erneut versuchen."))


__all__ = [
    "case_member_add",
    "case_member_ensure",
    "component_add",
    "component_reassess",
    "integrated_case_close",
    "integrated_case_create",
    "integrated_case_reopen",
    "integrated_case_type_default",
    "integrated_case_type_save",
    "liability_create",
    "liability_reduce",
    "liability_update",
    "nominee_add",
    "product_delivery_case_activate",
    "product_delivery_case_close",
    "product_delivery_case_create",
    "product_delivery_case_resume",
    "product_delivery_case_suspend",
    "product_delivery_case_update",
    "application_approve",
    "application_reject",
    "application_submit",
    "referral_create",
    "service_delivery_create",
]


# --- activities (IC-11) ---------------------------------------------------------------------


def _activity_values(
    integrated_case: IntegratedCase,
    *,
    subject: str,
    activity_type: ActivityType | None,
    planned_at,
    responsible,
    participants: Iterable[Participant],
) -> list[Participant]:
    """Check an activity's fields; returns its participants (members of the case)."""
    errors: dict[str, list[str]] = {}
    if not (subject or "").strip():
        errors["subject"] = [_("Bitte geben Sie einen Betreff an.")]
    if activity_type is None:
        errors["activity_type"] = [_("Bitte wählen Sie die Art der Aktivität.")]
    elif not activity_type.active:
        errors["activity_type"] = [
            _("Die Art „%(name)s“ wird nicht mehr verwendet.") % {"name": activity_type.name}
        ]
    if planned_at is None:
        errors["planned_at"] = [_("Bitte geben Sie Datum und Uhrzeit an.")]
    if responsible is None or not roles.is_caseworker(responsible):
        errors["responsible"] = [
            _("Verantwortlich kann nur ein Fallbearbeiter oder Fall-Supervisor sein.")
        ]
    people = list(dict.fromkeys(participants or []))
    members = set(integrated_case.members.values_list("participant_id", flat=True))
    strangers = [p.name for p in people if p.pk not in members]
    if strangers:
        errors["participants"] = [
            _("Nur Fallbeteiligte können teilnehmen; nicht beteiligt: %(names)s.")
            % {"names": ", ".join(strangers)}
        ]
    if errors:
        raise ValidationFailed(errors=errors)
    return people


@transaction.atomic
def activity_create(
    *,
    integrated_case: IntegratedCase,
    subject: str,
    activity_type: ActivityType | None,
    planned_at,
    responsible,
    user,
    participants: Iterable[Participant] = (),
) -> Activity:
    """IC-11: plan an activity on an open integrated case."""
    case = IntegratedCase.objects.select_for_update().get(pk=integrated_case.pk)
    _require_open_integrated_case(case)
    people = _activity_values(
        case,
        subject=subject,
        activity_type=activity_type,
        planned_at=planned_at,
        responsible=responsible,
        participants=participants,
    )
    activity = Activity(
        integrated_case=case,
        subject=subject.strip(),
        activity_type=activity_type,
        planned_at=planned_at,
        responsible=responsible,
        created_by=user,
    )
    history_stamp(activity, user, _("Geplant"))
    activity.save()
    activity.participants.set(people)
    return activity


def _locked_activity(activity: Activity) -> Activity:
    return (
        Activity.objects.select_for_update().select_related("integrated_case").get(pk=activity.pk)
    )


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    user,
    subject: str,
    activity_type: ActivityType | None,
    planned_at,
    responsible,
    participants: Iterable[Participant] = (),
    outcome: str | None = None,
) -> Activity:
    """IC-11: change a planned activity (a done or cancelled one keeps what happened; only
    its outcome note may still be completed)."""
    locked = _locked_activity(activity)
    if not locked.is_planned:
        if outcome is not None and outcome.strip() and locked.status == ActivityStatus.DONE:
            locked.outcome = outcome.strip()
            history_stamp(locked, user, _("Ergebnis geändert"))
            locked.save(update_fields=["outcome"])
            return locked
        raise IllegalTransition(
            _("Die Aktivität ist %(status)s und kann nicht mehr geändert werden.")
            % {"status": locked.get_status_display()}
        )
    people = _activity_values(
        locked.integrated_case,
        subject=subject,
        activity_type=activity_type,
        planned_at=planned_at,
        responsible=responsible,
        participants=participants,
    )
    locked.subject = subject.strip()
    locked.activity_type = activity_type
    locked.planned_at = planned_at
    locked.responsible = responsible
    if outcome is not None:
        locked.outcome = outcome.strip()
    history_stamp(locked, user, _("Geändert"))
    locked.save()
    locked.participants.set(people)
    return locked


@transaction.atomic
def activity_mark_done(*, activity: Activity, outcome: str, user) -> Activity:
    """IC-11: planned → done, with what came of it."""
    locked = _locked_activity(activity)
    outcome = (outcome or "").strip()
    if locked.is_planned and not outcome:
        raise ValidationFailed(
            _("Bitte halten Sie das Ergebnis der Aktivität fest."), field="outcome"
        )
    _transition(
        locked,
        "mark_done",
        _("Die Aktivität ist %(status)s und kann nicht erledigt werden.")
        % {"status": locked.get_status_display()},
        outcome=outcome,
        at=timezone.now(),
    )
    history_stamp(locked, user, _("Erledigt"))
    locked.save()
    return locked


@transaction.atomic
def activity_cancel(*, activity: Activity, user, note: str = "") -> Activity:
    """IC-11: planned → cancelled, with an optional note why."""
    locked = _locked_activity(activity)
    _transition(
        locked,
        "cancel",
        _("Die Aktivität ist %(status)s und kann nicht abgesagt werden.")
        % {"status": locked.get_status_display()},
        note=(note or "").strip(),
        at=timezone.now(),
    )
    history_stamp(locked, user, _("Abgesagt"))
    locked.save()
    return locked
