"""Reads of case deductions: lists and the filtered case views (CD-14), a person's
deductions, the detail, and the merged history (CD-15)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from cases.models import Liability, ProductDeliveryCase
from config.history_display import display_value, model_field
from config.skip_reasons import SKIP_REASON_SENTENCES, skip_reason_text
from participants.models import Participant
from participants.services import account_number_normalise
from products.models import DeductionCategory

from . import hooks
from .models import IN_FORCE_STATUSES, Deduction, DeductionStatus

# --- lists ---------------------------------------------------------------------------------


def deduction_queryset() -> QuerySet[Deduction]:
    """Deductions with everything a list or the API shows, in one query."""
    return Deduction.objects.select_related(
        "case",
        "case__primary_client",
        "deduction_type",
        "nominee",
        "component",
        "component__component_type",
        "liability",
        "liability__participant",
        "third_party",
        "created_by",
    )


def priority_order(*, case: ProductDeliveryCase) -> list[Deduction]:
    """CD-9: the case's live deductions (not cancelled) in processing order, for the wizard
    to show where a new one lands."""
    return list(
        Deduction.objects.filter(case=case)
        .exclude(status=DeductionStatus.CANCELLED)
        .select_related("deduction_type")
        .order_by("priority", "id")
    )


def deduction_list(
    *,
    case: ProductDeliveryCase | int | None = None,
    category: str | None = None,
    status: str | None = None,
    primary_client: Participant | int | None = None,
) -> QuerySet[Deduction]:
    qs = deduction_queryset()
    if case is not None:
        qs = qs.filter(case=case)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if primary_client is not None:
        qs = qs.filter(case__primary_client=primary_client)
    return qs.order_by("case_id", "priority", "id")


# CD-14 (b): the filtered case views. Each shows the deductions of its kind that are or
# were once active; a deduction never activated (a draft) appears only in the full list,
# except that a cancelled draft is still listed among the cancelled ones.
CASE_VIEWS = {
    "all": _("Alle Abzüge"),
    "active": _("Aktive und abgebrochene"),
    "applied": _("Ausgeführte und nicht ausgeführte"),
    "third_party": _("Dritte"),
}

_ONCE_ACTIVE = Q(status__in=list(IN_FORCE_STATUSES)) | Q(activated_on__isnull=False)


def case_deductions(*, case: ProductDeliveryCase | int, view: str = "all") -> QuerySet[Deduction]:
    """The case's deduction list (CD-14 a) or one of its filtered views (CD-14 b)."""
    qs = deduction_queryset().filter(case=case)
    if view == "active":
        qs = qs.filter(_ONCE_ACTIVE | Q(status=DeductionStatus.CANCELLED))
    elif view == "applied":
        qs = qs.filter(
            _ONCE_ACTIVE,
            category__in=[DeductionCategory.APPLIED, DeductionCategory.UNAPPLIED],
        )
    elif view == "third_party":
        qs = qs.filter(_ONCE_ACTIVE, category=DeductionCategory.THIRD_PARTY)
    elif view != "all":
        raise ValueError(f"unknown view {view!r}")
    # Cancelled ones after the live sequence, each group by priority.
    return qs.annotate(
        is_cancelled=Case(
            When(status=DeductionStatus.CANCELLED, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("is_cancelled", "priority", "id")


def person_deductions(*, participant: Participant | int) -> QuerySet[Deduction]:
    """CD-14 (c): every deduction on every case whose primary client is the person."""
    return (
        deduction_queryset()
        .filter(case__primary_client=participant)
        .order_by("case_id", "priority", "id")
    )


def third_party_deductions_current(*, participant: Participant, on: datetime.date) -> QuerySet:
    """Third-party deductions paid to `participant` that are current on `on`: not
    cancelled and ending on or after that day (PT-3, TP-1; for participants)."""
    return (
        Deduction.objects.filter(third_party=participant, end_date__gte=on)
        .exclude(status=DeductionStatus.CANCELLED)
        .select_related("case", "case__primary_client", "deduction_type")
        .order_by("case_id", "priority", "id")
    )


def liability_deductions(*, liability) -> QuerySet[Deduction]:
    """The deductions paying off `liability` that are not cancelled (LI-1; for cases)."""
    return (
        Deduction.objects.filter(liability=liability)
        .select_related("case", "deduction_type")
        .exclude(status=DeductionStatus.CANCELLED)
        .order_by("case_id", "priority")
    )


def deduction_type_use_count(*, deduction_type) -> int:
    """How many case deductions use the type (products: it can then not be deleted)."""
    return Deduction.objects.filter(deduction_type=deduction_type).count()


def deduction_detail(*, pk: int) -> Deduction:
    return deduction_queryset().get(pk=pk)


def third_party_account_name(*, deduction: Deduction) -> str:
    """The name of the deduction's own third-party account (CD-4): the payee's bank
    account whose number is the deduction's account number (compared normalised), not
    the payee's first account. Without such an account, the payee's name (the holder);
    "" for a deduction without a third party."""
    payee = deduction.third_party
    if payee is None:
        return ""
    number = account_number_normalise(deduction.third_party_account_number)
    for account in payee.bank_accounts.all():
        if number and account_number_normalise(account.account_number) == number:
            return account.account_name
    return payee.name


# --- history (CD-15) -----------------------------------------------------------------------

# What the simple-history rows of a deduction are called in the history.
EVENT_LABELS = {
    "created": _("Angelegt"),
    "activated": _("Aktiviert"),
    "deactivated": _("Deaktiviert"),
    "modified": _("Geändert"),
    "cancelled": _("Abgebrochen"),
    "processed": _("Verarbeitet"),
    "skipped": _("Übersprungen"),
}

# Fields whose change alone is bookkeeping of payment runs or the expiry event, not an edit.
_BOOKKEEPING = {"processed_total", "last_processed_on", "updated_at", "expired_notified_on"}

_STATUS_EVENTS = {
    DeductionStatus.ACTIVE: "activated",
    DeductionStatus.INACTIVE: "deactivated",
    DeductionStatus.CANCELLED: "cancelled",
    DeductionStatus.PROCESSED: "processed",
    DeductionStatus.SKIPPED: "skipped",
}


@dataclass(frozen=True)
class HistoryEntry:
    date: datetime.datetime
    user: str | None
    user_name: str | None
    event: str
    status: str
    amount: Decimal | None
    percentage: Decimal | None = None
    priority: int | None = None
    reason: str | None = None
    payment: int | None = None
    payment_label: str | None = None
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    liability_outstanding: Decimal | None = None
    liability_original: Decimal | None = None
    changes: dict = field(default_factory=dict)
    # The same changes as the page writes them: (label, old, new) in the active language,
    # related rows by name and choices by label, never an id or a raw code.
    changes_display: tuple = ()
    needed_amount: Decimal | None = None
    limit_amount: Decimal | None = None

    @property
    def event_display(self) -> str:
        return str(EVENT_LABELS.get(self.event, self.event))

    @property
    def status_display(self) -> str:
        return str(DeductionStatus(self.status).label)

    @property
    def reason_display(self) -> str | None:
        """The skip reason's sentence, with the amounts its check compared where the
        processing row kept them (PAY-9); a code nobody knows reads as itself."""
        if self.reason is None:
            return None
        if self.reason not in SKIP_REASON_SENTENCES:
            return self.reason
        return skip_reason_text(self.reason, needed=self.needed_amount, limit=self.limit_amount)


def _changed_fields(record, previous) -> dict[str, tuple]:
    if previous is None:
        return {}
    delta = record.diff_against(previous)
    return {c.field: (c.old, c.new) for c in delta.changes}


def _field_label(name: str) -> str:
    try:
        return str(Deduction._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field removed since the row was written
        return name


def _liability_at(liability_id: int | None, when: datetime.datetime):
    """(outstanding, original) of the liability as it stood at `when`."""
    if liability_id is None:
        return None, None
    row = (
        Liability.history.filter(id=liability_id, history_date__lte=when)
        .order_by("-history_date", "-history_id")
        .values("outstanding_amount", "original_amount")
        .first()
    )
    if row is None:
        row = (
            Liability.objects.filter(pk=liability_id)
            .values("outstanding_amount", "original_amount")
            .first()
        )
    if row is None:
        return None, None
    return row["outstanding_amount"], row["original_amount"]


def _changes_display(changed: dict, cache: dict) -> tuple:
    opts = Deduction._meta
    return tuple(
        (
            _field_label(name),
            display_value(model_field(opts, name), old, cache),
            display_value(model_field(opts, name), new, cache),
        )
        for name, (old, new) in changed.items()
    )


def _user_names(user) -> tuple[str | None, str | None]:
    if user is None:
        return None, None
    return user.get_username(), (user.get_full_name() or user.get_username())


def _simple_history_entries(deduction: Deduction, processings: list) -> list[HistoryEntry]:
    records = list(
        deduction.history.select_related("history_user").order_by("history_date", "history_id")
    )
    # Payment runs move the status with bulk updates (no simple-history row), so the next
    # saved row carries that status change together with its own edits.
    liability_processed = (
        hooks.liability_processing_times(liability_id=deduction.liability_id)
        if deduction.liability_id
        else []
    )
    # A processing row's status is "processed" or "skipped", the words of DeductionStatus.
    represented = {DeductionStatus.PROCESSED, DeductionStatus.SKIPPED}

    def told_by_processing(status: str, when: datetime.datetime) -> bool:
        return status in represented and any(
            row.status == status and row.created_at <= when for row in processings
        )

    entries = []
    names: dict = {}  # related rows named once per page
    previous = None
    for record in records:
        changed = _changed_fields(record, previous)
        if record.history_type == "-":
            previous = record
            continue
        meaningful = {k: v for k, v in changed.items() if k not in _BOOKKEEPING and k != "status"}
        if record.history_type == "+":
            event = "created"
        elif "status" in changed and not told_by_processing(record.status, record.history_date):
            event = _STATUS_EVENTS[DeductionStatus(record.status)]
        elif meaningful:
            # The status change (if any) is told by a processing row; the other changes of
            # this row are real edits and are never dropped.
            event = "modified"
        else:
            # Only processing or bookkeeping (the expiry marker, for example).
            previous = record
            continue
        previous = record
        # CD-15: the liability's history is not written by payment runs (bulk updates), so
        # once a run has processed the liability its outstanding amount is told only by the
        # processing rows; before that the liability's history is exact. The original
        # amount does not change through runs.
        outstanding, original = _liability_at(record.liability_id, record.history_date)
        if any(created <= record.history_date for created in liability_processed):
            outstanding = None
        username, name = _user_names(record.history_user)
        entries.append(
            HistoryEntry(
                date=record.history_date,
                user=username,
                user_name=name,
                event=event,
                status=record.status,
                amount=record.amount,
                percentage=record.percentage,
                priority=record.priority,
                reason=record.history_change_reason or None,
                liability_outstanding=outstanding,
                liability_original=original,
                changes={_field_label(k): (v[0], v[1]) for k, v in meaningful.items()},
                changes_display=_changes_display(meaningful, names),
            )
        )
    return entries


def _processing_entries(processings: list) -> list[HistoryEntry]:
    entries = []
    for row in processings:
        processed = row.status == DeductionStatus.PROCESSED
        entries.append(
            HistoryEntry(
                date=row.created_at,
                user=None,
                # Written by a payment run, not by a person: the run is who acted.
                user_name=getattr(row, "acted_by", None),
                event="processed" if processed else "skipped",
                status=DeductionStatus.PROCESSED if processed else DeductionStatus.SKIPPED,
                amount=row.amount,
                reason=row.reason or None,
                payment=row.payment_id,
                payment_label=getattr(row, "payment_label", None),
                period_start=row.period_start,
                period_end=row.period_end,
                liability_outstanding=row.liability_outstanding_after,
                liability_original=row.liability_original,
                needed_amount=getattr(row, "needed_amount", None),
                limit_amount=getattr(row, "limit_amount", None),
            )
        )
    return entries


def deduction_history(*, deduction: Deduction) -> list[HistoryEntry]:
    """CD-15: the deduction's own history (creation, activation, deactivation, edits,
    cancellation) merged with its processing history (processed and skipped lines of payment
    runs), oldest first."""
    processings = hooks.deduction_processings(deduction=deduction)
    entries = _simple_history_entries(deduction, processings) + _processing_entries(processings)
    return sorted(entries, key=lambda e: e.date)
