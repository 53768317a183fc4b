"""Status changes of a deduction (CD-10, CD-11): activate, deactivate, cancel.

Each service locks the case and the deduction, asks django-fsm whether the transition is
possible, writes the change, its history row and one outbox event (WF-1) in one
transaction. A refused change raises IllegalTransition (HTTP 409) with a German reason and
writes nothing. Processing (processed / skipped) belongs to payment runs."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cases.models import CaseStatus, IntegratedCaseStatus, ProductDeliveryCase
from config.dates import format_date
from config.exceptions import IllegalTransition
from config.transitions import transition
from deductions.models import Deduction
from products import sequence
from workflow.models import EventType

from . import common


def deduction_activation_refusal(
    *, deduction: Deduction, case: ProductDeliveryCase | None = None
) -> str | None:
    """CD-11: why the deduction cannot become part of payment generation now, or None.

    Only the case and the client's entitlement are judged here, not the deduction's own
    status (django-fsm decides that)."""
    case = case or deduction.case
    if case.status == CaseStatus.CLOSED:
        return _(
            "Der Produktbereitstellungsfall ist geschlossen; der Klient hat keinen "
            "Leistungsanspruch mehr."
        )
    if case.status == CaseStatus.SUSPENDED:
        return _(
            "Der Produktbereitstellungsfall ist ausgesetzt; Abzüge können erst nach der "
            "Wiederaufnahme aktiviert werden."
        )
    if case.status != CaseStatus.ACTIVE:
        return _("Der Produktbereitstellungsfall ist nicht aktiv. Aktivieren Sie zuerst den Fall.")
    if case.integrated_case.status == IntegratedCaseStatus.CLOSED:
        return _("Der integrierte Fall ist geschlossen; der Klient hat keinen Leistungsanspruch.")
    if case.primary_client.is_ended:
        return _("Der Hauptbeteiligte ist verstorben; der Leistungsanspruch ist beendet.")
    if case.expected_end_date is not None and deduction.start_date > case.expected_end_date:
        return _(
            "Das Startdatum des Abzugs liegt nach dem voraussichtlichen Fall-Enddatum "
            "(%(date)s); zu diesem Zeitpunkt besteht kein Leistungsanspruch mehr."
        ) % {"date": format_date(case.expected_end_date)}
    return None


def activate_locked(*, deduction: Deduction, case: ProductDeliveryCase, user: User) -> Deduction:
    """Activation inside a transaction that already holds the case lock."""
    if not can_proceed(deduction.activate):
        raise IllegalTransition(common.refusal_reason(deduction=deduction, action="activate"))
    reason = deduction_activation_refusal(deduction=deduction, case=case)
    if reason:
        raise IllegalTransition(
            _("Der Abzug kann nicht aktiviert werden: %(reason)s") % {"reason": reason}
        )
    transition(
        deduction,
        "activate",
        lambda: common.refusal_reason(deduction=deduction, action="activate"),
        on=common.today(),
    )
    common.save_with_history(deduction=deduction, user=user)
    common.record_event(
        event_type=EventType.DEDUCTION_ACTIVATED,
        deduction=deduction,
        user=user,
        start_date=deduction.start_date.isoformat(),
    )
    return deduction


@transaction.atomic
def deduction_activate(*, deduction: Deduction, user: User) -> Deduction:
    """Inactive → active, when the case is active and the client still entitled (CD-11)."""
    deduction, case = common.lock_deduction(deduction_id=deduction.pk)
    return activate_locked(deduction=deduction, case=case, user=user)


@transaction.atomic
def deduction_deactivate(*, deduction: Deduction, user: User) -> Deduction:
    """Active / processed / skipped → inactive (CD-10); it keeps its priority."""
    deduction, _case = common.lock_deduction(deduction_id=deduction.pk)
    if not can_proceed(deduction.deactivate):
        raise IllegalTransition(common.refusal_reason(deduction=deduction, action="deactivate"))
    previous = deduction.status
    transition(
        deduction,
        "deactivate",
        lambda: common.refusal_reason(deduction=deduction, action="deactivate"),
    )
    common.save_with_history(deduction=deduction, user=user)
    common.record_event(
        event_type=EventType.DEDUCTION_DEACTIVATED,
        deduction=deduction,
        user=user,
        previous_status=previous,
    )
    return deduction


@transaction.atomic
def deduction_cancel(*, deduction: Deduction, user: User, reason: str = "") -> Deduction:
    """Inactive / active → cancelled, only if never processed (CD-10). The case's other
    deductions close the gap in the priority sequence (CD-9)."""
    deduction, case = common.lock_deduction(deduction_id=deduction.pk)
    if deduction.processed_total:
        raise IllegalTransition(common.cancel_processed_reason(deduction=deduction))
    if not can_proceed(deduction.cancel):
        raise IllegalTransition(common.refusal_reason(deduction=deduction, action="cancel"))
    previous = deduction.status
    transition(
        deduction,
        "cancel",
        lambda: common.refusal_reason(deduction=deduction, action="cancel"),
    )
    common.save_with_history(deduction=deduction, user=user, reason=reason or None)
    order = common.sequence_order(case_id=case.pk)
    common.apply_sequence(case_id=case.pk, wanted=sequence.priorities(order), user=user)
    common.record_event(
        event_type=EventType.DEDUCTION_CANCELLED,
        deduction=deduction,
        user=user,
        previous_status=previous,
        reason=reason,
    )
    return deduction
