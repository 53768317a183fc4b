"""Pieces every deduction service shares: the case-level lock of the priority sequence,
resequencing with history, the outbox event, and the German reasons for refused
transitions (CD-10)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import ProductDeliveryCase
from config.dates import format_date
from config.history import history_bulk, history_stamp
from deductions.models import Deduction, DeductionStatus
from products import sequence
from workflow.services import event_record

# Change reason on the history rows of deductions moved by another one's priority (CD-15).
RESEQUENCED_REASON = "Priorität durch Neusortierung geändert"


def today() -> date:
    return timezone.localdate()


def lock_case(*, case_id: int) -> ProductDeliveryCase:
    """Serialise every change to one case's deductions (CD-9): the advisory lock covers rows
    a concurrent transaction is inserting, the row lock the case's own state."""
    sequence.lock_scope(f"case-deductions:{case_id}")
    return (
        ProductDeliveryCase.objects.select_for_update(of=("self",))
        .select_related("product", "integrated_case", "primary_client")
        .get(pk=case_id)
    )


def lock_deduction(*, deduction_id: int) -> tuple[Deduction, ProductDeliveryCase]:
    """Lock the case first, then the deduction (the same order everywhere avoids deadlocks)."""
    case_id = Deduction.objects.values_list("case_id", flat=True).get(pk=deduction_id)
    case = lock_case(case_id=case_id)
    deduction = (
        Deduction.objects.select_for_update(of=("self",))
        .select_related("deduction_type", "liability")
        .get(pk=deduction_id)
    )
    deduction.case = case
    return deduction, case


def sequence_order(*, case_id: int) -> list[int]:
    """Ids of the case's non-cancelled deductions in priority order (position = priority)."""
    return list(
        Deduction.objects.filter(case_id=case_id)
        .exclude(status=DeductionStatus.CANCELLED)
        .order_by("priority", "id")
        .values_list("pk", flat=True)
    )


def apply_sequence(*, case_id: int, wanted: dict[int, int], user: User) -> None:
    """Write new priorities of existing deductions and keep a history row for each moved one."""
    rows = Deduction.objects.filter(case_id=case_id)
    current = dict(rows.filter(pk__in=list(wanted)).values_list("pk", "priority"))
    moved = [pk for pk, prio in wanted.items() if current.get(pk) != prio]
    if not moved:
        return
    sequence.apply_priorities(rows, {pk: wanted[pk] for pk in moved})
    history_bulk(Deduction.objects.filter(pk__in=moved), user=user, reason=RESEQUENCED_REASON)


def record_event(*, event_type: str, deduction: Deduction, user: User, **extra: object) -> None:
    """One outbox row (WF-1) in the caller's transaction."""
    payload = {
        "deduction": deduction.pk,
        "case": deduction.case_id,
        "deduction_type": deduction.deduction_type.name,
        "category": deduction.category,
        "status": deduction.status,
        "priority": deduction.priority,
    }
    payload.update(extra)
    event_record(
        event_type=event_type,
        payload=payload,
        case_id=deduction.case_id,
        deduction_id=deduction.pk,
        participant_id=deduction.third_party_id or deduction.nominee_id,
        triggered_by_id=getattr(user, "pk", None),
    )


def save_with_history(
    *, deduction: Deduction, user: User, reason: str | None = None, **kwargs: object
) -> None:
    history_stamp(deduction, user=user, reason=reason or "")
    deduction.save(**kwargs)


# --- CD-10: why a transition is refused ----------------------------------------------------

ACTION_LABELS = {
    "activate": gettext_lazy("aktiviert"),
    "deactivate": gettext_lazy("deaktiviert"),
    "cancel": gettext_lazy("abgebrochen"),
    "update": gettext_lazy("geändert"),
}


def refusal_reason(*, deduction: Deduction, action: str) -> str:
    """A German sentence saying why `action` is not possible in the deduction's status."""
    status = DeductionStatus(deduction.status)
    if status == DeductionStatus.CANCELLED:
        return _("Der Abzug ist abgebrochen und kann nicht mehr %(action)s werden.") % {
            "action": ACTION_LABELS[action]
        }
    if action == "cancel" and deduction.processed_total:
        return cancel_processed_reason(deduction=deduction)
    if action == "activate":
        return _("Der Abzug ist bereits aktiv (Status „%(status)s“).") % {"status": status.label}
    if action == "deactivate":
        return _("Der Abzug ist bereits inaktiv.")
    if action == "cancel":
        return _(
            "Ein Abzug mit dem Status „%(status)s“ kann nicht abgebrochen werden. "
            "Deaktivieren Sie ihn zuerst."
        ) % {"status": status.label}
    return _("Diese Aktion ist im Status „%(status)s“ nicht möglich.") % {"status": status.label}


def cancel_processed_reason(*, deduction: Deduction) -> str:
    if deduction.last_processed_on:
        return _(
            "Der Abzug wurde bereits verarbeitet und kann nicht abgebrochen werden. Setzen Sie "
            "stattdessen das Enddatum auf das Datum der letzten Zahlung (%(date)s)."
        ) % {"date": format_date(deduction.last_processed_on)}
    return _(
        "Der Abzug wurde bereits verarbeitet und kann nicht abgebrochen werden. Setzen Sie "
        "stattdessen das Enddatum auf das Datum der letzten Zahlung."
    )
