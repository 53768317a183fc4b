"""Pages of activities on an integrated case (IC-11)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.access import casework_page, casework_required
from config.exceptions import ApplicationError
from config.forms import add_service_errors

from .. import selectors, services
from ..forms import ActivityCancelForm, ActivityDoneForm, ActivityForm
from ..models import Activity, IntegratedCase


def _activity_kwargs(data: dict) -> dict:
    return {
        "subject": data.get("subject") or "",
        "activity_type": data.get("activity_type"),
        "planned_at": data.get("planned_at"),
        "responsible": data.get("responsible"),
        "participants": list(data.get("participants") or []),
    }


@casework_required
@require_http_methods(["GET", "POST"])
def activity_create(request, pk: int):
    case = get_object_or_404(IntegratedCase, pk=pk)
    form = ActivityForm(request.POST or None, integrated_case=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                integrated_case=case, user=request.user, **_activity_kwargs(form.cleaned_data)
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Die Aktivität „%(subject)s“ ist geplant.") % {"subject": activity.subject},
            )
            return redirect("cases:integrated-case-detail", pk=case.pk)
    del form.fields["outcome"]
    return render(
        request,
        "cases/activity_form.html",
        {"case": case, "form": form},
        status=400 if form.is_bound else 200,
    )


def _activity_page(request, activity, status=200, **forms):
    activity = selectors.activity_get(activity_id=activity.pk)
    case = activity.integrated_case
    form = forms.get("form")
    if form is None:
        form = ActivityForm(
            initial={
                "subject": activity.subject,
                "activity_type": activity.activity_type_id,
                "planned_at": activity.planned_at,
                "responsible": activity.responsible_id,
                "participants": [p.pk for p in activity.participants.all()],
                "outcome": activity.outcome,
            },
            integrated_case=case,
            user=request.user,
        )
    return render(
        request,
        "cases/activity_detail.html",
        {
            "activity": activity,
            "case": case,
            "form": form,
            "done_form": forms.get("done_form") or ActivityDoneForm(),
            "cancel_form": forms.get("cancel_form") or ActivityCancelForm(),
            "history": selectors.activity_history(activity=activity),
        },
        status=status,
    )


@casework_page
@require_http_methods(["GET", "POST"])
def activity_detail(request, pk: int):
    """One activity: its data, the edit form, done / cancel, and its history."""
    activity = get_object_or_404(Activity, pk=pk)
    if request.method == "GET":
        return _activity_page(request, activity)
    form = ActivityForm(request.POST, integrated_case=activity.integrated_case, user=request.user)
    if form.is_valid():
        try:
            services.activity_update(
                activity=activity,
                user=request.user,
                outcome=form.cleaned_data.get("outcome"),
                **_activity_kwargs(form.cleaned_data),
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Aktivität ist gespeichert."))
            return redirect("cases:activity-detail", pk=activity.pk)
    return _activity_page(request, activity, status=400, form=form)


@casework_required
@require_POST
def activity_done(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    form = ActivityDoneForm(request.POST)
    if form.is_valid():
        try:
            services.activity_mark_done(
                activity=activity, outcome=form.cleaned_data["outcome"], user=request.user
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Aktivität ist erledigt."))
            return redirect("cases:activity-detail", pk=activity.pk)
    return _activity_page(request, activity, status=400, done_form=form)


@casework_required
@require_POST
def activity_cancel(request, pk: int):
    activity = get_object_or_404(Activity, pk=pk)
    form = ActivityCancelForm(request.POST)
    if form.is_valid():
        try:
            services.activity_cancel(
                activity=activity, note=form.cleaned_data["note"], user=request.user
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Die Aktivität ist abgesagt."))
            return redirect("cases:activity-detail", pk=activity.pk)
    return _activity_page(request, activity, status=400, cancel_form=form)
