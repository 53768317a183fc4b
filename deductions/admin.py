"""Django admin of case deductions: read-mostly, with history (CD-15).

Deductions are created and changed by caseworkers through the pages and the API, where
every rule and the outbox event live (deductions.services). Admin shows them with their
simple-history and offers the status actions through the same services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from config.exceptions import IllegalTransition
from config.forms import DecimalEntryAdminMixin
from config.history_display import HistoryAdmin
from config.paging import LargeTableAdminMixin

from . import services
from .models import Deduction


def _run(modeladmin, request, queryset, service, done_message):
    done = 0
    for deduction in queryset:
        try:
            service(deduction=deduction, user=request.user)
            done += 1
        except IllegalTransition as exc:
            modeladmin.message_user(request, f"{deduction}: {exc.message}", messages.WARNING)
    if done:
        modeladmin.message_user(request, done_message % {"n": done}, messages.SUCCESS)


@admin.action(description=_("Ausgewählte Abzüge aktivieren"))
def activate(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, services.deduction_activate, _("%(n)s Abzüge aktiviert."))


@admin.action(description=_("Ausgewählte Abzüge deaktivieren"))
def deactivate(modeladmin, request, queryset):
    _run(
        modeladmin,
        request,
        queryset,
        services.deduction_deactivate,
        _("%(n)s Abzüge deaktiviert."),
    )


@admin.register(Deduction)
class DeductionAdmin(LargeTableAdminMixin, DecimalEntryAdminMixin, HistoryAdmin):
    list_display = (
        "id",
        "deduction_type",
        "category",
        "case",
        "priority",
        "amount",
        "percentage",
        "start_date",
        "end_date",
        "status",
        "business_status_label",
    )
    # The start date as a list filter, not a date hierarchy: the hierarchy's MIN/MAX and
    # its years read every deduction on each visit (docs/performance.md).
    list_filter = ("category", "status", "deduction_type", "start_date")
    search_fields = (
        "deduction_type__name",
        "case__reference",
        "case__primary_client__name",
        "third_party__name",
        "third_party_reference",
    )
    list_select_related = ("deduction_type", "case", "case__product", "liability")
    actions = [activate, deactivate]
    history_list_display = ["status", "priority", "amount", "percentage"]

    @admin.display(description=_("Geschäftsstatus"))
    def business_status_label(self, obj):
        return obj.get_business_status_display()

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
