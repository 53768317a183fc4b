"""Django admin: the administrators' tool for products (PR-3), deduction types and
product links (DT-12), with history (simple-history).

Every save goes through products.services, so priorities stay dense and the same rules
hold as over the API. The forms run the services' validation in `clean()`, so messages
appear beside the field before anything is written. Priorities are entered in a form
field `position` that is not the model field: blank means "automatic" (DT-7), and the
model's uniqueness check of the old priority must not refuse a wanted one (the service
shifts the others). Amounts and percentages are typed as text in the page's language
(config.forms.DecimalEntryAdminMixin)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.exceptions import ValidationFailed
from config.forms import DecimalEntryAdminMixin, add_service_errors
from config.history_display import HistoryAdmin
from participants.models import ParticipantType

from . import selectors, services
from .models import ComponentType, DeductionType, Product, ProductDeductionType


def _adopt(obj: models.Model, saved: models.Model) -> None:
    """Admin keeps working with the object its form built; give it the saved state."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


def _position_field(help_text) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Priorität"), required=False, min_value=1, help_text=help_text
    )


# --- products -----------------------------------------------------------------------------


class ProductAdminForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = list(services.PRODUCT_FIELDS)

    def clean(self):
        cleaned = super().clean()
        values = {f: cleaned[f] for f in services.PRODUCT_FIELDS if f in cleaned}
        try:
            services.product_validate(data=values)
        except ValidationFailed as exc:
            add_service_errors(self, exc)
        if self.instance.pk and "payment_frequency" in self.changed_data:
            refusal = services.product_frequency_change_refusal(product=self.instance)
            if refusal:
                self.add_error("payment_frequency", refusal)
        return cleaned


class ComponentTypeInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if self.can_delete and self._should_delete_form(form):
                if form.instance.pk and selectors.component_type_in_use(
                    component_type=form.instance
                ):
                    raise ValidationError(
                        gettext(
                            "Der Komponententyp „%(name)s“ wird von Fallkomponenten verwendet "
                            "und kann nicht gelöscht werden."
                        )
                        % {"name": form.instance.name}
                    )
                continue
            name = str(form.cleaned_data.get("name") or "").strip().casefold()
            if name and name in seen:
                raise ValidationError(gettext("Jeder Komponententyp braucht einen eigenen Namen."))
            seen.add(name)


class ComponentTypeInline(DecimalEntryAdminMixin, admin.TabularInline):
    model = ComponentType
    formset = ComponentTypeInlineFormSet
    fields = ["name", "deductible", "taxable"]
    extra = 1


class ProductLinkInlineForm(forms.ModelForm):
    position = _position_field(
        _(
            "Leer lassen: die Priorität des Abzugstyps (höchstens die nächste freie des "
            "Produkts); Verknüpfungen mit gleicher Priorität rücken nach."
        )
    )

    class Meta:
        model = ProductDeductionType
        fields = ["deduction_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["position"] = self.instance.priority

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "deduction_type" in self.changed_data:
            self.add_error(
                "deduction_type",
                gettext(
                    "Der Abzugstyp einer bestehenden Verknüpfung kann nicht geändert werden. "
                    "Löschen Sie die Verknüpfung und fügen Sie eine neue hinzu."
                ),
            )
        return cleaned


class ProductDeductionTypeInline(DecimalEntryAdminMixin, admin.TabularInline):
    """DT-10, DT-11, DT-12: the product's linked types, ordered by link priority."""

    model = ProductDeductionType
    form = ProductLinkInlineForm
    fields = ["position", "deduction_type"]
    ordering = ["priority", "pk"]
    extra = 1
    verbose_name = _("Verknüpfter Abzugstyp")
    verbose_name_plural = _("Verknüpfte Abzugstypen (nach Priorität)")


@admin.register(Product)
class ProductAdmin(DecimalEntryAdminMixin, HistoryAdmin):
    """PR-1..3 and DT-10..12: products, their component types and linked types."""

    form = ProductAdminForm
    list_display = [
        "name",
        "payment_frequency",
        "max_deduction_rate",
        "min_deduction_amount",
        "min_payment_amount",
        "tax_rate",
        "has_application_process",
    ]
    list_filter = ["payment_frequency", "has_application_process"]
    search_fields = ["name"]
    inlines = [ComponentTypeInline, ProductDeductionTypeInline]
    history_list_display = [
        "max_deduction_rate",
        "min_deduction_amount",
        "min_payment_amount",
        "tax_rate",
    ]

    def save_model(self, request, obj, form, change):
        data = {f: form.cleaned_data[f] for f in services.PRODUCT_FIELDS if f in form.cleaned_data}
        if change:
            saved = services.product_update(product=obj, data=data, user=request.user)
        else:
            saved = services.product_create(**data, user=request.user)
        _adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        if formset.model is ComponentType:
            self._save_component_types(request, form.instance, formset)
        elif formset.model is ProductDeductionType:
            self._save_links(request, form.instance, formset)
        else:  # pragma: no cover - no other inlines
            super().save_formset(request, form, formset, change)

    def _save_component_types(self, request, product, formset):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        deleted = [f for f in formset.deleted_forms if f.instance.pk]
        for f in deleted:
            services.component_type_delete(component_type=f.instance, user=request.user)
            formset.deleted_objects.append(f.instance)
        for f in formset.forms:
            if f in formset.deleted_forms or not f.has_changed():
                continue
            data = {k: f.cleaned_data[k] for k in services.COMPONENT_TYPE_FIELDS}
            if f.instance.pk:
                saved = services.component_type_update(
                    component_type=f.instance, data=data, user=request.user
                )
                formset.changed_objects.append((saved, f.changed_data))
            else:
                saved = services.component_type_add(product=product, user=request.user, **data)
                formset.new_objects.append(saved)
            _adopt(f.instance, saved)

    def _save_links(self, request, product, formset):
        """Unlinks first, then moves (by wanted priority), then new links: those left
        blank at their type's priority (DT-11, in type priority order), then those with a
        wanted priority (in that order). Each goes through the services, so the result is
        dense and every wanted priority not overtaken by a later one holds."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for f in formset.deleted_forms:
            if f.instance.pk:
                services.product_link_remove(link=f.instance, user=request.user)
                formset.deleted_objects.append(f.instance)
        moves, new = [], []
        for index, f in enumerate(formset.forms):
            if f in formset.deleted_forms or not f.has_changed():
                continue
            position = f.cleaned_data.get("position")
            key = (position is None, position or 0, index)
            if position is None and not f.instance.pk:
                # A new link left blank: at its type's priority (DT-11), before the links
                # with a wanted priority, so that those hold.
                deduction_type = f.cleaned_data.get("deduction_type")
                key = (False, 0, getattr(deduction_type, "priority", 0), index)
            elif not f.instance.pk:
                key = (True, *key)
            if f.instance.pk:
                if "position" in f.changed_data:
                    moves.append((key, f))
            elif f.cleaned_data.get("deduction_type") is not None:
                new.append((key, f))
        for _key, f in sorted(moves, key=lambda item: item[0]):
            saved = services.product_link_move(
                link=f.instance, priority=f.cleaned_data.get("position"), user=request.user
            )
            formset.changed_objects.append((saved, ["priority"]))
        for _key, f in sorted(new, key=lambda item: item[0]):
            saved = services.product_link_add(
                product=product,
                deduction_type=f.cleaned_data["deduction_type"],
                priority=f.cleaned_data.get("position"),
                user=request.user,
            )
            _adopt(f.instance, saved)
            formset.new_objects.append(saved)


# --- deduction types ----------------------------------------------------------------------


class DeductionTypeAdminForm(forms.ModelForm):
    position = _position_field(
        _("Leer lassen: Priorität automatisch zuweisen (nächste freie Priorität).")
    )
    allowed_participant_types = forms.MultipleChoiceField(
        label=_("Zulässige Beteiligtentypen"),
        choices=ParticipantType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Wer als Inhaber der Verbindlichkeit (ausgeführt) oder als Zahlungsempfänger "
            "(Dritte) gewählt werden darf."
        ),
    )

    class Meta:
        model = DeductionType
        fields = list(services.DEDUCTION_TYPE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["position"] = self.instance.priority

    def clean(self):
        cleaned = super().clean()
        values = {f: cleaned[f] for f in services.DEDUCTION_TYPE_FIELDS if f in cleaned}
        try:
            services.deduction_type_validate(values=values)
        except ValidationFailed as exc:
            add_service_errors(self, exc)
        if (
            self.instance.pk
            and "category" in self.changed_data
            and selectors.deduction_type_in_use(deduction_type=self.instance)
        ):
            self.add_error(
                "category",
                gettext(
                    "Die Abzugskategorie kann nicht mehr geändert werden, weil der Abzugstyp "
                    "bereits für Abzüge verwendet wird."
                ),
            )
        return cleaned


class LinkedProductsInline(DecimalEntryAdminMixin, admin.TabularInline):
    """Read-only: the products the type is linked to (links are kept on the product)."""

    model = ProductDeductionType
    fields = ["product", "priority"]
    readonly_fields = ["product", "priority"]
    ordering = ["product__name"]
    extra = 0
    can_delete = False
    verbose_name = _("Verknüpftes Leistungsprodukt")
    verbose_name_plural = _("Verknüpfte Leistungsprodukte")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DeductionType)
class DeductionTypeAdmin(DecimalEntryAdminMixin, HistoryAdmin):
    """DT-1..9, DT-12: filters by category and action, search by name, history."""

    form = DeductionTypeAdminForm
    list_display = [
        "priority",
        "name",
        "category",
        "insufficient_balance_action",
        "min_amount",
        "max_amount",
        "default_amount",
        "max_percentage",
        "default_percentage",
    ]
    list_display_links = ["name"]
    list_filter = ["category", "insufficient_balance_action"]
    search_fields = ["name"]
    ordering = ["priority"]
    inlines = [LinkedProductsInline]
    fieldsets = [
        (None, {"fields": ["name", "category", "position", "insufficient_balance_action"]}),
        (
            _("Betragsgrenzen (fester Betrag)"),
            {"fields": ["min_amount", "max_amount", "default_amount"]},
        ),
        (_("Variabler Satz"), {"fields": ["max_percentage", "default_percentage"]}),
        (None, {"fields": ["allowed_participant_types"]}),
    ]
    history_list_display = ["priority", "category", "min_amount", "max_amount"]

    def save_model(self, request, obj, form, change):
        data = {
            f: form.cleaned_data[f]
            for f in services.DEDUCTION_TYPE_FIELDS
            if f in form.cleaned_data
        }
        position = form.cleaned_data.get("position")
        if change:
            if "position" in form.changed_data:
                data["priority"] = position
            saved = services.deduction_type_update(deduction_type=obj, data=data, user=request.user)
        else:
            saved = services.deduction_type_create(**data, priority=position, user=request.user)
        _adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        # The only inline is read-only; nothing to save.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def delete_view(self, request, object_id, extra_context=None):
        # A linked or used type: say why at once, instead of Django's list of protected
        # rows (which, for rows the administrator may not delete, reads as a rights issue).
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            refusal = services.deduction_type_delete_refusal(deduction_type=obj)
            if refusal:
                self.message_user(request, refusal, level=messages.ERROR)
                return redirect(reverse("admin:products_deductiontype_change", args=[obj.pk]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        services.deduction_type_delete(deduction_type=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset.order_by("-priority"):
            services.deduction_type_delete(deduction_type=obj, user=request.user)


# --- read-only views for the history of component types and links ------------------------


class _ListAndHistoryAdmin(DecimalEntryAdminMixin, HistoryAdmin):
    """Component types and links are added and changed on the product page; here their
    lists and histories, and deleting (through the services)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(ProductDeductionType)
class ProductDeductionTypeAdmin(_ListAndHistoryAdmin):
    list_display = ["product", "priority", "deduction_type"]
    list_filter = ["product", "deduction_type__category"]
    search_fields = ["product__name", "deduction_type__name"]
    ordering = ["product__name", "priority"]

    def delete_model(self, request, obj):
        services.product_link_remove(link=obj, user=request.user)


@admin.register(ComponentType)
class ComponentTypeAdmin(_ListAndHistoryAdmin):
    list_display = ["name", "product", "deductible", "taxable"]
    list_filter = ["product", "deductible", "taxable"]
    search_fields = ["name", "product__name"]

    def delete_model(self, request, obj):
        services.component_type_delete(component_type=obj, user=request.user)
