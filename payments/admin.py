"""Django admin of the payments app: payment runs (start one, watch its progress),
and the ledger rows, read-only (payments and processing history are immutable)."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import ProductDeliveryCase
from config.exceptions import ApplicationError, ValidationFailed
from config.history_display import HistoryAdmin
from config.paging import LargeTableAdminMixin
from config.skip_reasons import SKIP_REASON_SENTENCES

from . import services
from .models import (
    AgencyAccountEntry,
    DeductionProcessing,
    Notice,
    Payment,
    PaymentChunk,
    PaymentRun,
    PaymentRunSchedule,
    PaymentRunTrigger,
    Simulation,
)
from .services import schedule as schedule_service


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaymentChunkInline(admin.TabularInline):
    model = PaymentChunk
    extra = 0
    can_delete = False
    fields = [
        "number",
        "first_case_id",
        "last_case_id",
        "case_count",
        "status",
        "attempts",
        "lease_owner",
        "lease_expires_at",
        "claimed_at",
        "payments_created",
        "finished_at",
        "duration",
        "error",
    ]
    readonly_fields = fields
    max_num = 0
    show_change_link = False

    @admin.display(description=_("Dauer (s)"))
    def duration(self, obj):
        """Seconds from the last claim to the end (docs/operations.md: a chunk that takes
        much longer than its neighbours waited on locks or on the database)."""
        if obj.claimed_at is None or obj.finished_at is None:
            return "–"
        return f"{(obj.finished_at - obj.claimed_at).total_seconds():.1f}"


class PaymentRunAddForm(forms.ModelForm):
    """The run date, checked by the service's rule beside the field."""

    class Meta:
        model = PaymentRun
        fields = ["run_date"]

    def clean_run_date(self):
        run_date = self.cleaned_data["run_date"]
        try:
            services.payment_run_check_date(run_date=run_date)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.errors.get("run_date") or [exc.message]) from exc
        return run_date


@admin.register(PaymentRun)
class PaymentRunAdmin(admin.ModelAdmin):
    """ "Zahlungslauf hinzufügen" starts a run (payments.services.payment_run_start).

    A run that exists is read-only: its status and chunks belong to the service."""

    list_display = [
        "run_date",
        "status",
        "progress_bar",
        "failed_chunk_count",
        "payments_created",
        "trigger",
        "started_at",
        "finished_at",
    ]
    list_filter = ["status", "trigger"]
    date_hierarchy = "run_date"
    inlines = [PaymentChunkInline]
    actions = ["resume_runs"]
    form = PaymentRunAddForm

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["run_date"]
        return [
            "run_date",
            "status",
            "progress_bar",
            "run_page",
            "payments_created",
            "trigger",
            "started_by",
            "created_at",
            "started_at",
            "finished_at",
            "failed_chunk_summary",
            "error",
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_failed_chunks()

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False  # viewable, never edited: no save button on an existing run

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Fortschritt"))
    def progress_bar(self, obj):
        return format_html(
            '<progress max="{}" value="{}"></progress> {} / {}',
            obj.total_cases or 1,
            obj.done_cases,
            obj.done_cases,
            obj.total_cases,
        )

    @admin.display(description=_("Fehlgeschlagene Pakete"))
    def failed_chunk_count(self, obj):
        return len(obj.failed_chunks)

    @admin.display(description=_("Fehlgeschlagene Pakete"))
    def failed_chunk_summary(self, obj):
        chunks = obj.failed_chunks
        if not chunks:
            return "–"
        return format_html_join(
            "",
            "<p>{}</p>",
            (
                (
                    _("Paket %(n)s (Fälle %(first)s–%(last)s), %(attempts)s Versuche: %(error)s")
                    % {
                        "n": chunk.number,
                        "first": chunk.first_case_id,
                        "last": chunk.last_case_id,
                        "attempts": chunk.attempts,
                        "error": chunk.error,
                    },
                )
                for chunk in chunks
            ),
        )

    @admin.display(description=_("Seite des Zahlungslaufs"))
    def run_page(self, obj):
        url = reverse("payments:run-detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Fortschritt verfolgen"))

    def save_model(self, request, obj, form, change):
        if change:
            return
        run, _created = services.payment_run_start(
            run_date=obj.run_date, user=request.user, trigger=PaymentRunTrigger.MANUAL
        )
        obj.pk = run.pk
        obj.status = run.status

    def save_related(self, request, form, formsets, change):
        """Runs have no editable relations; the chunks belong to the service (only the
        add form is ever saved)."""

    @admin.action(description=_("Fehlgeschlagene Pakete erneut versuchen"))
    def resume_runs(self, request, queryset):
        """Retry runs that ended "completed with failures" or "failed": only their failed
        chunks are processed again (payments.services.payment_run_retry)."""
        retried = 0
        for run in queryset:
            if not run.can_retry:
                continue
            try:
                services.payment_run_retry(run=run, user=request.user)
            except ApplicationError as exc:  # e.g. it was retried a moment ago
                self.message_user(request, f"{run}: {exc.message}", messages.ERROR)
                continue
            retried += 1
        self.message_user(
            request,
            _("%(n)s Zahlungslauf/-läufe erneut gestartet.") % {"n": retried},
            messages.INFO,
        )


class CaseReferenceSearchMixin:
    """Search a ledger table by the exact reference of a case: the case is looked up first
    (its unique index), then its rows through the index on their case. (A join filtered by
    the reference let the planner walk the list's order index over millions of rows.)"""

    search_fields = ["case__reference"]  # shows the search box; the search is below

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        case_ids = list(
            ProductDeliveryCase.objects.filter(reference=term).values_list("pk", flat=True)
        )
        return queryset.filter(case_id__in=case_ids), False


@admin.register(Payment)
class PaymentAdmin(LargeTableAdminMixin, CaseReferenceSearchMixin, ReadOnlyAdmin):
    list_display = [
        "id",
        "case",
        "kind",
        "nominee",
        "payee",
        "period_start",
        "period_end",
        "effective_date",
        "gross",
        "tax",
        "net",
        "status",
    ]
    list_filter = ["kind", "status", "effective_date"]
    # payments.selectors.payment_list's order: index payment_list_idx.
    # (nominee_id, not nominee: an FK would order by the participant's name.)
    ordering = ["-effective_date", "nominee_id", "kind", "-id"]
    search_help_text = _("Genaue Fallreferenz (z. B. PDC-0000001).")
    raw_id_fields = ["case", "nominee", "payee", "deduction", "reissue_of", "cancelled_by"]
    # __str__ of a case reads its product: without it, one query per row.
    list_select_related = ["case__product", "nominee", "payee"]


class ProcessingReasonFilter(admin.SimpleListFilter):
    """The reasons present, with the blank reason of processed rows named "ohne Grund"
    (the plain field filter showed it as a link without text)."""

    title = _("Grund")
    parameter_name = "reason"
    BLANK = "-"

    def lookups(self, request, model_admin):
        # The engine's reason codes, not a DISTINCT over millions of processing rows.
        reasons = sorted(SKIP_REASON_SENTENCES)
        return [(self.BLANK, _("ohne Grund")), *[(reason, reason) for reason in reasons]]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.BLANK:
            return queryset.filter(reason="")
        if value:
            return queryset.filter(reason=value)
        return queryset


@admin.register(DeductionProcessing)
class DeductionProcessingAdmin(LargeTableAdminMixin, ReadOnlyAdmin):
    list_display = [
        "deduction",
        "nominee",
        "period_start",
        "status",
        "amount",
        "reason",
        "balance_after",
        "liability_outstanding_after",
    ]
    list_filter = ["status", ProcessingReasonFilter]
    # Newest first by the primary key (the model's order goes through the deduction's and
    # the case's and sorts every row).
    ordering = ["-id"]
    raw_id_fields = ["deduction", "payment", "nominee", "liability"]
    list_select_related = ["deduction__deduction_type", "nominee"]


@admin.register(AgencyAccountEntry)
class AgencyAccountEntryAdmin(LargeTableAdminMixin, CaseReferenceSearchMixin, ReadOnlyAdmin):
    """LI-2: filter by deduction type or search a case to report what was recovered."""

    list_display = ["effective_date", "case", "deduction_type", "nominee", "amount"]
    list_filter = ["deduction_type", "effective_date"]
    search_help_text = _("Genaue Fallreferenz (z. B. PDC-0000001).")
    raw_id_fields = ["case", "deduction", "nominee", "payment"]
    list_select_related = ["case__product", "deduction_type", "nominee"]


@admin.register(Simulation)
class SimulationAdmin(LargeTableAdminMixin, ReadOnlyAdmin):
    list_display = [
        "id",
        "name",
        "case",
        "up_to",
        "payment_count",
        "total_net",
        "created_by",
        "created_at",
    ]
    search_fields = ["name", "note"]
    raw_id_fields = ["case", "created_by"]
    list_select_related = ["case__product", "created_by"]

    def get_queryset(self, request):
        """The changelist shows the stored totals: it reads no payments (a ten-year
        simulation holds about a thousand)."""
        queryset = super().get_queryset(request)
        match = request.resolver_match
        if match is not None and match.url_name == "payments_simulation_changelist":
            return queryset.defer("payments")
        return queryset


@admin.register(Notice)
class NoticeAdmin(LargeTableAdminMixin, ReadOnlyAdmin):
    """SIM-5: notices issued, read-only (a notice is never changed after issue)."""

    list_display = ["id", "case", "kind", "issued_by", "issued_at", "facts_digest"]
    list_filter = ["kind"]
    raw_id_fields = ["case", "deduction", "payment", "issued_by"]
    list_select_related = ["case", "issued_by"]


class PaymentRunScheduleForm(forms.ModelForm):
    """The nightly run's time as a time of day (hours and minutes), not a cron entry."""

    run_time = forms.TimeField(
        label=_("Uhrzeit des nächtlichen Zahlungslaufs"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 60}, format="%H:%M"),
        help_text=_("Uhrzeit (Europe/Berlin), zu der der Zahlungslauf jede Nacht startet."),
    )

    class Meta:
        model = PaymentRunSchedule
        fields = ["run_time", "enabled"]


@admin.register(PaymentRunSchedule)
class PaymentRunScheduleAdmin(HistoryAdmin):
    """One row: saving it moves django-celery-beat's nightly cron entry to the new time
    (payments.services.schedule); the history shows who changed the time and when."""

    form = PaymentRunScheduleForm
    list_display = ["__str__", "run_time", "enabled", "updated_at"]
    readonly_fields = ["cron_entry", "updated_at"]
    fields = ["run_time", "enabled", "cron_entry", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        schedule = PaymentRunSchedule.objects.order_by("pk").first()
        if schedule is not None and self.has_view_or_change_permission(request, schedule):
            return redirect(reverse("admin:payments_paymentrunschedule_change", args=[schedule.pk]))
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("Eintrag im Zeitplan (Celery Beat)"))
    def cron_entry(self, obj):
        task = schedule_service.nightly_task()
        if task is None or task.crontab is None:
            return "–"
        state = _("aktiv") if task.enabled else _("ausgeschaltet")
        return f"{task.crontab.hour.zfill(2)}:{task.crontab.minute.zfill(2)} ({state})"

    def save_model(self, request, obj, form, change):
        schedule_service.nightly_schedule_update(
            schedule=obj,
            run_time=form.cleaned_data["run_time"],
            enabled=form.cleaned_data["enabled"],
            user=request.user,
            reason=gettext("Uhrzeit in der Administration geändert"),
        )
