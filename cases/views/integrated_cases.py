"""Pages of integrated cases (IC-1, IC-3..5): list, open, detail, close, reopen, members,
service deliveries and referrals."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.access import casework_read_required, casework_required
from config.exceptions import ApplicationError
from config.forms import add_service_errors
from config.paging import EstimatedCountPaginator
from participants.models import Participant

from .. import selectors, services
from ..forms import (
    CloseForm,
    IntegratedCaseCreateForm,
    IntegratedCaseFilterForm,
    MemberAddForm,
    ReferralForm,
    ReopenForm,
    ServiceDeliveryForm,
)
from ..models import IntegratedCase

PAGE_SIZE = 25
"""Rows per page of the list."""


@casework_read_required
def integrated_case_list(request):
    form = IntegratedCaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.integrated_case_list(
        query=filters.get("q") or "",
        status=filters.get("status") or None,
        case_type=filters["case_type"].code if filters.get("case_type") else None,
    )
    page = EstimatedCountPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/integrated_case_list.html",
        {"form": form, "page": page, "querystring": query.urlencode()},
    )


@casework_required
@require_http_methods(["GET", "POST"])
def integrated_case_create(request):
    initial = {}
    preset = request.GET.get("participant")
    if preset and preset.isdigit():
        client = Participant.objects.filter(pk=int(preset)).first()
        if client:
            initial = {"mode": "existing", "participant_reference": client.reference}
    form = IntegratedCaseCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.integrated_case_create(
                user=request.user,
                primary_client=data["participant"],
                new_client=data["new_person"],
                case_type=data.get("case_type"),
                product=data.get("product"),
                start_date=data.get("start_date"),
                expected_end_date=data.get("expected_end_date"),
                nominees=data.get("nominee_references") or [],
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Der integrierte Fall %(ref)s für %(name)s ist angelegt.")
                % {"ref": case.reference, "name": case.primary_client.name},
            )
            first = case.product_delivery_cases.first()
            if first is not None:
                messages.success(
                    request,
                    _("Der Produktbereitstellungsfall %(ref)s (%(product)s) ist angelegt.")
                    % {"ref": first.reference, "product": first.product.name},
                )
            return redirect("cases:integrated-case-detail", pk=case.pk)
    return render(request, "cases/integrated_case_form.html", {"form": form})


def _integrated_case_page(request, case_id: int, status: int = 200, **forms):
    case = selectors.integrated_case_get(case_id=case_id)
    activities = list(selectors.activities_for_case(case=case))
    context = {
        "case": case,
        "history": selectors.integrated_case_history(case=case),
        "close_form": forms.get("close_form") or CloseForm(),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "member_form": forms.get("member_form") or MemberAddForm(),
        "delivery_form": forms.get("delivery_form") or ServiceDeliveryForm(),
        "referral_form": forms.get("referral_form") or ReferralForm(),
        "open_section": forms.get("open_section"),
        "activities": activities,
        "has_planned_activities": any(a.is_planned for a in activities),
    }
    return render(request, "cases/integrated_case_detail.html", context, status=status)


@casework_read_required
def integrated_case_detail(request, pk: int):
    get_object_or_404(IntegratedCase, pk=pk)
    return _integrated_case_page(request, pk)


def _case_action(request, pk, form_class, form_name, call, success):
    """POST helper: parse `form_class`, call the service, redirect or show errors."""
    case = get_object_or_404(IntegratedCase, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(case, form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("cases:integrated-case-detail", pk=pk)
    return _integrated_case_page(
        request, pk, status=400, open_section=form_name, **{form_name: form}
    )


@casework_required
@require_POST
def integrated_case_close(request, pk: int):
    return _case_action(
        request,
        pk,
        CloseForm,
        "close_form",
        lambda case, data: services.integrated_case_close(
            integrated_case=case,
            reason=data["reason"],
            closed_on=data["closed_on"],
            planned_activities=data.get("planned_activities") or None,
            user=request.user,
        ),
        _("Der integrierte Fall ist geschlossen."),
    )


@casework_required
@require_POST
def integrated_case_reopen(request, pk: int):
    return _case_action(
        request,
        pk,
        ReopenForm,
        "reopen_form",
        lambda case, data: services.integrated_case_reopen(
            integrated_case=case, reason=data["reason"], user=request.user
        ),
        _("Der integrierte Fall ist wieder offen."),
    )


@casework_required
@require_POST
def member_add(request, pk: int):
    return _case_action(
        request,
        pk,
        MemberAddForm,
        "member_form",
        lambda case, data: services.case_member_add(
            integrated_case=case,
            participant=data["participant"],
            new_person=data["new_person"],
            user=request.user,
        ),
        _("Das Haushaltsmitglied ist hinzugefügt."),
    )


@casework_required
@require_POST
def service_delivery_add(request, pk: int):
    return _case_action(
        request,
        pk,
        ServiceDeliveryForm,
        "delivery_form",
        lambda case, data: services.service_delivery_create(
            integrated_case=case,
            service=data["service"],
            provider=data["provider_reference"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            notes=data["notes"],
            user=request.user,
        ),
        _("Die Servicebereitstellung ist erfasst."),
    )


@casework_required
@require_POST
def referral_add(request, pk: int):
    return _case_action(
        request,
        pk,
        ReferralForm,
        "referral_form",
        lambda case, data: services.referral_create(
            integrated_case=case,
            service=data["service"],
            provider=data["provider_reference"],
            referral_date=data["referral_date"],
            reason=data["reason"],
            user=request.user,
        ),
        _("Die Überweisung an einen Service ist erfasst."),
    )
