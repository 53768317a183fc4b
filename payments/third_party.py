"""Maintenance of third-party payments (TP-2..TP-4): cancel with a reason from a code
table, reissue a cancelled payment exactly as in the original transaction.

The chain stays visible: the original keeps its row (status cancelled, then reissued),
the reissue is a new row pointing at it through `reissue_of` (one-to-one, so the database
itself refuses a second reissue). Payments are ledger rows: nothing else is changed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, models, transaction
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.exceptions import IllegalTransition, ValidationFailed
from config.transitions import transition

from .models import Payment, PaymentKind, PaymentStatus


class PaymentCancelReason(models.TextChoices):
    """Code table of cancellation reasons (TP-3)."""

    ISSUED_IN_ERROR = "issued_in_error", gettext_lazy("Irrtümlich ausgegeben")
    WRONG_PAYEE = "wrong_payee", gettext_lazy("Falscher Zahlungsempfänger")
    WRONG_ACCOUNT = "wrong_account", gettext_lazy("Falsche Bankverbindung")
    DUPLICATE = "duplicate", gettext_lazy("Doppelte Zahlung")
    RETURNED = "returned", gettext_lazy("Zahlung zurückgekommen")
    OTHER = "other", gettext_lazy("Sonstiger Grund")


def cancel_reason_label(code: str) -> str:
    """The label of a stored reason code (older free-text reasons are shown as they are)."""
    try:
        return str(PaymentCancelReason(code).label)
    except ValueError:
        return code


# --- services -------------------------------------------------------------------------------


def _locked(payment: Payment) -> Payment:
    return Payment.objects.select_for_update().get(pk=payment.pk)


def third_party_payment_cancel(*, payment: Payment, reason: str, user: User) -> Payment:
    """TP-3: cancel an issued third-party payment with a reason code. A payment is
    cancelled once (TP-4); benefit payments are not cancelled here."""
    if reason not in PaymentCancelReason.values:
        raise ValidationFailed(
            _("Bitte einen Grund aus der Liste wählen: %(reasons)s.")
            % {"reasons": ", ".join(str(label) for label in PaymentCancelReason.labels)},
            field="reason",
        )
    with transaction.atomic():
        locked = _locked(payment)
        if locked.kind != PaymentKind.THIRD_PARTY:
            raise IllegalTransition(_("Nur Zahlungen an Dritte können abgebrochen werden."))
        if locked.status == PaymentStatus.CANCELLED:
            raise IllegalTransition(_("Die Zahlung ist bereits abgebrochen."))
        if locked.status == PaymentStatus.REISSUED:
            raise IllegalTransition(_("Die Zahlung wurde bereits abgebrochen und neu erstellt."))
        transition(
            locked,
            "cancel",
            _("Die Zahlung kann nicht abgebrochen werden."),
            reason=reason,
            by=user,
            at=timezone.now(),
        )
        locked.save(update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at"])
    return locked


def third_party_payment_reissue(*, payment: Payment, user: User) -> Payment:
    """TP-3, TP-4: issue a cancelled third-party payment again, as in the original
    transaction (same case, nominee, payee, deduction, account, reference, amounts and
    period), linked to it; the original becomes "reissued". Returns the new payment."""
    with transaction.atomic():
        locked = _locked(payment)
        if locked.kind != PaymentKind.THIRD_PARTY:
            raise IllegalTransition(_("Nur Zahlungen an Dritte können neu erstellt werden."))
        if (
            locked.status == PaymentStatus.REISSUED
            or Payment.objects.filter(reissue_of=locked).exists()
        ):
            raise IllegalTransition(_("Die Zahlung wurde bereits neu erstellt."))
        if locked.status != PaymentStatus.CANCELLED:
            raise IllegalTransition(_("Nur abgebrochene Zahlungen können neu erstellt werden."))
        transition(
            locked, "mark_reissued", _("Nur abgebrochene Zahlungen können neu erstellt werden.")
        )
        locked.save(update_fields=["status"])
        details = dict(locked.details or {})
        details["reissue"] = {"of": locked.pk, "by": getattr(user, "pk", None)}
        try:
            with transaction.atomic():
                reissue = Payment.objects.create(
                    case_id=locked.case_id,
                    nominee_id=locked.nominee_id,
                    payee_id=locked.payee_id,
                    kind=locked.kind,
                    period_start=locked.period_start,
                    period_end=locked.period_end,
                    # Issued again today for the same period.
                    effective_date=max(locked.effective_date, timezone.localdate()),
                    gross=locked.gross,
                    tax=locked.tax,
                    net=locked.net,
                    details=details,
                    deduction_id=locked.deduction_id,
                    account_number=locked.account_number,
                    reference=locked.reference,
                    reissue_of=locked,
                )
        except IntegrityError:
            # The one-to-one link: someone reissued it in the meantime.
            raise IllegalTransition(_("Die Zahlung wurde bereits neu erstellt."))
    return reissue


# --- selectors ------------------------------------------------------------------------------


def third_party_payments_received(*, participant_id: int) -> QuerySet[Payment]:
    """TP-2: the third-party payments a participant received, newest first, with the
    chain (reissue_of / reissue) at hand."""
    return (
        Payment.objects.filter(payee_id=participant_id, kind=PaymentKind.THIRD_PARTY)
        .select_related(
            "case", "nominee", "deduction__deduction_type", "reissue_of", "cancelled_by"
        )
        .order_by("-effective_date", "-id")
    )


@dataclass(frozen=True)
class ThirdPartyTotals:
    issued: Decimal
    cancelled: Decimal
    count: int


def third_party_totals(*, participant_id: int) -> ThirdPartyTotals:
    """Money actually paid (issued, including reissues) and cancelled, for the summary."""
    grouped = (
        Payment.objects.filter(payee_id=participant_id, kind=PaymentKind.THIRD_PARTY)
        .order_by()
        .values("status")
        .annotate(total=Sum("net"), n=Count("id"))
    )
    rows = {row["status"]: row["total"] for row in grouped}
    count = sum(row["n"] for row in grouped)
    zero = Decimal("0.00")
    return ThirdPartyTotals(
        issued=rows.get(PaymentStatus.ISSUED) or zero,
        cancelled=(rows.get(PaymentStatus.CANCELLED) or zero)
        + (rows.get(PaymentStatus.REISSUED) or zero),
        count=count,
    )
