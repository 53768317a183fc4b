"""Django admin of the workflow app: events (read-only, re-dispatch), workflow processes
the agency defines (WF-4) with a preview, event → process mappings (WF-2, administrators),
handled processes with their errors, tasks, notifications."""

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.history_display import HistoryAdmin
from config.paging import LargeTableAdminMixin

from . import services
from .models import (
    EventProcessMapping,
    HandledProcess,
    HandledStatus,
    Notification,
    Task,
    WorkflowEvent,
    WorkflowProcess,
)
from .processes import process_preview
from .templates import PLACEHOLDERS


class EventStateFilter(admin.SimpleListFilter):
    title = _("Verarbeitung")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("handled", _("Verarbeitet")),
            ("unhandled", _("Unverarbeitet")),
            ("failed", _("Fehlgeschlagen")),
            ("gave_up", _("Endgültig fehlgeschlagen")),
        ]

    def queryset(self, request, queryset):
        failed = HandledProcess.objects.filter(event=OuterRef("pk"), status=HandledStatus.FAILED)
        if self.value() == "handled":
            return queryset.filter(handled_at__isnull=False)
        if self.value() == "unhandled":
            return queryset.filter(handled_at__isnull=True)
        if self.value() == "failed":
            return queryset.filter(Exists(failed))
        if self.value() == "gave_up":
            return queryset.filter(failed_at__isnull=False, handled_at__isnull=True)
        return queryset


class HandledProcessInline(admin.TabularInline):
    model = HandledProcess
    extra = 0
    can_delete = False
    fields = ("mapping", "status", "attempts", "last_attempt_at", "handled_at", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.action(description=_("Erneut verarbeiten"))
def redispatch_events(modeladmin, request, queryset):
    count = services.events_redispatch(event_ids=queryset.values_list("pk", flat=True))
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d unverarbeitetes Ereignis wurde erneut zur Verarbeitung gegeben.",
            "%(count)d unverarbeitete Ereignisse wurden erneut zur Verarbeitung gegeben.",
            count,
        )
        % {"count": count},
        messages.SUCCESS if count else messages.INFO,
    )


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "event_type",
        "created_at",
        "case_id",
        "deduction_id",
        "participant_id",
        "handled_at",
        "failed_at",
    )
    list_filter = ("event_type", EventStateFilter)
    search_fields = ("payload",)
    date_hierarchy = "created_at"
    inlines = [HandledProcessInline]
    actions = [redispatch_events]
    readonly_fields = (
        "event_type",
        "created_at",
        "payload",
        "case_id",
        "deduction_id",
        "participant_id",
        "triggered_by_id",
        "handled_at",
        "failed_at",
    )

    def get_search_results(self, request, queryset, search_term):
        """Search by ids: the event, its case, deduction or participant, or an id in the
        payload (e.g. the deductions of "participant ended")."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if term.isdigit():
            pk = int(term)
            return (
                queryset.filter(
                    Q(pk=pk)
                    | Q(case_id=pk)
                    | Q(deduction_id=pk)
                    | Q(participant_id=pk)
                    | Q(payload__icontains=term)
                ),
                False,
            )
        return queryset.filter(payload__icontains=term), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # read-only: the outbox is a record

    def has_delete_permission(self, request, obj=None):
        return False


class MappingInlineFormSet(BaseInlineFormSet):
    """A mapping names a user exactly when its process addresses "a named user" without
    naming one itself; checked against the process as entered (it may be new)."""

    def clean(self):
        super().clean()
        process = self.instance
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE"):
                continue
            user = data.get("user")
            if process.names_user_on_mapping and not user:
                form.add_error(
                    "user",
                    _("Für „%(process)s“ muss ein Benutzer gewählt werden.")
                    % {"process": process.name},
                )
            elif user and not process.names_user_on_mapping:
                form.add_error(
                    "user",
                    _(
                        "Ein Benutzer wird nur für Prozesse an einen benannten Benutzer "
                        "ohne eigenen Benutzer gewählt."
                    ),
                )


class MappingInline(admin.TabularInline):
    model = EventProcessMapping
    formset = MappingInlineFormSet
    extra = 1
    fields = ("event_type", "user", "due_in_days", "active", "description")
    autocomplete_fields = ("user",)
    verbose_name = _("Ereignis, das diesen Prozess auslöst")
    verbose_name_plural = _("Ereignisse, die diesen Prozess auslösen")


@admin.register(WorkflowProcess)
class WorkflowProcessAdmin(HistoryAdmin):
    """WF-4: processes defined without code; templates are validated on save (the model's
    clean) and previewed with the latest mapped event's data or sample values."""

    list_display = ("name", "code", "action", "recipient", "priority", "due_in_days", "builtin")
    list_filter = ("action", "recipient", "builtin")
    search_fields = ("name", "code", "subject_template")
    autocomplete_fields = ("user",)
    prepopulated_fields = {"code": ("name",)}
    inlines = [MappingInline]
    fields = (
        "name",
        "code",
        "action",
        "recipient",
        "group",
        "user",
        "subject_template",
        "text_template",
        "placeholders",
        "due_in_days",
        "priority",
        "description",
        "preview",
    )
    readonly_fields = ("placeholders", "preview")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.builtin:
            fields.append("code")  # mappings and the demo data name it
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and obj.builtin else self.prepopulated_fields

    @admin.display(description=_("Platzhalter"))
    def placeholders(self, obj):
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "", "<li><code>{{{}}}</code> – {}</li>", ((k, v) for k, v in PLACEHOLDERS.items())
            ),
        )

    @admin.display(description=_("Vorschau"))
    def preview(self, obj):
        if obj is None or obj.pk is None:
            return _("Die Vorschau erscheint nach dem ersten Speichern.")
        if not obj.subject_template:
            return _("Standardtext des Ereignisses (in der Sprache des Lesers).")
        event = (
            WorkflowEvent.objects.filter(event_type__in=obj.mappings.values("event_type"))
            .order_by("-pk")
            .first()
        )
        subject, text = process_preview(process=obj, event=event)
        source = (
            _("mit den Daten von Ereignis #%(id)s") % {"id": event.pk}
            if event
            else _("mit Beispieldaten")
        )
        return format_html(
            '<div data-testid="process-preview"><p><em>{}</em></p>'
            "<p><strong>{}</strong></p><p>{}</p></div>",
            source,
            subject,
            text,
        )


@admin.register(EventProcessMapping)
class EventProcessMappingAdmin(HistoryAdmin):
    list_display = ("event_type", "process", "user", "due_in_days", "active", "description")
    list_filter = ("event_type", "process", "active")
    list_editable = ("active",)
    search_fields = ("description", "user__username")
    autocomplete_fields = ("user",)
    fields = ("event_type", "process", "user", "due_in_days", "active", "description")


@admin.action(description=_("Zugehörige Ereignisse erneut verarbeiten"))
def redispatch_handled_events(modeladmin, request, queryset):
    redispatch_events(
        modeladmin, request, WorkflowEvent.objects.filter(pk__in=queryset.values("event_id"))
    )


@admin.register(HandledProcess)
class HandledProcessAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "event",
        "mapping",
        "status",
        "attempts",
        "last_attempt_at",
        "short_error",
    )
    list_filter = ("status", "mapping__process", "event__event_type")
    search_fields = ("error", "event__id")
    list_select_related = ("event", "mapping")
    actions = [redispatch_handled_events]
    readonly_fields = (
        "event",
        "mapping",
        "status",
        "attempts",
        "last_attempt_at",
        "handled_at",
        "error",
    )

    @admin.display(description=_("Fehler"))
    def short_error(self, obj):
        return (obj.error or "").split("\n", 1)[0][:120]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "subject",
        "assignee",
        "case",
        "deduction",
        "status",
        "priority",
        "due_date",
    )
    list_filter = ("status", "priority")
    search_fields = ("subject", "assignee__username", "case__reference")
    # __str__ of a case reads its product: without it, one query per row.
    list_select_related = ("assignee", "case__product", "deduction__deduction_type")
    raw_id_fields = ("case", "deduction", "participant", "event", "mapping")
    autocomplete_fields = ("assignee",)
    readonly_fields = ("status", "created_at", "closed_at", "closed_by", "event", "mapping")


@admin.register(Notification)
class NotificationAdmin(LargeTableAdminMixin, admin.ModelAdmin):
    list_display = ("id", "recipient", "message", "created_at", "read_at")
    list_filter = (("read_at", admin.EmptyFieldListFilter),)
    search_fields = ("message", "recipient__username")
    list_select_related = ("recipient",)
    readonly_fields = ("created_at", "event", "mapping")
    autocomplete_fields = ("recipient",)
