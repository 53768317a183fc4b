"""Django admin for participants: read-only views with bank accounts inline, filters,
search and history. Participants are registered and changed on the caseworker pages and
the API, so that the services generate references and raise the PT-3 warnings/events."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.history_display import HistoryAdmin
from config.paging import LargeTableAdminMixin

from .models import BankAccount, Participant


class ReadOnlyAdminMixin:
    """Everything visible, nothing editable here: writes go through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BankAccountInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = BankAccount
    fields = ["account_name", "account_number", "bic"]
    extra = 0


class EndedFilter(admin.SimpleListFilter):
    title = _("beendet")
    parameter_name = "ended"

    def lookups(self, request, model_admin):
        return [("yes", _("Ja")), ("no", _("Nein"))]

    def queryset(self, request, queryset):
        from .selectors import ended_condition

        if self.value() == "yes":
            return queryset.filter(ended_condition())
        if self.value() == "no":
            return queryset.exclude(ended_condition())
        return queryset


@admin.register(Participant)
class ParticipantAdmin(LargeTableAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["reference", "name", "type", "date_of_birth", "trading_status", "end_date"]
    list_filter = ["type", "trading_status", EndedFilter]
    search_fields = ["name", "reference"]
    inlines = [BankAccountInline]
    readonly_fields = ["created_at", "updated_at"]
    history_list_display = ["type", "name", "date_of_death", "trading_status", "end_date"]
