"""Pages of applications (IC-2): list, capture, approve or reject."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.access import casework_read_required, casework_required
from config.exceptions import ApplicationError
from config.forms import add_service_errors

from .. import selectors, services
from ..forms import ApplicationFilterForm, ApplicationForm, RejectForm
from ..models import Application

PAGE_SIZE = 25
"""Rows per page of the list."""


@casework_read_required
def application_list(request):
    form = ApplicationFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else None
    page = Paginator(selectors.application_list(status=status or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/application_list.html",
        {
            "form": form,
            "page": page,
            "querystring": query.urlencode(),
            "reject_form": RejectForm(),
        },
    )


@casework_required
@require_http_methods(["GET", "POST"])
def application_create(request):
    form = ApplicationForm(request.POST or None)
    if not form.fields["product"].queryset.exists():
        # Without a product that has the application process the form cannot succeed:
        # say why instead of an empty choice and "required" (IC-2).
        return render(request, "cases/application_form.html", {"form": form, "no_products": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.application_submit(
                product=data["product"],
                requested_start_date=data["requested_start_date"],
                applicant=data["participant"],
                new_applicant=data["new_person"],
                case_type=data.get("case_type"),
                user=request.user,
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Der Antrag ist erfasst."))
            return redirect("cases:application-list")
    return render(request, "cases/application_form.html", {"form": form, "no_products": False})


@casework_required
@require_POST
def application_decide(request, pk: int, decision: str):
    application = get_object_or_404(Application, pk=pk)
    try:
        if decision == "approve":
            approved = services.application_approve(application=application, user=request.user)
            pdc = approved.product_delivery_case
            messages.success(
                request,
                _("Der Antrag ist genehmigt; der Produktbereitstellungsfall %(ref)s ist angelegt.")
                % {"ref": pdc.reference},
            )
            return redirect("cases:pdc-detail", pk=pdc.pk)
        form = RejectForm(request.POST)
        form.is_valid()
        services.application_reject(
            application=application, reason=form.cleaned_data.get("reason", ""), user=request.user
        )
        messages.success(request, _("Der Antrag ist abgelehnt."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("cases:application-list")
