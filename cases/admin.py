"""Django admin for the cases app. Integrated case types are a code table that
administrators maintain here (IC-1). Integrated cases, product delivery cases (nominees,
components and financial components inline), applications and liabilities are shown
read-only with filters, search and history: they change only through the services."""

from django import forms
from django.contrib import admin

from config import roles
from config.history_display import HistoryAdmin
from config.paging import LargeTableAdminMixin
from participants.admin import ReadOnlyAdminMixin

from . import services
from .models import (
    Activity,
    ActivityType,
    Application,
    CaseComponent,
    CaseMember,
    FinancialComponent,
    IntegratedCase,
    IntegratedCaseType,
    Liability,
    Nominee,
    ProductDeliveryCase,
    Referral,
    ServiceDelivery,
)


class IntegratedCaseTypeForm(forms.ModelForm):
    class Meta:
        model = IntegratedCaseType
        fields = ["code", "name", "is_default", "active"]

    def _get_validation_exclusions(self):
        # "One default" is kept by integrated_case_type_save, which takes the flag from the
        # previous default in the same transaction; the form must not refuse it first.
        exclude = super()._get_validation_exclusions()
        exclude.add("is_default")
        return exclude


@admin.register(IntegratedCaseType)
class IntegratedCaseTypeAdmin(HistoryAdmin):
    form = IntegratedCaseTypeForm
    list_display = ["code", "name", "is_default", "active"]
    list_filter = ["active", "is_default"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return roles.is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return roles.is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # cases refer to their type; retire a type by unticking "Aktiv"

    def has_view_permission(self, request, obj=None):
        return roles.is_administrator(request.user) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return roles.is_administrator(request.user) or super().has_module_permission(request)

    def save_model(self, request, obj, form, change):
        services.integrated_case_type_save(case_type=obj, user=request.user)


class CaseMemberInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaseMember
    fields = ["participant", "role", "added_on"]
    extra = 0


class ServiceDeliveryInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ServiceDelivery
    fields = ["service", "provider", "start_date", "end_date"]
    extra = 0


class ReferralInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Referral
    fields = ["service", "provider", "referral_date", "reason"]
    extra = 0


@admin.register(IntegratedCase)
class IntegratedCaseAdmin(LargeTableAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["reference", "primary_client", "case_type", "status", "opened_on", "closed_on"]
    list_filter = ["status", "case_type", "opened_on"]
    search_fields = ["reference", "primary_client__name", "primary_client__reference"]
    list_select_related = ["primary_client", "case_type"]
    inlines = [CaseMemberInline, ServiceDeliveryInline, ReferralInline]
    history_list_display = ["status", "closure_reason", "closed_on"]


class NomineeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Nominee
    fields = ["participant", "added_on"]
    extra = 0


class CaseComponentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaseComponent
    fields = ["component_type", "nominee", "amount", "start_date", "end_date"]
    extra = 0


class FinancialComponentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FinancialComponent
    fields = [
        "component",
        "nominee",
        "amount",
        "delivery_method",
        "frequency",
        "start_date",
        "end_date",
    ]
    extra = 0


@admin.register(ProductDeliveryCase)
class ProductDeliveryCaseAdmin(LargeTableAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    list_display = [
        "reference",
        "primary_client",
        "product",
        "status",
        "start_date",
        "expected_end_date",
        "case_supervisor",
        "override_max_deduction_rate",
    ]
    list_filter = ["status", "product", "override_max_deduction_rate"]
    search_fields = ["reference", "primary_client__name", "integrated_case__reference"]
    list_select_related = ["primary_client", "product", "case_supervisor"]
    inlines = [NomineeInline, CaseComponentInline, FinancialComponentInline]
    history_list_display = ["status", "override_max_deduction_rate", "expected_end_date"]


@admin.register(Application)
class ApplicationAdmin(LargeTableAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["pk", "applicant", "product", "status", "submitted_on", "decided_on"]
    list_filter = ["status", "product"]
    search_fields = ["applicant__name", "applicant__reference"]


@admin.register(Liability)
class LiabilityAdmin(LargeTableAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    list_display = [
        "liability_case_id",
        "participant",
        "description",
        "original_amount",
        "outstanding_amount",
        "status",
        "settled_on",
    ]
    list_filter = ["status", "settled_on"]
    search_fields = ["liability_case_id", "participant__name", "participant__reference"]
    list_select_related = ["participant"]
    history_list_display = ["outstanding_amount", "status"]


@admin.register(ActivityType)
class ActivityTypeAdmin(HistoryAdmin):
    """IC-11: the code table of activity types, maintained by administrators."""

    list_display = ["code", "name", "active"]
    list_filter = ["active"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return roles.is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return roles.is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # activities refer to their type; retire a type by unticking "Aktiv"

    def has_view_permission(self, request, obj=None):
        return roles.is_administrator(request.user) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return roles.is_administrator(request.user) or super().has_module_permission(request)


@admin.register(Activity)
class ActivityAdmin(LargeTableAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ["subject", "integrated_case", "activity_type", "planned_at", "status"]
    list_filter = ["status", "activity_type"]
    search_fields = ["subject", "integrated_case__reference"]
    list_select_related = ["integrated_case__primary_client", "activity_type"]
