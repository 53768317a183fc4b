"""Caseworker pages for participants: search, register, home page, edit/end (with the
PT-3 warning about current third-party deductions), promote a prospect (PT-1).
Thin: forms parse, services write, selectors read (RO-1 via config.access)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.access import casework_read_required, casework_required
from config.exceptions import ApplicationError
from config.forms import add_service_errors
from config.paging import DeferredPaginator

from . import selectors, services
from .forms import BankAccountFormSet, ParticipantForm, PromoteForm, SearchForm, accounts_from
from .models import END_DATE_TYPES, PERSON_TYPES, Participant, ParticipantType

WARNINGS_KEY = "participant_warnings_{pk}"

PAGE_SIZE = 25
"""Rows per page of the list."""


@casework_read_required
def participant_search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["type"]):
        qs = selectors.participant_list(
            query=form.cleaned_data["q"], type=form.cleaned_data["type"] or None
        )
        results = DeferredPaginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "participants/search.html", {"form": form, "page": results, "query": request.GET}
    )


@casework_required
@require_GET
def participant_pick(request):
    """The participant picker's results as an HTML fragment (htmx): name, date of birth and
    reference of at most 20 participants, for caseworkers and case supervisors (RO-1).

    Restrictions (they only narrow the results, and each is checked here): `types`, a comma
    list of participant type codes (unknown codes are dropped; when none is left, nobody
    is offered), and `open_liability=1`, only holders of an open liability (CD-3)."""
    known = {t.value for t in ParticipantType}
    asked = [t for t in request.GET.get("types", "").split(",") if t.strip()]
    types = [t for t in asked if t in known] if asked else None
    open_liability = request.GET.get("open_liability", "") == "1"
    query = request.GET.get("q", "")
    results = selectors.participant_pick(query=query, types=types, open_liability=open_liability)
    return render(
        request,
        "participants/_picker_results.html",
        {
            "results": results,
            "query": " ".join(query.split()),
            "searched": selectors.pick_condition(query) is not None,
            "listbox": request.GET.get("listbox", "picker"),
        },
    )


def _bank_errors(exc: ApplicationError) -> list[str]:
    return list(getattr(exc, "errors", {}).get("bank_accounts", []))


@casework_required
@require_http_methods(["GET", "POST"])
def participant_create(request):
    initial = {"type": request.GET.get("type", "person")}
    form = ParticipantForm(request.POST or None, initial=initial)
    formset = BankAccountFormSet(request.POST or None, prefix="accounts")
    bank_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            participant = services.participant_create(
                **form.values(), bank_accounts=accounts_from(formset), user=request.user
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
            bank_errors = _bank_errors(exc)
        else:
            messages.success(
                request,
                _("%(name)s ist mit der Referenznummer %(ref)s registriert.")
                % {"name": participant.name, "ref": participant.reference},
            )
            return redirect("participants:detail", pk=participant.pk)
    return render(
        request,
        "participants/form.html",
        {"form": form, "formset": formset, "bank_errors": bank_errors, "participant": None},
    )


@casework_read_required
def participant_detail(request, pk: int):
    participant = get_object_or_404(Participant.objects.prefetch_related("bank_accounts"), pk=pk)
    warnings = request.session.pop(WARNINGS_KEY.format(pk=pk), [])
    context = {
        "participant": participant,
        "warnings": warnings,
        "promote_form": PromoteForm(),
        **selectors.participant_home(participant=participant),
    }
    return render(request, "participants/detail.html", context)


@casework_required
@require_http_methods(["GET", "POST"])
def participant_edit(request, pk: int):
    participant = get_object_or_404(Participant, pk=pk)
    initial = {
        "name": participant.name,
        "address": participant.address,
        "date_of_birth": participant.date_of_birth,
        "date_of_death": participant.date_of_death,
        "trading_status": participant.trading_status,
        "end_date": participant.end_date,
    }
    accounts = [
        {
            "id": a.pk,
            "account_name": a.account_name,
            "account_number": a.account_number,
            "bic": a.bic,
        }
        for a in participant.bank_accounts.all()
    ]
    form = ParticipantForm(request.POST or None, initial=initial, fixed_type=participant.type)
    formset = BankAccountFormSet(request.POST or None, initial=accounts, prefix="accounts")
    bank_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.values()
        data["bank_accounts"] = accounts_from(formset)
        try:
            result = services.participant_update(
                participant=participant, data=data, user=request.user
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
            bank_errors = _bank_errors(exc)
        else:
            if result.warnings:
                request.session[WARNINGS_KEY.format(pk=pk)] = result.warnings
            if result.ended:
                messages.warning(request, _("Der Beteiligte ist jetzt beendet."))
            else:
                messages.success(request, _("Die Änderungen sind gespeichert."))
            return redirect("participants:detail", pk=pk)
    return render(
        request,
        "participants/form.html",
        {
            "form": form,
            "formset": formset,
            "bank_errors": bank_errors,
            "participant": participant,
            "is_person_type": participant.type in PERSON_TYPES,
            "is_employer": participant.type == ParticipantType.EMPLOYER,
            "has_end_date": participant.type in END_DATE_TYPES,
        },
    )


@casework_required
@require_POST
def participant_promote(request, pk: int):
    participant = get_object_or_404(Participant, pk=pk)
    form = PromoteForm(request.POST)
    if form.is_valid():
        try:
            services.prospect_promote(
                participant=participant,
                date_of_birth=form.cleaned_data["date_of_birth"],
                user=request.user,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Der Anwärter ist jetzt als Person registriert."))
    return redirect("participants:detail", pk=pk)
