"""Caseworker pages of case deductions (CD-14): the "Neuer Abzug" wizard, the case's
deduction list with its filtered views, a person's deductions, the detail page with the
allowed status actions, the edit page and the history. Thin: forms parse, services write,
selectors read. Caseworkers and case supervisors write; administrators may read (RO-1)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import CaseStatus, ProductDeliveryCase
from config import providers, roles
from config.access import casework_read_required, casework_required
from config.dates import format_date
from config.exceptions import IllegalTransition, ValidationFailed
from config.forms import add_service_errors, in_page_language, language_neutral
from participants.models import Participant
from products.models import DeductionCategory

from . import selectors, services
from .forms import (
    AmountStep,
    AssignmentStep,
    CancelForm,
    CategoryStep,
    ConfirmStep,
    DeductionEditForm,
    DetailsStep,
    PeriodStep,
    TypeStep,
    liability_label,
    next_free_priority,
)
from .models import IN_FORCE_STATUSES, Deduction, DeductionStatus

PAGE_SIZE = 50
"""Rows per page of the list."""


def _case(case_id: int) -> ProductDeliveryCase:
    return get_object_or_404(
        ProductDeliveryCase.objects.select_related("product", "primary_client", "integrated_case"),
        pk=case_id,
    )


def _deduction(pk: int) -> Deduction:
    try:
        return selectors.deduction_detail(pk=pk)
    except Deduction.DoesNotExist:
        raise Http404


# --- the "Neuer Abzug" wizard ----------------------------------------------------------------

STEPS = {
    "category": CategoryStep,
    "type": TypeStep,
    "amount": AmountStep,
    "assignment": AssignmentStep,
    "period": PeriodStep,
    "details": DetailsStep,
    "confirm": ConfirmStep,
}

# Which step a field of deduction_create is entered at (to show a service message there).
FIELD_STEPS = {
    "category": "category",
    "deduction_type": "type",
    "amount": "amount",
    "percentage": "amount",
    "nominee": "assignment",
    "component": "assignment",
    "all_nominees": "assignment",
    "start_date": "period",
    "end_date": "period",
    "priority": "period",
    "liability_holder": "details",
    "liability": "details",
    "third_party": "details",
    "third_party_account_number": "details",
    "third_party_reference": "details",
}

_NAVIGATION_KEYS = {"csrfmiddlewaretoken", "back"}


class Wizard:
    """The wizard's answers, kept per case in the session as the POST of each step, so
    that each later request re-validates them with the same forms. Amounts and
    percentages are kept language-neutral, so switching the page language in between
    reads them again (config.forms.language_neutral)."""

    def __init__(self, request, case: ProductDeliveryCase):
        self.request = request
        self.case = case
        self.key = f"deduction-wizard-{case.pk}"
        self.data: dict[str, dict] = request.session.get(self.key, {})

    def reset(self) -> None:
        self.data = {}
        self.request.session.pop(self.key, None)

    def steps(self) -> list[str]:
        category = self.data.get("category", {}).get("category")
        names = list(STEPS)
        if category == DeductionCategory.UNAPPLIED:
            names.remove("details")  # CD-5: nothing beyond the common fields
        return names

    def form(self, step: str, context: dict, data=None):
        kwargs = {}
        if step == "details":
            kwargs = {
                "liabilities_url": reverse("deductions:wizard-liabilities", args=[self.case.pk]),
                "payee_account_url": reverse(
                    "deductions:wizard-payee-account", args=[self.case.pk]
                ),
            }
        return STEPS[step](data, wizard=context, **kwargs)

    def run(self, upto: str) -> tuple[str | None, dict, dict]:
        """Validate the stored steps before `upto`. Returns the first step that is missing or
        no longer valid (or None), the context for the forms and the collected values."""
        context: dict = {"case": self.case}
        values: dict = {}
        for step in self.steps():
            if step == upto:
                break
            stored = self.stored(step)
            if stored is None:
                return step, context, values
            form = self.form(step, context, data=stored)
            if not form.is_valid():
                return step, context, values
            step_values = form.values()
            values.update(step_values)
            context.update(step_values)
        return None, context, values

    def stored(self, step: str) -> dict | None:
        """A step's kept answers, written as the page's language writes them."""
        kept = self.data.get(step)
        return None if kept is None else in_page_language(STEPS[step], kept)

    def store(self, step: str, form) -> None:
        """Keep the answers of a valid step form."""
        answers = {k: v for k, v in form.data.items() if k not in _NAVIGATION_KEYS}
        answers = language_neutral(form, answers)
        if self.data.get(step) != answers:
            # A changed answer may invalidate everything after it.
            names = list(STEPS)
            for later in names[names.index(step) + 1 :]:
                self.data.pop(later, None)
        self.data[step] = answers
        self.request.session[self.key] = self.data


def _step_url(case, step):
    return reverse("deductions:create-step", args=[case.pk, step])


def _render_step(request, wizard, step, form, context, values, status=200):
    steps = wizard.steps()
    index = steps.index(step)
    extra = {}
    if step == "confirm":
        probe = SimpleNamespace(start_date=values.get("start_date"))
        extra["activation_refusal"] = services.deduction_activation_refusal(
            deduction=probe, case=wizard.case
        )
        extra["summary"] = _summary(values, case=wizard.case)
    return render(
        request,
        "deductions/wizard.html",
        {
            "case": wizard.case,
            "form": form,
            "step": step,
            "steps": [
                (name, STEPS[name].title, name == step, i < index) for i, name in enumerate(steps)
            ],
            "previous_url": _step_url(wizard.case, steps[index - 1]) if index else None,
            "is_last": step == steps[-1],
            "context": context,
            **extra,
        },
        status=status,
    )


def _summary(values: dict, *, case: ProductDeliveryCase) -> list[tuple[str, str]]:
    """What the caseworker entered, for the last step."""
    from config.money_format import format_money, format_percent

    dtype = values["deduction_type"]
    rows = [
        (_("Abzugskategorie"), DeductionCategory(values["category"]).label),
        (_("Abzugstyp"), dtype.name),
    ]
    if values.get("amount") is not None:
        rows.append((_("Fester Betrag"), format_money(values["amount"])))
    else:
        rows.append((_("Variabler Satz"), format_percent(values["percentage"])))
    if values.get("nominee"):
        rows.append((_("Leistungsempfänger"), values["nominee"].name))
    elif values.get("component"):
        rows.append((_("Fallkomponente"), str(values["component"].component_type.name)))
    elif values.get("all_nominees"):
        rows.append((_("Zuordnung"), _("Alle Leistungsempfänger")))
    else:
        rows.append((_("Zuordnung"), _("Keine Zuordnung")))
    rows.append((_("Startdatum"), format_date(values["start_date"])))
    rows.append((_("Enddatum"), format_date(values["end_date"])))
    priority = values.get("priority")
    if priority == services.AUTOMATIC:
        rows.append((_("Priorität"), _("automatisch (nächste freie)")))
    elif priority is None:
        rows.append((_("Priorität"), _("aus der Produktverknüpfung")))
    else:
        last = next_free_priority(case)
        if priority > last:
            # CD-9: a wish beyond the end is the next free one; show what will be saved.
            rows.append(
                (
                    _("Priorität"),
                    _("%(next)s (gewünscht: %(wanted)s; am Ende)")
                    % {"next": last, "wanted": priority},
                )
            )
        else:
            rows.append((_("Priorität"), str(priority)))
    if values.get("liability") is not None:
        rows.append((_("Verbindlichkeit"), liability_label(values["liability"])))
    if values.get("third_party") is not None:
        rows.append((_("Dritter"), values["third_party"].name))
        rows.append((_("Kontonummer"), values["third_party_account_number"]))
        rows.append((_("Referenznummer"), values["third_party_reference"]))
    return rows


@require_http_methods(["GET", "POST"])
@casework_required
def deduction_wizard(request, case_id: int, step: str | None = None):
    """CD-1..CD-11: category → type → amount → assignment → period and priority → category
    details → activate now?"""
    case = _case(case_id)
    if case.status == CaseStatus.CLOSED:
        messages.error(
            request,
            _(
                "Der Produktbereitstellungsfall ist geschlossen; es können keine Abzüge "
                "angelegt werden."
            ),
        )
        return redirect("deductions:case-list", case_id=case.pk)
    wizard = Wizard(request, case)
    if step is None:
        wizard.reset()
        return redirect(_step_url(case, wizard.steps()[0]))
    if step not in wizard.steps():
        raise Http404
    missing, context, values = wizard.run(upto=step)
    if missing is not None:
        return redirect(_step_url(case, missing))

    if request.method == "GET":
        form = wizard.form(step, context, data=wizard.stored(step))
        return _render_step(request, wizard, step, form, context, values)

    steps = wizard.steps()
    if "back" in request.POST and steps.index(step) > 0:
        return redirect(_step_url(case, steps[steps.index(step) - 1]))
    form = wizard.form(step, context, data=request.POST)
    if not form.is_valid():
        return _render_step(request, wizard, step, form, context, values, status=400)
    wizard.store(step, form)
    steps = wizard.steps()  # the category decides whether there is a details step
    if step != steps[-1]:
        return redirect(_step_url(case, steps[steps.index(step) + 1]))

    values.update(form.values())
    try:
        deduction = services.deduction_create(case=case, user=request.user, **values)
    except ValidationFailed as exc:
        return _render_service_errors(request, wizard, exc, form, context, values)
    except IllegalTransition as exc:
        add_service_errors(form, exc, fields=lambda _name: "activate")
        return _render_step(request, wizard, step, form, context, values, status=409)
    wizard.reset()
    if deduction.status == DeductionStatus.ACTIVE:
        messages.success(request, _("Der Abzug wurde angelegt und aktiviert."))
    else:
        messages.success(request, _("Der Abzug wurde angelegt."))
    return redirect("deductions:detail", pk=deduction.pk)


def _render_service_errors(request, wizard, exc, form, context, values):
    """Show the services' messages at the step where the field was entered."""
    steps = wizard.steps()
    owning = [FIELD_STEPS[f] for f in exc.errors if FIELD_STEPS.get(f) in steps]
    if not owning:
        add_service_errors(form, exc, fields=lambda _name: None)
        return _render_step(request, wizard, steps[-1], form, context, values, status=400)
    target = min(owning, key=steps.index)
    _missing, target_context, target_values = wizard.run(upto=target)
    target_form = wizard.form(target, target_context, data=wizard.stored(target))
    target_form.is_valid()
    add_service_errors(
        target_form, {f: m for f, m in exc.errors.items() if FIELD_STEPS.get(f) == target}
    )
    return _render_step(
        request, wizard, target, target_form, target_context, target_values, status=400
    )


def _details_form_for_partial(request, case_id):
    case = _case(case_id)
    wizard = Wizard(request, case)
    if "details" not in wizard.steps():
        raise Http404
    missing, context, _values = wizard.run(upto="details")
    if missing is not None:
        raise Http404
    return wizard, context


@require_GET
@casework_required
def wizard_liabilities(request, case_id: int):
    """htmx: the liability choice for the chosen liability holder (CD-3). The form is not
    bound: nothing was submitted yet, so no message is shown."""
    wizard, context = _details_form_for_partial(request, case_id)
    form = wizard.form("details", context)
    if "liability" not in form.fields:
        raise Http404
    # The holder as the picker sends it (a reference), when they may hold the liability.
    form.show_liabilities_of(form.holder_id(request.GET.get("liability_holder")))
    return render(request, "deductions/_field.html", {"field": form["liability"]})


@require_GET
@casework_required
def wizard_payee_account(request, case_id: int):
    """htmx: the account number field prefilled from the chosen payee's bank account (CD-4)."""
    wizard, context = _details_form_for_partial(request, case_id)
    form = wizard.form("details", context)
    if "third_party_account_number" not in form.fields:
        raise Http404
    # The payee as the picker sends it (a reference), only among those the field accepts:
    # no account number of anybody else.
    reference = request.GET.get("third_party", "").strip().upper()
    payees = form.fields["third_party"].queryset
    payee = payees.filter(reference=reference).first() if reference else None
    account = payee.bank_accounts.first() if payee else None
    form.fields["third_party_account_number"].initial = account.account_number if account else ""
    return render(request, "deductions/_field.html", {"field": form["third_party_account_number"]})


# --- lists -----------------------------------------------------------------------------------

CASE_TABS = [
    ("all", "deductions:case-list"),
    ("active", "deductions:case-list-active"),
    ("applied", "deductions:case-list-applied"),
    ("third_party", "deductions:case-list-third-party"),
]


@require_GET
@casework_read_required
def case_deduction_list(request, case_id: int, view: str = "all"):
    """CD-14 (a) and (b): the case's deductions and the three filtered views."""
    case = _case(case_id)
    deductions = list(selectors.case_deductions(case=case, view=view))
    # LI-3: the payoff forecast of each liability an applied deduction in force pays.
    forecasts = providers.liability_forecasts(
        d.liability_id
        for d in deductions
        if d.category == DeductionCategory.APPLIED and d.status in IN_FORCE_STATUSES
    )
    for d in deductions:
        d.forecast = forecasts.get(d.liability_id) if d.status in IN_FORCE_STATUSES else None
    tabs = [
        (reverse(url_name, args=[case.pk]), selectors.CASE_VIEWS[name], name == view)
        for name, url_name in CASE_TABS
    ]
    return render(
        request,
        "deductions/case_list.html",
        {
            "case": case,
            "deductions": deductions,
            "view": view,
            "view_title": selectors.CASE_VIEWS[view],
            "tabs": tabs,
            "can_create": roles.is_caseworker(request.user) and case.status != CaseStatus.CLOSED,
        },
    )


@require_GET
@casework_read_required
def person_deduction_list(request, participant_id: int):
    """CD-14 (c): every deduction on every case where the person is primary client."""
    participant = get_object_or_404(Participant, pk=participant_id)
    page = Paginator(selectors.person_deductions(participant=participant), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deductions/person_list.html",
        {"participant": participant, "page": page, "deductions": page.object_list},
    )


# --- detail, actions, edit, history ------------------------------------------------------------

ACTIONS = ("activate", "deactivate", "cancel")


@require_GET
@casework_read_required
def deduction_detail(request, pk: int):
    """CD-14 (d): the detail with category-specific fields and the allowed actions."""
    return _render_detail(request, _deduction(pk))


def _render_detail(request, deduction: Deduction, *, cancel_form=None, status=200):
    can_write = roles.is_caseworker(request.user)
    available = {t.name for t in deduction.get_available_status_transitions()} & set(ACTIONS)
    activation_refusal = None
    if "activate" in available:
        activation_refusal = services.deduction_activation_refusal(deduction=deduction)
        if activation_refusal:
            available.discard("activate")
    cancel_blocked = None
    if deduction.status != DeductionStatus.CANCELLED and deduction.processed_total:
        from .services.common import cancel_processed_reason

        cancel_blocked = cancel_processed_reason(deduction=deduction)
    forecast = None
    if deduction.category == DeductionCategory.APPLIED and deduction.status in IN_FORCE_STATUSES:
        forecast = providers.liability_forecasts([deduction.liability_id]).get(
            deduction.liability_id
        )
    return render(
        request,
        "deductions/detail.html",
        {
            "deduction": deduction,
            "third_party_account_name": selectors.third_party_account_name(deduction=deduction),
            "can_write": can_write,
            "actions": [a for a in ACTIONS if a in available] if can_write else [],
            "activation_refusal": activation_refusal if can_write else None,
            "cancel_blocked": cancel_blocked,
            "forecast": forecast,
            "cancel_form": cancel_form or CancelForm(),
            "can_edit": can_write and deduction.status != DeductionStatus.CANCELLED,
        },
        status=status,
    )


@require_POST
@casework_required
def deduction_transition(request, pk: int, action: str):
    """Activate, deactivate or cancel (CD-10, CD-11); a refusal is shown with its reason."""
    if action not in ACTIONS:
        raise Http404
    deduction = _deduction(pk)
    try:
        if action == "activate":
            services.deduction_activate(deduction=deduction, user=request.user)
            messages.success(request, _("Der Abzug wurde aktiviert."))
        elif action == "deactivate":
            services.deduction_deactivate(deduction=deduction, user=request.user)
            messages.success(request, _("Der Abzug wurde deaktiviert."))
        else:
            form = CancelForm(request.POST)
            if not form.is_valid():
                # CD-10: final, so only with the confirmation; the message is beside it.
                return _render_detail(request, deduction, cancel_form=form, status=400)
            services.deduction_cancel(
                deduction=deduction, user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Der Abzug wurde abgebrochen."))
    except IllegalTransition as exc:
        messages.error(request, exc.message)
    return redirect("deductions:detail", pk=deduction.pk)


@require_http_methods(["GET", "POST"])
@casework_required
def deduction_edit(request, pk: int):
    """CD-13: edit amount or percentage, dates, priority and third-party details."""
    deduction = _deduction(pk)
    if deduction.status == DeductionStatus.CANCELLED:
        messages.error(request, _("Ein abgebrochener Abzug kann nicht mehr geändert werden."))
        return redirect("deductions:detail", pk=deduction.pk)
    back_to = _local_next(request)
    form = DeductionEditForm(
        request.POST or None, deduction=deduction, suggested_end_date=_iso_date(request)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            changes = form.changes()
            try:
                services.deduction_update(deduction=deduction, user=request.user, **changes)
            except ValidationFailed as exc:
                add_service_errors(form, exc)
            except IllegalTransition as exc:
                messages.error(request, exc.message)
                return redirect("deductions:detail", pk=deduction.pk)
            else:
                if changes:
                    messages.success(request, _("Die Änderungen wurden gespeichert."))
                else:
                    messages.info(request, _("Es wurde nichts geändert."))
                return redirect(back_to or reverse("deductions:detail", args=[deduction.pk]))
    return render(
        request,
        "deductions/edit.html",
        {"deduction": deduction, "form": form, "back_to": back_to},
        status=status,
    )


def _local_next(request) -> str:
    """`?next=` when it is a path of this site (the task a supervisor came from, TP-1)."""
    target = request.GET.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _iso_date(request):
    """`?end_date=YYYY-MM-DD` offered by a task (TP-1); anything else is ignored."""
    try:
        return datetime.date.fromisoformat(request.GET.get("end_date", ""))
    except ValueError:
        return None


@require_GET
@casework_read_required
def deduction_history(request, pk: int):
    """CD-15: the deduction's own history merged with its processing history."""
    deduction = _deduction(pk)
    entries = selectors.deduction_history(deduction=deduction)
    return render(request, "deductions/history.html", {"deduction": deduction, "entries": entries})
