"""Integrated cases and their types: open (IC-1, IC-10), close and reopen (IC-3)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from config.dates import format_date
from config.exceptions import Conflict, IllegalTransition, ValidationFailed
from config.history import history_stamp
from config.transitions import transition
from participants.models import Participant
from participants.references import save_with_reference
from products.models import Product

from ..errors import CaseError as E
from ..models import (
    Activity,
    ActivityStatus,
    CaseStatus,
    IntegratedCase,
    IntegratedCaseStatus,
    IntegratedCaseType,
    MemberRole,
)
from .common import _check_primary_client, _register_client, _today
from .delivery_cases import product_delivery_case_create
from .members import case_member_ensure

INTEGRATED_CASE_PREFIX = "IF-"


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
                code=E.CASE_TYPE_NO_DEFAULT,
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
                code=E.CASE_TYPE_UNKNOWN,
            )
    if not found.active:
        raise ValidationFailed(
            _("Der Typ „%(name)s“ wird nicht mehr verwendet.") % {"name": found.name},
            field="case_type",
            code=E.CASE_TYPE_RETIRED,
        )
    return found


@transaction.atomic
def integrated_case_type_save(
    *, case_type: IntegratedCaseType, user: User | None = None
) -> IntegratedCaseType:
    """Admin: save a type; making it the default takes the flag from the previous default."""
    case_type.full_clean(validate_constraints=False)
    if case_type.is_default:
        others = IntegratedCaseType.objects.select_for_update().filter(is_default=True)
        for other in others.exclude(pk=case_type.pk):
            other.is_default = False
            history_stamp(other, user=user, reason=_("Standardtyp abgegeben"))
            other.save(update_fields=["is_default"])
    history_stamp(case_type, user=user)
    case_type.save()
    return case_type


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
            code=E.INTEGRATED_CASE_DUPLICATE,
        )


# Long on purpose (~85 lines): a third of it is the twelve keyword arguments and the
# docstring; the body is one run of checks and then the create (with the IC-10 first
# benefit) inside one transaction, which reads best in one place.
@transaction.atomic
def integrated_case_create(
    *,
    user: User,
    primary_client: Participant | None = None,
    new_client: dict | None = None,
    case_type: IntegratedCaseType | str | None = None,
    opened_on: date | None = None,
    product: Product | None = None,
    start_date: date | None = None,
    expected_end_date: date | None = None,
    nominees: Iterable[Participant] = (),
    case_supervisor: User | None = None,
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
            code=E.BENEFIT_FIELDS_WITHOUT_PRODUCT,
        )
    if product is not None and product.has_application_process:
        raise ValidationFailed(
            _(
                "Für das Leistungsprodukt „%(p)s“ gibt es ein Anliegenverfahren: der Fall "
                "entsteht, wenn ein Antrag genehmigt wird. Bitte erfassen Sie einen Antrag."
            )
            % {"p": product.name},
            field="product",
            code=E.PRODUCT_NEEDS_APPLICATION,
        )
    if (primary_client is None) == (not new_client):
        raise ValidationFailed(
            _(
                "Bitte wählen Sie eine registrierte Person oder einen Anwärter, oder "
                "registrieren Sie eine neue Person – nicht beides."
            ),
            field="primary_client",
            code=E.CLIENT_MISSING_OR_AMBIGUOUS,
        )
    resolved_type = _resolve_case_type(case_type)
    opened_on = opened_on or _today()
    if opened_on > _today():
        raise ValidationFailed(
            _("Das Eröffnungsdatum darf nicht in der Zukunft liegen."),
            field="opened_on",
            code=E.OPENED_IN_FUTURE,
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
    history_stamp(case, user=user, reason=_("Angelegt"))
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
    user: User,
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
        raise ValidationFailed(
            _("Bitte geben Sie einen Schließungsgrund an."),
            field="reason",
            code=E.CLOSE_REASON_MISSING,
        )
    closed_on = closed_on or _today()
    _check_can_close(case, closed_on=closed_on)
    choice_text = _settle_planned_activities(case, planned_activities=planned_activities, user=user)
    transition(
        case,
        "close",
        _("Der integrierte Fall kann nicht geschlossen werden."),
        reason=reason,
        on=closed_on,
        code=E.INTEGRATED_CASE_CLOSED,
    )
    change = _("Geschlossen: %(r)s") % {"r": reason}
    if choice_text:
        # The choice first: the history keeps 100 characters of the reason.
        change = f"{choice_text}. {change}"
    history_stamp(case, user=user, reason=change)
    case.save()
    return case


def _check_can_close(case: IntegratedCase, *, closed_on: date) -> None:
    """IC-3: an open case, a closing day between its opening and today, and no product
    delivery case still open."""
    if case.status != IntegratedCaseStatus.OPEN:
        raise IllegalTransition(
            _("Der integrierte Fall %(ref)s ist bereits geschlossen.") % {"ref": case.reference},
            code=E.INTEGRATED_CASE_CLOSED,
        )
    if closed_on < case.opened_on:
        raise ValidationFailed(
            _("Das Schließungsdatum darf nicht vor der Eröffnung (%(d)s) liegen.")
            % {"d": format_date(case.opened_on)},
            field="closed_on",
            code=E.CLOSE_BEFORE_START,
        )
    if closed_on > _today():
        raise ValidationFailed(
            _("Das Schließungsdatum darf nicht in der Zukunft liegen."),
            field="closed_on",
            code=E.CLOSE_IN_FUTURE,
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
            % {"refs": ", ".join(still_open)},
            code=E.OPEN_DELIVERY_CASES,
        )


def _settle_planned_activities(
    case: IntegratedCase, *, planned_activities: str | None, user: User
) -> str:
    """IC-11: cancel or keep the case's planned activities, as the caller chose (a choice
    is required when there are any); returns the choice as history text ("" without)."""
    planned = list(
        Activity.objects.select_for_update()
        .filter(integrated_case=case, status=ActivityStatus.PLANNED)
        .order_by("planned_at", "pk")
    )
    if not planned:
        return ""
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
            code=E.PLANNED_ACTIVITIES_CHOICE,
        )
    if planned_activities == PLANNED_ACTIVITIES_KEEP:
        return _("%(n)s geplante Aktivität(en) beibehalten") % {"n": len(planned)}
    now = timezone.now()
    for activity in planned:
        activity.cancel(note=_("Mit dem Fall geschlossen."), at=now)
        history_stamp(activity, user=user, reason=_("Abgesagt: Fall geschlossen"))
        activity.save()
    return _("%(n)s geplante Aktivität(en) abgesagt") % {"n": len(planned)}


@transaction.atomic
def integrated_case_reopen(
    *, integrated_case: IntegratedCase, user: User, reason: str = ""
) -> IntegratedCase:
    """IC-3: closed → open, keeping id, cases and history; the closure stays in history."""
    case = IntegratedCase.objects.select_for_update().get(pk=integrated_case.pk)
    if case.status != IntegratedCaseStatus.CLOSED:
        raise IllegalTransition(
            _("Der integrierte Fall %(ref)s ist bereits offen.") % {"ref": case.reference},
            code=E.INTEGRATED_CASE_OPEN,
        )
    _check_no_other_open(case.primary_client, case.case_type, exclude_pk=case.pk)
    transition(
        case,
        "reopen",
        _("Der integrierte Fall kann nicht erneut geöffnet werden."),
        code=E.INTEGRATED_CASE_OPEN,
    )
    case.closure_reason = ""
    reason = (reason or "").strip()
    history_stamp(
        case,
        user=user,
        reason=_("Erneut geöffnet: %(r)s") % {"r": reason} if reason else _("Erneut geöffnet"),
    )
    case.save()
    return case
