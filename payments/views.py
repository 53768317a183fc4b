"""Caseworker and administrator pages of the payments app (thin: forms, selectors,
services, templates). Roles are enforced on every page (RO-1)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases.models import Liability, LiabilityStatus, ProductDeliveryCase
from config.access import administrator_required, casework_read_required, casework_required
from config.dates import format_datetime
from config.exceptions import ApplicationError, ValidationFailed
from config.forms import add_service_errors
from config.paging import page_id
from deductions.models import IN_FORCE_STATUSES, Deduction
from products.models import DeductionType

from . import selectors, services
from .errors import PaymentError as E
from .forms import (
    CompareForm,
    PaymentRunForm,
    SimulationFilterForm,
    SimulationForm,
    SimulationSaveForm,
    WhatIfForm,
)
from .models import (
    Notice,
    NoticeKind,
    Payment,
    PaymentKind,
    PaymentRun,
    PaymentRunTrigger,
    Simulation,
)
from .notice_pdf import notice_pdf
from .results import (
    compare_totals,
    deducted_of,
    filter_payments,
    simulation_summary,
    simulation_totals,
    skipped_of,
    waterfall,
    with_displays,
)
from .services.notice import notice_issue, notice_kind_for
from .services.what_if import changes_from, what_if_apply, what_if_run
from .third_party import cancel_reason_label


def _decorate(payments: list[dict]) -> list[dict]:
    """Payments ready for the templates: display labels, nominee names, the waterfall."""
    names = selectors.participant_names(p["nominee"] for p in payments)
    decorated = []
    for payment in with_displays(payments, language=get_language() or "de"):
        payment["nominee_name"] = names.get(payment["nominee"], payment["nominee"])
        payment["waterfall"] = waterfall(payment)
        payment["deducted"] = deducted_of(payment)
        payment["skipped"] = skipped_of(payment)
        decorated.append(payment)
    return decorated


def _case(case_id: int) -> ProductDeliveryCase:
    return get_object_or_404(
        ProductDeliveryCase.objects.select_related("product", "primary_client"), pk=case_id
    )


# --- simulation (SIM-1..3) ----------------------------------------------------------------

# Payments per page of a simulation's list: a year of weekly payments for one nominee. A
# page's cards hold their full breakdown (collapsed), so a ten-year simulation's first page
# stays far below 500 kB (docs/performance.md).
SIMULATION_PAGE_SIZE = 52


def _query(request, *, drop: tuple[str, ...] = ("page", "expand")) -> str:
    """The request's GET parameters without ``drop``, for links that keep the filters."""
    params = request.GET.copy()
    for name in drop:
        params.pop(name, None)
    return params.urlencode()


def _simulation_payments(request, payments: list[dict]) -> dict:
    """SIM-2 at scale: totals of the whole simulation (per nominee and overall), the
    filter form, and one page of the filtered payments, decorated for their cards."""
    names = selectors.participant_names(p["nominee"] for p in payments)
    nominees = list(dict.fromkeys(p["nominee"] for p in payments))
    filters = SimulationFilterForm(
        request.GET if request.method == "GET" and request.GET else None,
        nominees=[(pk, names.get(pk, str(pk))) for pk in nominees],
    )
    chosen = filter_payments(payments, **filters.criteria())
    page = Paginator(chosen, SIMULATION_PAGE_SIZE).get_page(request.GET.get("page"))
    shown = _decorate([{**payment, "number": number} for number, payment in page.object_list])
    totals = simulation_totals(
        [{**p, "nominee_name": names.get(p["nominee"], p["nominee"])} for p in payments]
    )
    return {
        "payments": shown,
        "page": page,
        "filters": filters,
        "filtered": len(chosen) != len(payments),
        "totals": totals,
        "summary": simulation_summary(shown, totals_of=[p for _n, p in chosen]),
        "query": _query(request),
        "expand": request.GET.get("expand") == "1",
        "payment_total": len(payments),
    }


@casework_required
@require_http_methods(["GET", "POST"])
def simulate(request, case_id: int):
    """Choose a date, see every payment up to it; save; pick two saved ones to compare.

    The result opens with the totals and the save form; its payments are filtered and
    paged by GET parameters (with or without htmx), one collapsed card each (SIM-2)."""
    case = _case(case_id)
    result = None
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = SimulationForm(data, initial={"up_to": timezone.localdate()})
    save_form = SimulationSaveForm(request.POST if request.method == "POST" else None)
    if data is not None and form.is_valid():
        saving = request.method == "POST" and save_form.is_valid()
        try:
            result = services.simulation_run(
                case_id=case.pk,
                up_to=form.cleaned_data["up_to"],
                user=request.user,
                save=saving,
                stop_at_expected_end=not form.cleaned_data["beyond_end"],
                name=save_form.cleaned_data.get("name", "") if saving else "",
                note=save_form.cleaned_data.get("note", "") if saving else "",
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc, fields={"detail": "up_to"})
        else:
            if result["id"]:
                messages.success(request, _("Die Simulation wurde gespeichert."))
                return redirect("payments:simulation-detail", case_id=case.pk, pk=result["id"])
    context = {
        "case": case,
        "form": form,
        "save_form": save_form,
        "result": result,
        "payments": None,
        "summary": None,
        "saved": selectors.simulation_list_light(case_id=case.pk)[:50],
        "compare_form": CompareForm(),
        # SIM-1: real runs pay active cases only; say so beside the simulated payments.
        "status_notice": services.simulation_notice(case_status=case.status),
        "default_name": services.simulation_default_name(up_to=form.cleaned_data["up_to"])
        if result
        else "",
        "list_url": reverse("payments:simulate", args=[case.pk]),
    }
    if result and result["payments"]:
        context.update(_simulation_payments(request, result["payments"]))
    if request.htmx and result is not None:
        if request.htmx.target == "simulation-payments":
            return render(request, "payments/_simulation_payments.html", context)
        return render(request, "payments/_simulation_result.html", context)
    return render(request, "payments/simulate.html", context)


@casework_read_required
def simulation_detail(request, case_id: int, pk: int):
    """A saved simulation: name, note, totals, and its payments filtered and paged."""
    case = _case(case_id)
    simulation = get_object_or_404(Simulation, pk=pk, case=case)
    context = {
        "case": case,
        "simulation": simulation,
        "payments": None,
        "summary": None,
        "list_url": reverse("payments:simulation-detail", args=[case.pk, simulation.pk]),
    }
    if simulation.payments:
        context.update(_simulation_payments(request, simulation.payments))
    if request.htmx and request.htmx.target == "simulation-payments":
        return render(request, "payments/_simulation_payments.html", context)
    return render(request, "payments/simulation_detail.html", context)


@casework_read_required
def simulation_compare(request, case_id: int):
    """SIM-3: two saved simulations side by side; differing values carry class ``diff``.

    Totals per nominee and their difference come first; ``only_differences`` leaves the
    identical payments out, and the first differing payment is the anchor
    ``#erster-unterschied``."""
    case = _case(case_id)
    form = CompareForm(request.GET or None)
    comparison = None
    sims = {}
    totals = None
    if form.is_valid():
        for name in ("a", "b"):
            sims[name] = Simulation.objects.filter(pk=form.cleaned_data[name], case=case).first()
            if sims[name] is None:
                form.add_error(name, _("Diese Simulation gibt es für diesen Fall nicht."))
    if form.is_bound and form.is_valid():
        comparison = selectors.simulation_compare(a=sims["a"], b=sims["b"])
        names = selectors.participant_names([row["nominee"] for row in comparison["payments"]])
        totals = compare_totals(sims["a"].payments, sims["b"].payments)
        for row in totals["nominees"]:
            row["nominee_name"] = names.get(row["nominee"], row["nominee"])
        first = next((row for row in comparison["payments"] if not row["identical"]), None)
        for row in comparison["payments"]:
            row["nominee_name"] = names.get(row["nominee"], row["nominee"])
            row["first_difference"] = row is first
        comparison["differing"] = sum(1 for row in comparison["payments"] if not row["identical"])
        comparison["total"] = len(comparison["payments"])
        if form.cleaned_data["only_differences"]:
            comparison["payments"] = [r for r in comparison["payments"] if not r["identical"]]
    return render(
        request,
        "payments/simulation_compare.html",
        {
            "case": case,
            "form": form,
            "comparison": comparison,
            "totals": totals,
            "sim_a": sims.get("a"),
            "sim_b": sims.get("b"),
            "saved": selectors.simulation_list_light(case_id=case.pk)[:50],
            "only_differences": form.is_bound
            and form.is_valid()
            and form.cleaned_data["only_differences"],
        },
    )


# --- what-if (SIM-4) ------------------------------------------------------------------------


def _what_if_form(request, case, data=None):
    deductions = (
        Deduction.objects.filter(case=case, status__in=IN_FORCE_STATUSES)
        .select_related("deduction_type")
        .order_by("priority", "pk")
    )
    types = DeductionType.objects.filter(product_links__product=case.product).order_by("name")
    people = {case.primary_client_id, *case.nominees.values_list("pk", flat=True)}
    liabilities = Liability.objects.filter(
        participant_id__in=people, status=LiabilityStatus.OPEN
    ).order_by("liability_case_id")
    return WhatIfForm(
        data,
        deductions=deductions,
        deduction_types=types,
        liabilities=liabilities,
        initial={"up_to": timezone.localdate()},
    )


@casework_required
@require_http_methods(["GET", "POST"])
def what_if(request, case_id: int):
    """SIM-4: change deductions (or add a draft), compare both plans; apply writes them."""
    case = _case(case_id)
    form = _what_if_form(request, case, request.POST if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        changes = form.changes(primary_client_id=case.primary_client_id)
        form._last_changes = changes
        try:
            if not changes:
                raise ValidationFailed(
                    _("Ändern Sie mindestens einen Wert oder legen Sie einen Entwurf an."),
                    code=E.WHAT_IF_NO_CHANGES,
                )
            if "apply" in request.POST:
                what_if_apply(
                    case_id=case.pk, changes=changes_from(items=changes), user=request.user
                )
                messages.success(request, _("Die Änderungen wurden übernommen."))
                return redirect("payments:what-if", case_id=case.pk)
            result = what_if_run(
                case_id=case.pk,
                up_to=form.cleaned_data["up_to"],
                changes=changes_from(items=changes),
                user=request.user,
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc, fields=form.field_for_error)
    context = {"case": case, "form": form, "result": result}
    if result:
        names = selectors.participant_names(
            p["nominee"] for p in result["current"]["payments"] + result["what_if"]["payments"]
        )
        for row in result["differences"]:
            row["nominee_name"] = names.get(row["nominee"], row["nominee"])
            net_a = Decimal(row["a"]["net"]) if row["a"] else Decimal("0.00")
            net_b = Decimal(row["b"]["net"]) if row["b"] else Decimal("0.00")
            row["net_change"] = net_b - net_a
        context["current_summary"] = simulation_summary(_decorate(result["current"]["payments"]))
        context["what_if_summary"] = simulation_summary(_decorate(result["what_if"]["payments"]))
    return render(request, "payments/what_if.html", context)


# --- client notices (SIM-5) --------------------------------------------------------------


def _notice_response(request, notice: Notice):
    return redirect("payments:notice-detail", pk=notice.pk)


@casework_required
@require_POST
def deduction_notice_issue(request, deduction_id: int):
    """SIM-5: issue the notice of a deduction decision; the kind follows the deduction's
    state unless the caseworker chooses one."""
    deduction = get_object_or_404(
        Deduction.objects.select_related("deduction_type"), pk=deduction_id
    )
    kind = request.POST.get("kind") or notice_kind_for(deduction=deduction)
    if kind not in NoticeKind.values or kind == NoticeKind.PAYMENT:
        messages.error(request, _("Bitte eine gültige Art der Mitteilung wählen."))
        return redirect("deductions:detail", pk=deduction.pk)
    notice = notice_issue(kind=kind, deduction=deduction, user=request.user)
    messages.success(request, _("Die Mitteilung wurde erstellt und beim Fall vermerkt."))
    return _notice_response(request, notice)


@casework_required
@require_POST
def payment_notice_issue(request, pk: int):
    """SIM-5: issue the notice of a benefit payment."""
    payment = get_object_or_404(Payment, pk=pk)
    try:
        notice = notice_issue(kind=NoticeKind.PAYMENT, payment=payment, user=request.user)
    except ValidationFailed as exc:
        messages.error(request, exc.message)
        return redirect("payments:payment-detail", pk=payment.pk)
    messages.success(request, _("Die Mitteilung wurde erstellt und beim Fall vermerkt."))
    return _notice_response(request, notice)


@casework_read_required
def notice_detail(request, pk: int):
    """SIM-5: the printable notice, rendered from its frozen facts only."""
    notice = get_object_or_404(Notice.objects.select_related("case", "issued_by"), pk=pk)
    with translation.override("de"):
        return render(request, "payments/notice.html", {"notice": notice, "f": notice.facts})


@casework_read_required
def notice_pdf_download(request, pk: int):
    """SIM-5: the same notice as PDF, from the same facts."""
    notice = get_object_or_404(Notice, pk=pk)
    content = notice_pdf(
        notice.facts,
        number=str(notice.pk),
        issued_at=format_datetime(notice.issued_at),
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="mitteilung-{notice.pk}.pdf"'
    return response


@casework_read_required
def case_notices(request, case_id: int):
    """SIM-5: every notice issued on the case: who, when, which kind, which version."""
    case = _case(case_id)
    notices = Notice.objects.filter(case=case).select_related(
        "issued_by", "deduction__deduction_type"
    )
    return render(request, "payments/case_notices.html", {"case": case, "notices": notices})


# --- payments (PAY-12) --------------------------------------------------------------------


@casework_read_required
def case_payments(request, case_id: int):
    case = _case(case_id)
    kind = request.GET.get("kind")
    if kind not in PaymentKind.values:
        kind = None
    page = Paginator(selectors.payment_list(case_id=case.pk, kind=kind), PAYMENTS_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "payments/case_payments.html",
        {"case": case, "page": page, "kind": kind, "kinds": PaymentKind.choices},
    )


@casework_read_required
def payment_detail(request, pk: int):
    payment = get_object_or_404(selectors.payment_list(), pk=pk)
    breakdown = None
    if payment.kind == PaymentKind.BENEFIT and payment.details:
        breakdown = _decorate([payment.breakdown()])[0]
    line = None
    if payment.kind == PaymentKind.THIRD_PARTY and payment.details.get("deduction"):
        line = with_displays([{"deductions": [payment.details["deduction"]]}])[0]["deductions"][0]
    # TP-3: the chain both ways — a cancelled payment links to its reissue.
    reissue = Payment.objects.filter(reissue_of=payment).only("pk").first()
    return render(
        request,
        "payments/payment_detail.html",
        {
            "payment": payment,
            "case": payment.case,
            "breakdown": breakdown,
            "line": line,
            "cancel_reason": cancel_reason_label(payment.cancel_reason)
            if payment.cancel_reason
            else "",
            "reissue": reissue,
        },
    )


AGENCY_ACCOUNT_PAGE = 50
PAYMENTS_PAGE = 50
RUNS_PAGE = 25


@casework_read_required
def agency_account(request):
    """LI-2: amounts credited to the agency's account, per deduction type, in all, and per
    case one page at a time (paged by case id: ``?after=``/``?before=``)."""
    cases = selectors.agency_account_case_page(
        per_page=AGENCY_ACCOUNT_PAGE,
        after=page_id(request.GET.get("after")),
        before=page_id(request.GET.get("before")),
    )
    by_type, grand_total = selectors.agency_account_type_totals()
    return render(
        request,
        "payments/agency_account.html",
        {
            "by_type": by_type,
            "grand_total": grand_total,
            "cases": cases,
        },
    )


# --- payment runs (PAY-13) ----------------------------------------------------------------


@administrator_required
@require_http_methods(["GET", "POST"])
def run_list(request):
    form = PaymentRunForm(
        request.POST if request.method == "POST" else None,
        initial={"run_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            run, created = services.payment_run_start(
                run_date=form.cleaned_data["run_date"],
                user=request.user,
                trigger=PaymentRunTrigger.MANUAL,
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc, fields={"detail": "run_date"})
        else:
            if created:
                messages.success(request, _("Der Zahlungslauf wurde gestartet."))
            else:
                messages.info(
                    request,
                    _("Für diesen Stichtag gibt es bereits einen Zahlungslauf; er wird angezeigt."),
                )
            return redirect("payments:run-detail", pk=run.pk)
    page = Paginator(selectors.payment_run_list(), RUNS_PAGE).get_page(request.GET.get("page"))
    return render(request, "payments/run_list.html", {"form": form, "page": page})


@administrator_required
def run_detail(request, pk: int):
    run = get_object_or_404(
        PaymentRun.objects.select_related("started_by").with_failed_chunks(), pk=pk
    )
    template = "payments/_run_progress.html" if request.htmx else "payments/run_detail.html"
    return render(
        request,
        template,
        {
            "run": run,
            "max_attempts": settings.PAYMENT_CHUNK_MAX_ATTEMPTS,
            "progress_url": reverse("payments:run-detail", args=[run.pk]),
        },
    )


@administrator_required
@require_http_methods(["POST"])
def run_retry(request, pk: int):
    """Retry the failed chunks of a run that ended with failures (PAY-13)."""
    run = get_object_or_404(PaymentRun, pk=pk)
    try:
        services.payment_run_retry(run=run, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Die fehlgeschlagenen Pakete werden erneut versucht."))
    return redirect("payments:run-detail", pk=run.pk)
