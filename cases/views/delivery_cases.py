"""Pages of product delivery cases (IC-6..9): create, detail, components, nominees,
changes, reassessment, activate, suspend, resume, close."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from config.access import casework_read_required, casework_required
from config.exceptions import ApplicationError
from config.forms import add_service_errors

from .. import selectors, services
from ..forms import (
    CloseForm,
    ComponentForm,
    NomineeAddForm,
    PdcUpdateForm,
    ProductDeliveryCaseCreateForm,
    ReassessForm,
)
from ..models import CaseComponent, IntegratedCase, ProductDeliveryCase


@casework_required
@require_http_methods(["GET", "POST"])
def pdc_create(request, pk: int):
    integrated_case = get_object_or_404(
        IntegratedCase.objects.select_related("primary_client"), pk=pk
    )
    form = ProductDeliveryCaseCreateForm(
        request.POST or None, integrated_case=integrated_case, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.product_delivery_case_create(
                integrated_case=integrated_case,
                product=data["product"],
                start_date=data["start_date"],
                expected_end_date=data["expected_end_date"],
                case_supervisor=data["case_supervisor"],
                nominees=list(data["nominees"]),
                override_max_deduction_rate=data.get("override_max_deduction_rate", False),
                user=request.user,
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Der Produktbereitstellungsfall %(ref)s ist angelegt.") % {"ref": case.reference},
            )
            return redirect("cases:pdc-detail", pk=case.pk)
    return render(
        request, "cases/pdc_form.html", {"form": form, "integrated_case": integrated_case}
    )


def _pdc_page(request, case_id: int, status: int = 200, **forms):
    case = selectors.product_delivery_case_get(case_id=case_id)
    context = {
        "case": case,
        "nominees": selectors.nominees_ordered(case=case),
        "component_form": forms.get("component_form") or ComponentForm(case=case),
        "nominee_form": forms.get("nominee_form") or NomineeAddForm(),
        "edit_form": forms.get("edit_form")
        or PdcUpdateForm(
            user=request.user,
            initial={
                "expected_end_date": case.expected_end_date,
                "case_supervisor": case.case_supervisor_id,
                "override_max_deduction_rate": case.override_max_deduction_rate,
            },
        ),
        "close_form": forms.get("close_form") or CloseForm(prefix="close"),
        "reassess_forms": {
            c.pk: (
                forms["reassess_form"]
                if forms.get("reassess_component") == c.pk
                else ReassessForm(prefix=f"reassess-{c.pk}")
            )
            for c in case.components.all()
        },
        "open_section": forms.get("open_section"),
        "errors": forms.get("errors"),
    }
    return render(request, "cases/pdc_detail.html", context, status=status)


@casework_read_required
def pdc_detail(request, pk: int):
    get_object_or_404(ProductDeliveryCase, pk=pk)
    return _pdc_page(request, pk)


def _pdc_form_action(request, pk, form, form_name, call, success):
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("cases:pdc-detail", pk=pk)
    return _pdc_page(request, pk, status=400, open_section=form_name, **{form_name: form})


@casework_required
@require_POST
def pdc_component_add(request, pk: int):
    case = get_object_or_404(ProductDeliveryCase.objects.select_related("product"), pk=pk)
    form = ComponentForm(request.POST, case=case)
    return _pdc_form_action(
        request,
        pk,
        form,
        "component_form",
        lambda data: services.component_add(case=case, user=request.user, **data),
        _("Die Komponente ist hinzugefügt."),
    )


@casework_required
@require_POST
def pdc_nominee_add(request, pk: int):
    case = get_object_or_404(ProductDeliveryCase, pk=pk)
    form = NomineeAddForm(request.POST)
    return _pdc_form_action(
        request,
        pk,
        form,
        "nominee_form",
        lambda data: services.nominee_add(
            case=case, participant=data["participant_reference"], user=request.user
        ),
        _("Der Leistungsempfänger ist hinzugefügt."),
    )


@casework_required
@require_POST
def pdc_update(request, pk: int):
    case = get_object_or_404(ProductDeliveryCase, pk=pk)
    form = PdcUpdateForm(request.POST, user=request.user)
    return _pdc_form_action(
        request,
        pk,
        form,
        "edit_form",
        lambda data: services.product_delivery_case_update(
            case=case, data=dict(data), user=request.user
        ),
        _("Die Änderungen sind gespeichert."),
    )


@casework_required
@require_POST
def pdc_close(request, pk: int):
    case = get_object_or_404(ProductDeliveryCase, pk=pk)
    form = CloseForm(request.POST, prefix="close")
    return _pdc_form_action(
        request,
        pk,
        form,
        "close_form",
        lambda data: services.product_delivery_case_close(
            case=case, closed_on=data["closed_on"], reason=data["reason"], user=request.user
        ),
        _("Der Produktbereitstellungsfall ist geschlossen."),
    )


@casework_required
@require_POST
def pdc_component_reassess(request, pk: int, component_id: int):
    component = get_object_or_404(CaseComponent, pk=component_id, case_id=pk)
    form = ReassessForm(request.POST, prefix=f"reassess-{component_id}")
    if form.is_valid():
        try:
            services.component_reassess(
                component=component,
                amount=form.cleaned_data["amount"],
                effective_from=form.cleaned_data["effective_from"],
                user=request.user,
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Komponente ist neu bewertet."))
            return redirect("cases:pdc-detail", pk=pk)
    return _pdc_page(
        request,
        pk,
        status=400,
        open_section="reassess",
        reassess_form=form,
        reassess_component=component_id,
    )


_SIMPLE_ACTIONS = {
    "activate": (
        services.product_delivery_case_activate,
        gettext_lazy("Der Fall ist aktiviert; die Finanzkomponenten sind erstellt."),
    ),
    "suspend": (services.product_delivery_case_suspend, gettext_lazy("Der Fall ist ausgesetzt.")),
    "resume": (services.product_delivery_case_resume, gettext_lazy("Der Fall ist fortgesetzt.")),
}


@casework_required
@require_POST
def pdc_action(request, pk: int, action: str):
    """Activate (IC-9), suspend or resume; a refusal is shown with its reason."""
    case = get_object_or_404(ProductDeliveryCase, pk=pk)
    if action not in _SIMPLE_ACTIONS:
        return redirect("cases:pdc-detail", pk=pk)
    service, success = _SIMPLE_ACTIONS[action]
    try:
        service(case=case, user=request.user)
    except ApplicationError as exc:
        return _pdc_page(request, pk, status=409, errors=[exc.message])
    messages.success(request, str(success))
    return redirect("cases:pdc-detail", pk=pk)
