"""The third party's financial view (TP-2): third-party payments a participant received,
with cancel (reason from the code table) and reissue (TP-3, TP-4). Reachable from the
participant's home page at /participants/<id>/payments/. Thin: services do the writes."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config import roles
from config.access import casework_page
from config.exceptions import ApplicationError
from config.paging import DeferredPaginator
from participants.models import Participant

from .models import Payment, PaymentKind
from .third_party import (
    PaymentCancelReason,
    cancel_reason_label,
    third_party_payment_cancel,
    third_party_payment_reissue,
    third_party_payments_received,
    third_party_totals,
)

PAGE_SIZE = 50
"""Rows per page of the list."""


@require_GET
@casework_page
def third_party_payments(request, participant_id: int):
    participant = get_object_or_404(Participant, pk=participant_id)
    payments = third_party_payments_received(participant_id=participant.pk)
    page = DeferredPaginator(payments, PAGE_SIZE).get_page(request.GET.get("page"))
    reissues = dict(
        Payment.objects.filter(reissue_of__in=[p.pk for p in page.object_list]).values_list(
            "reissue_of_id", "pk"
        )
    )
    rows = [
        {
            "payment": p,
            "reissued_as": reissues.get(p.pk),
            "reason_label": cancel_reason_label(p.cancel_reason) if p.cancel_reason else "",
        }
        for p in page.object_list
    ]
    return render(
        request,
        "payments/third_party_payments.html",
        {
            "participant": participant,
            "page": page,
            "rows": rows,
            "totals": third_party_totals(participant_id=participant.pk),
            "reasons": PaymentCancelReason.choices,
            "may_act": roles.is_caseworker(request.user),
        },
    )


def _third_party_payment(participant_id: int, pk: int) -> Payment:
    return get_object_or_404(Payment, pk=pk, payee_id=participant_id, kind=PaymentKind.THIRD_PARTY)


@require_POST
@casework_page
def third_party_payment_cancel_view(request, participant_id: int, pk: int):
    payment = _third_party_payment(participant_id, pk)
    try:
        third_party_payment_cancel(
            payment=payment, reason=request.POST.get("reason", ""), user=request.user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Die Zahlung Nr. %(id)s wurde abgebrochen.") % {"id": pk})
    return redirect("payments:third-party-payments", participant_id=participant_id)


@require_POST
@casework_page
def third_party_payment_reissue_view(request, participant_id: int, pk: int):
    payment = _third_party_payment(participant_id, pk)
    try:
        reissue = third_party_payment_reissue(payment=payment, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Die Zahlung Nr. %(id)s wurde als Nr. %(new)s neu erstellt.")
            % {"id": pk, "new": reissue.pk},
        )
    return redirect("payments:third-party-payments", participant_id=participant_id)
