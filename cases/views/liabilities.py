"""Pages of liabilities (LI-1)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config import providers
from config.access import casework_read_required, casework_required
from config.exceptions import ApplicationError
from config.forms import add_service_errors
from config.ids import parse_id
from participants.models import Participant

from .. import selectors, services
from ..forms import LiabilityForm
from ..models import Liability


@casework_required
@require_http_methods(["GET", "POST"])
def liability_create(request):
    initial = {}
    preset_id = parse_id(request.GET.get("participant"))
    participant = Participant.objects.filter(pk=preset_id).first() if preset_id else None
    if participant:
        initial["participant_reference"] = participant.reference
    form = LiabilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            liability = services.liability_create(
                participant=data["participant_reference"],
                original_amount=data["original_amount"],
                liability_case_id=data["liability_case_id"],
                description=data["description"],
                user=request.user,
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Die Verbindlichkeit %(id)s ist angelegt.") % {"id": liability.liability_case_id},
            )
            return redirect("participants:detail", pk=liability.participant_id)
    return render(request, "cases/liability_form.html", {"form": form, "participant": participant})


@casework_read_required
def liability_detail(request, pk: int):
    """LI-1, LI-3: a liability, the deductions that pay it and its payoff forecast with the
    plan of payments until then."""
    liability = get_object_or_404(Liability.objects.select_related("participant"), pk=pk)
    deductions = selectors.liability_deductions(liability=liability)
    forecast = providers.liability_forecasts([liability.pk]).get(liability.pk)
    return render(
        request,
        "cases/liability_detail.html",
        {"liability": liability, "deductions": deductions, "forecast": forecast},
    )
