"""Serializers of the products API (api.md: products, deduction types, product links).

Input serializers check shapes and types only; the rules (PR-1, DT-5, priorities) are in
products.services, which the views call."""

from decimal import Decimal

from rest_framework import serializers

from config.api import DisplayField, money_field
from config.fields import DecimalField, IdRelatedField
from config.ids import MAX_PRIORITY
from participants.models import ParticipantType

from .errors import ProductError as E
from .models import (
    ComponentType,
    DeductionCategory,
    DeductionType,
    InsufficientBalanceAction,
    PaymentFrequency,
    Product,
    ProductDeductionType,
)


def percent_field(**kwargs) -> serializers.DecimalField:
    kwargs.setdefault("max_digits", 5)
    kwargs.setdefault("decimal_places", 2)
    return DecimalField(coerce_to_string=True, **kwargs)


class ComponentTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ComponentType
        fields = ["id", "name", "deductible", "taxable"]
        read_only_fields = ["id"]
        # Uniqueness within the product is checked by the service (the product is not
        # part of this payload).
        validators: list = []


class ComponentTypeUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    deductible = serializers.BooleanField(required=False)
    taxable = serializers.BooleanField(required=False)


class ProductSerializer(serializers.ModelSerializer):
    """api.md products. `component_types` is writable on create only; later changes go
    through `/products/{id}/component-types/`."""

    payment_frequency = serializers.ChoiceField(choices=PaymentFrequency.choices)
    payment_frequency_display = DisplayField("payment_frequency")
    max_deduction_rate = percent_field()
    min_deduction_amount = money_field(required=False)
    min_payment_amount = money_field(required=False)
    tax_rate = percent_field(required=False, allow_null=True)
    component_types = ComponentTypeSerializer(many=True, required=False)

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "payment_frequency",
            "payment_frequency_display",
            "max_deduction_rate",
            "min_deduction_amount",
            "min_payment_amount",
            "tax_rate",
            "has_application_process",
            "component_types",
        ]
        read_only_fields = ["id"]
        # Name uniqueness is checked by the service's full_clean (400 naming "name").
        extra_kwargs = {"name": {"validators": []}}

    def validate(self, attrs):
        if self.instance is not None and "component_types" in attrs:
            raise serializers.ValidationError(
                {
                    "component_types": [
                        "Komponententypen werden nach dem Anlegen über "
                        "/api/v1/products/{id}/component-types/ gepflegt."
                    ]
                },
                code=E.COMPONENT_TYPES_AFTER_CREATE,
            )
        return attrs


class DeductionTypeSerializer(serializers.ModelSerializer):
    """api.md deduction types. `priority` null (or absent) on input = automatic (DT-7)."""

    category = serializers.ChoiceField(choices=DeductionCategory.choices)
    category_display = DisplayField("category")
    insufficient_balance_action = serializers.ChoiceField(
        choices=InsufficientBalanceAction.choices, required=False
    )
    insufficient_balance_action_display = DisplayField("insufficient_balance_action")
    max_amount = money_field(required=False, allow_null=True)
    min_amount = money_field(required=False, allow_null=True)
    default_amount = money_field(required=False, allow_null=True)
    max_percentage = percent_field(required=False, allow_null=True)
    default_percentage = percent_field(required=False, allow_null=True)
    priority = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_PRIORITY
    )
    allowed_participant_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ParticipantType.choices), required=False
    )
    allowed_participant_types_display = serializers.SerializerMethodField()

    class Meta:
        model = DeductionType
        fields = [
            "id",
            "name",
            "category",
            "category_display",
            "max_amount",
            "min_amount",
            "default_amount",
            "max_percentage",
            "default_percentage",
            "priority",
            "allowed_participant_types",
            "allowed_participant_types_display",
            "insufficient_balance_action",
            "insufficient_balance_action_display",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"name": {"validators": []}}
        validators: list = []

    def get_allowed_participant_types_display(self, obj) -> list[str]:
        labels = dict(ParticipantType.choices)
        return [str(labels.get(code, code)) for code in obj.allowed_participant_types or []]


class ProductLinkSerializer(serializers.ModelSerializer):
    """A type linked to a product, with its link priority (DT-11)."""

    deduction_type = serializers.IntegerField(source="deduction_type_id", read_only=True)
    name = serializers.CharField(source="deduction_type.name", read_only=True)
    category = serializers.ChoiceField(
        choices=DeductionCategory.choices, source="deduction_type.category", read_only=True
    )
    category_display = serializers.CharField(
        source="deduction_type.get_category_display", read_only=True
    )
    deduction_type_detail = DeductionTypeSerializer(source="deduction_type", read_only=True)

    class Meta:
        model = ProductDeductionType
        fields = [
            "deduction_type",
            "priority",
            "name",
            "category",
            "category_display",
            "deduction_type_detail",
        ]
        read_only_fields = fields


class ProductLinkCreateSerializer(serializers.Serializer):
    """POST /products/{id}/deduction-types/: `deduction_type` (one id) as api.md, or
    `deduction_types` (several ids, linked in that order)."""

    deduction_type = IdRelatedField(queryset=DeductionType.objects.all(), required=False)
    deduction_types = IdRelatedField(
        queryset=DeductionType.objects.all(), many=True, required=False
    )
    priority = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_PRIORITY
    )

    def validate(self, attrs):
        one, many = attrs.get("deduction_type"), attrs.get("deduction_types")
        if (one is None) == (not many):
            raise serializers.ValidationError(
                {"deduction_type": ["Bitte genau einen Abzugstyp oder eine Liste angeben."]},
                code=E.LINK_TYPES_AMBIGUOUS,
            )
        return attrs


class ProductLinkUpdateSerializer(serializers.Serializer):
    """PATCH /products/{id}/deduction-types/{type_id}/: null = to the end."""

    priority = serializers.IntegerField(allow_null=True, min_value=1, max_value=MAX_PRIORITY)


class NewDeductionTypeForProductSerializer(DeductionTypeSerializer):
    """POST /products/{id}/deduction-types/new/: the type's fields plus `link_priority`."""

    link_priority = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_PRIORITY, write_only=True
    )

    class Meta(DeductionTypeSerializer.Meta):
        fields = [*DeductionTypeSerializer.Meta.fields, "link_priority"]


def _plain(value):
    """History values as JSON: money and percentages as strings, like everywhere else."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


class HistoryEntrySerializer(serializers.Serializer):
    """PR-3 / DT-12: one history row: when, who, what, why, and old → new per field."""

    date = serializers.DateTimeField()
    user = serializers.CharField(allow_null=True)
    event = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    changes = serializers.SerializerMethodField()

    def get_changes(self, entry) -> list[dict]:
        return [
            {"field": c["field"], "old": _plain(c["old"]), "new": _plain(c["new"])}
            for c in entry["changes"]
        ]
