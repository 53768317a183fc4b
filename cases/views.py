"""Caseworker pages for integrated cases (IC-1, IC-3..5), product delivery cases
(IC-6..9), applications (IC-2) and liabilities (LI-1). Thin: forms parse, services write,
selectors read; service errors are shown beside the fields. Caseworkers and case
supervisors write; administrators may read (RO-1)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from config import providers, roles
from config.exceptions import ApplicationError
from config.ids import parse_id
from participants.access import apply_errors, casework_read_required, casework_required
from participants.models import Participant

from . import selectors, services
from .forms import (
    ActivityCancelForm,
    ActivityDoneForm,
    ActivityForm,
    ApplicationFilterForm,
    ApplicationForm,
    CloseForm,
    ComponentForm,
    IntegratedCaseCreateForm,
    IntegratedCaseFilterForm,
    LiabilityForm,
    MemberAddForm,
    NomineeAddForm,
    PdcUpdateForm,
    ProductDeliveryCaseCreateForm,
    ReassessForm,
    ReferralForm,
    RejectForm,
    ReopenForm,
    ServiceDeliveryForm,
)
from .models import (
    Activity,
    Application,
    CaseComponent,
    IntegratedCase,
    Liability,
    ProductDeliveryCase,
)


def _errors(form, exc: ApplicationError) -> None:
    apply_errors(form, exc, getattr(form, "error_map", None))


# --- integrated cases -------------------------------------------------------------------------


@casework_read_required
def integrated_case_list(request):
    form = IntegratedCaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.integrated_case_list(
        query=filters.get("q") or "",
        status=filters.get("status") or None,
        case_type=filters["case_type"].code if filters.get("case_type") else None,
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
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
            _errors(form, exc)
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
            _errors(form, exc)
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


# --- product delivery cases -------------------------------------------------------------------


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
            _errors(form, exc)
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
            _errors(form, exc)
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
            _errors(form, exc)
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


# --- liabilities ------------------------------------------------------------------------------


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
            _errors(form, exc)
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


# --- applications -----------------------------------------------------------------------------


@casework_read_required
def application_list(request):
    form = ApplicationFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else None
    page = Paginator(selectors.application_list(status=status or None), 25).get_page(
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
            _errors(form, exc)
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


# --- activities (IC-11) -------------------------------------------------------------------------


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
            _errors(form, exc)
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


@casework_read_required
@require_http_methods(["GET", "POST"])
def activity_detail(request, pk: int):
    """One activity: its data, the edit form, done / cancel, and its history."""
    activity = get_object_or_404(Activity, pk=pk)
    if request.method == "GET":
        return _activity_page(request, activity)
    if not roles.is_caseworker(request.user):
        raise PermissionDenied
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
            _errors(form, exc)
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
            _errors(form, exc)
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
            _errors(form, exc)
        else:
            messages.success(request, _("Die Aktivität ist abgesagt."))
            return redirect("cases:activity-detail", pk=activity.pk)
    return _activity_page(request, activity, status=400, cancel_form=form)
