"""REST representation of case deductions (api.md "Deductions"). Thin: parsing and output
only; every rule lives in deductions.services."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from cases.models import CaseComponent, Liability, ProductDeliveryCase
from config.api import DisplayField, StatusThroughActionsMixin, money_field
from config.dates import DateField
from config.fields import DecimalField, IdRelatedField
from config.ids import MAX_PRIORITY
from participants.models import Participant
from products.models import DeductionCategory, DeductionType

from . import services
from .errors import DeductionError
from .models import BusinessStatus, Deduction, DeductionStatus


@extend_schema_field(
    {
        "oneOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": ["automatic"]}],
        "nullable": True,
        "description": "Zahl = gewünschte Position; null = Priorität der Produktverknüpfung; "
        '"automatic" = nächste freie Priorität.',
    }
)
class PriorityField(serializers.Field):
    """A wanted priority: a number ≥ 1, null (from the product link) or "automatic"."""

    default_error_messages = {
        DeductionError.PRIORITY_INVALID.value: (
            "Die Priorität muss eine ganze Zahl ab 1, null oder „automatic“ sein."
        ),
        DeductionError.PRIORITY_TOO_LARGE.value: _("Die Priorität darf höchstens %(max)s sein."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip().lower() == services.AUTOMATIC:
            return services.AUTOMATIC
        if isinstance(data, bool):
            self.fail(DeductionError.PRIORITY_INVALID)
        if isinstance(data, int):
            value = data
        elif isinstance(data, str) and data.strip().isascii() and data.strip().isdigit():
            value = int(data.strip())
        else:
            self.fail(DeductionError.PRIORITY_INVALID)
        if value < 1:
            self.fail(DeductionError.PRIORITY_INVALID)
        if value > MAX_PRIORITY:
            self.fail(DeductionError.PRIORITY_TOO_LARGE, max=MAX_PRIORITY)
        return value

    def to_representation(self, value):
        return value


class DeductionSerializer(StatusThroughActionsMixin, serializers.ModelSerializer):
    status_actions_message = _(
        "Den Status ändern Sie über die Aktionen activate/deactivate/cancel."
    )

    case = IdRelatedField(queryset=ProductDeliveryCase.objects.all())
    deduction_type = IdRelatedField(queryset=DeductionType.objects.all())
    deduction_type_name = serializers.CharField(source="deduction_type.name", read_only=True)
    category = serializers.ChoiceField(choices=DeductionCategory.choices, required=False)
    category_display = DisplayField("category")
    amount = money_field(required=False, allow_null=True)
    percentage = DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, coerce_to_string=True
    )
    nominee = IdRelatedField(queryset=Participant.objects.all(), required=False, allow_null=True)
    nominee_name = serializers.CharField(source="nominee.name", read_only=True, default=None)
    component = IdRelatedField(
        queryset=CaseComponent.objects.all(), required=False, allow_null=True
    )
    all_nominees = serializers.BooleanField(required=False, default=False)
    start_date = DateField()
    end_date = DateField()
    priority = PriorityField()
    status = serializers.ChoiceField(choices=DeductionStatus.choices, read_only=True)
    status_display = DisplayField("status")
    business_status = serializers.ChoiceField(
        choices=BusinessStatus.choices, read_only=True, allow_null=True
    )
    business_status_display = serializers.CharField(
        source="get_business_status_display", read_only=True, allow_null=True
    )
    liability = IdRelatedField(queryset=Liability.objects.all(), required=False, allow_null=True)
    # Applied: whose liability is paid (CD-3); on input it may stand alone when the holder
    # has exactly one open liability.
    liability_holder = IdRelatedField(
        queryset=Participant.objects.all(), required=False, allow_null=True
    )
    liability_holder_name = serializers.CharField(
        source="liability.participant.name", read_only=True, default=None
    )
    liability_case_id = serializers.CharField(
        source="liability.liability_case_id", read_only=True, default=None
    )
    third_party = IdRelatedField(
        queryset=Participant.objects.all(), required=False, allow_null=True
    )
    third_party_name = serializers.CharField(
        source="third_party.name", read_only=True, default=None
    )
    third_party_account_number = serializers.CharField(
        required=False, allow_blank=True, max_length=50
    )
    third_party_reference = serializers.CharField(required=False, allow_blank=True, max_length=60)
    activate = serializers.BooleanField(write_only=True, required=False, default=False)
    processed_total = money_field(read_only=True)
    created_by = serializers.CharField(source="created_by.get_username", read_only=True)

    class Meta:
        model = Deduction
        fields = [
            "id",
            "case",
            "deduction_type",
            "deduction_type_name",
            "category",
            "category_display",
            "amount",
            "percentage",
            "nominee",
            "nominee_name",
            "component",
            "all_nominees",
            "start_date",
            "end_date",
            "priority",
            "status",
            "status_display",
            "business_status",
            "business_status_display",
            "liability",
            "liability_holder",
            "liability_holder_name",
            "liability_case_id",
            "third_party",
            "third_party_name",
            "third_party_account_number",
            "third_party_reference",
            "activate",
            "processed_total",
            "activated_on",
            "last_processed_on",
            "created_on",
            "created_by",
        ]
        read_only_fields = ["activated_on", "last_processed_on", "created_on"]
        # Uniqueness and the other rules are the services' job (one place, one message).
        validators: list = []

    # Fields fixed at creation; an update naming another value is refused (CD-13).
    IMMUTABLE = (
        "case",
        "deduction_type",
        "category",
        "nominee",
        "component",
        "all_nominees",
        "liability",
        "liability_holder",
    )

    def create(self, validated_data):
        return services.deduction_create(user=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        errors: dict[str, list[str]] = {}
        for name in self.IMMUTABLE:
            if name not in self.initial_data or name not in validated_data:
                continue
            given, current = validated_data[name], getattr(instance, name)
            if getattr(given, "pk", given) != getattr(current, "pk", current):
                errors[name] = [
                    ErrorDetail(
                        "Kann nach dem Anlegen nicht mehr geändert werden.",
                        code=DeductionError.FIELD_IMMUTABLE,
                    )
                ]
        if validated_data.get("activate") and "activate" in self.initial_data:
            errors["activate"] = [
                ErrorDetail(
                    "Beim Ändern nicht möglich; verwenden Sie die Aktion „activate“.",
                    code=DeductionError.ACTIVATE_ON_UPDATE,
                )
            ]
        if errors:
            raise serializers.ValidationError(errors)
        changes = {
            name: validated_data[name]
            for name in services.EDITABLE_FIELDS
            if name in validated_data and name in self.initial_data
        }
        return services.deduction_update(
            deduction=instance, user=self.context["request"].user, **changes
        )


class DeductionHistorySerializer(serializers.Serializer):
    """One entry of GET /deductions/{id}/history/ (CD-15)."""

    date = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    user_name = serializers.CharField(allow_null=True)
    event = serializers.CharField()
    event_display = serializers.CharField()
    status = serializers.ChoiceField(choices=DeductionStatus.choices)
    status_display = serializers.CharField()
    amount = money_field(allow_null=True)
    percentage = DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, coerce_to_string=True
    )
    priority = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    reason_display = serializers.CharField(allow_null=True)
    payment = serializers.IntegerField(allow_null=True)
    period_start = DateField(allow_null=True)
    period_end = DateField(allow_null=True)
    liability_outstanding = money_field(allow_null=True)
    liability_original = money_field(allow_null=True)
    needed_amount = money_field(allow_null=True)
    limit_amount = money_field(allow_null=True)


class TransitionSerializer(serializers.Serializer):
    """Body of the cancel action: an optional reason kept in the history."""

    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
