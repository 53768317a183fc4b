"""Serializers of the payments API (thin: shapes only, no business logic)."""

from __future__ import annotations

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import CaseStatus
from config.api import DisplayField, money_field
from products.models import DeductionCategory

from .engine.types import SkipReason
from .models import AgencyAccountEntry, Payment, PaymentKind, PaymentRun, Simulation
from .results import with_displays


def _language() -> str:
    return get_language() or "de"


class SimulateRequestSerializer(serializers.Serializer):
    up_to = serializers.DateField()
    save = serializers.BooleanField(default=False)


class SimulationLineSerializer(serializers.Serializer):
    """Documentation of one deduction line of a simulated payment (SIM-2)."""

    deduction = serializers.IntegerField()
    name = serializers.CharField()
    category = serializers.ChoiceField(choices=DeductionCategory.choices)
    priority = serializers.IntegerField()
    component = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=["processed", "skipped"])
    status_display = serializers.CharField()
    amount = serializers.CharField()
    requested_amount = serializers.CharField()
    reason = serializers.ChoiceField(
        choices=[reason.value for reason in SkipReason], allow_null=True
    )
    reason_display = serializers.CharField(allow_null=True)
    balance_after = serializers.CharField()


class SimulationComponentSerializer(serializers.Serializer):
    component = serializers.IntegerField()
    name = serializers.CharField()
    amount = serializers.CharField()
    tax = serializers.CharField()
    net_before_deductions = serializers.CharField()
    deducted = serializers.CharField()
    net = serializers.CharField()
    deductible = serializers.BooleanField()


class SimulatedPaymentSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    effective_date = serializers.DateField()
    nominee = serializers.IntegerField()
    gross = serializers.CharField()
    tax = serializers.CharField()
    net = serializers.CharField()
    net_before_deductions = serializers.CharField()
    deductible_base = serializers.CharField()
    total_deductible = serializers.CharField()
    total_deducted = serializers.CharField()
    components = SimulationComponentSerializer(many=True)
    deductions = SimulationLineSerializer(many=True)


class SimulationResultSerializer(serializers.Serializer):
    """The answer of POST …/simulate/ (api.md)."""

    id = serializers.IntegerField(allow_null=True)
    case = serializers.IntegerField()
    up_to = serializers.DateField()
    payments = SimulatedPaymentSerializer(many=True)
    # Additions beyond api.md: runs pay active cases only; the notice says so (German or
    # English by Accept-Language) for a suspended, open or closed case, else null.
    case_status = serializers.ChoiceField(choices=CaseStatus.choices, allow_null=True)
    notice = serializers.CharField(allow_null=True)


class SimulationSerializer(serializers.ModelSerializer):
    payments = serializers.SerializerMethodField()
    payment_count = serializers.SerializerMethodField()

    class Meta:
        model = Simulation
        fields = ["id", "case", "up_to", "created_by", "created_at", "payment_count", "payments"]

    @extend_schema_field(SimulatedPaymentSerializer(many=True))
    def get_payments(self, obj) -> list:
        return with_displays(obj.payments, language=_language())

    def get_payment_count(self, obj) -> int:
        return len(obj.payments)


class SimulationListSerializer(SimulationSerializer):
    class Meta(SimulationSerializer.Meta):
        fields = ["id", "case", "up_to", "created_by", "created_at", "payment_count"]


class PaymentSerializer(serializers.ModelSerializer):
    kind_display = DisplayField("kind")
    status_display = DisplayField("status")
    nominee_name = serializers.CharField(source="nominee.name", read_only=True)
    payee_name = serializers.CharField(source="payee.name", read_only=True)
    gross = money_field(read_only=True)
    tax = money_field(read_only=True)
    net = money_field(read_only=True)
    deductions = serializers.SerializerMethodField()
    components = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "case",
            "nominee",
            "nominee_name",
            "payee",
            "payee_name",
            "kind",
            "kind_display",
            "period_start",
            "period_end",
            "effective_date",
            "gross",
            "tax",
            "net",
            "deductions",
            "components",
            "status",
            "status_display",
            "reissue_of",
            "deduction",
            "account_number",
            "reference",
            "cancel_reason",
            "cancelled_at",
            "payment_run_id",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(SimulationLineSerializer(many=True))
    def get_deductions(self, obj) -> list:
        """Each deduction line of a benefit payment (PAY-12); empty for third-party ones."""
        if obj.kind != PaymentKind.BENEFIT:
            return []
        lines = (obj.details or {}).get("deductions", [])
        return with_displays([{"deductions": lines}], language=_language())[0]["deductions"]

    @extend_schema_field(SimulationComponentSerializer(many=True))
    def get_components(self, obj) -> list:
        """Gross, tax, deductions and net per component (PAY-12)."""
        return (obj.details or {}).get("components", [])


class PaymentRunSerializer(serializers.ModelSerializer):
    status_display = DisplayField("status")
    trigger_display = DisplayField("trigger")
    progress = serializers.SerializerMethodField()
    chunks = serializers.SerializerMethodField()

    class Meta:
        model = PaymentRun
        fields = [
            "id",
            "run_date",
            "status",
            "status_display",
            "trigger",
            "trigger_display",
            "progress",
            "chunks",
            "payments_created",
            "started_by",
            "created_at",
            "started_at",
            "finished_at",
            "error",
        ]
        read_only_fields = [f for f in fields if f != "run_date"]

    def get_progress(self, obj) -> dict:
        return {"done": obj.done_cases, "total": obj.total_cases}

    def get_chunks(self, obj) -> dict:
        return {"done": obj.done_chunks, "total": obj.total_chunks}


class PaymentRunCreateSerializer(serializers.Serializer):
    run_date = serializers.DateField()


class AgencyAccountEntrySerializer(serializers.ModelSerializer):
    amount = money_field(read_only=True)
    deduction_type_name = serializers.CharField(source="deduction_type.name", read_only=True)

    class Meta:
        model = AgencyAccountEntry
        fields = [
            "id",
            "case",
            "deduction",
            "deduction_type",
            "deduction_type_name",
            "nominee",
            "payment",
            "period_start",
            "period_end",
            "effective_date",
            "amount",
            "payment_run_id",
        ]
        read_only_fields = fields
