"""Serializers of the payments API (thin: shapes only, no business logic)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import CaseStatus
from config.api import DisplayField, money_field
from config.dates import DateField
from config.fields import DecimalField as StrictDecimalField
from config.ids import MAX_ID
from products.models import DeductionCategory

from .engine.types import SkipReason
from .errors import PaymentError as E
from .models import (
    AgencyAccountEntry,
    Notice,
    NoticeKind,
    Payment,
    PaymentChunk,
    PaymentKind,
    PaymentRun,
    Simulation,
)
from .results import with_displays


def _language() -> str:
    return get_language() or "de"


def _id_field(**kwargs) -> serializers.IntegerField:
    """An optional id in a what-if change: whole numbers in the id range only."""
    return serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, **kwargs)


class WhatIfChangeSerializer(serializers.Serializer):
    """SIM-4: one change of a what-if. With ``deduction``: the fields given change that
    deduction (``action`` is simulated only). Without: a draft deduction (the fields of
    creating one)."""

    deduction = _id_field(allow_null=True)
    amount = StrictDecimalField(max_digits=12, decimal_places=2, required=False, allow_null=True)
    percentage = StrictDecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
    priority = serializers.CharField(required=False, allow_null=True)
    start_date = DateField(required=False)
    end_date = DateField(required=False)
    action = serializers.ChoiceField(choices=["skip", "partial"], required=False)
    deduction_type = _id_field()
    nominee = _id_field(allow_null=True)
    component = _id_field(allow_null=True)
    all_nominees = serializers.BooleanField(required=False)
    liability = _id_field(allow_null=True)
    third_party = _id_field(allow_null=True)
    third_party_account_number = serializers.CharField(required=False, allow_blank=True)
    third_party_reference = serializers.CharField(required=False, allow_blank=True)

    def validate_priority(self, value):
        if value in (None, "", "automatic"):
            return value or None
        if not str(value).isdigit() or int(value) < 1:
            raise serializers.ValidationError(
                "Bitte eine Priorität ab 1 oder „automatic“ angeben.",
                code=E.WHAT_IF_PRIORITY_INVALID,
            )
        return int(value)


class SimulateRequestSerializer(serializers.Serializer):
    up_to = DateField()
    save = serializers.BooleanField(default=False)
    # Additions beyond api.md (issue 14): stop with the period containing the case's
    # expected end date (the pages' default; false keeps api.md's behaviour), and the name
    # and note of a saved simulation.
    stop_at_expected_end = serializers.BooleanField(default=False)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    # SIM-4 (additive): changes to try; the answer then carries a ``what_if`` block.
    changes = WhatIfChangeSerializer(many=True, required=False)

    def validate(self, attrs):
        if attrs.get("save") and attrs.get("changes"):
            raise serializers.ValidationError(
                {
                    "save": [
                        "Eine Was-wäre-wenn-Simulation wird nicht gespeichert: übernehmen Sie "
                        "die Änderungen oder speichern Sie ohne Änderungen."
                    ]
                },
                code=E.WHAT_IF_NOT_SAVED,
            )
        return attrs


class WhatIfApplySerializer(serializers.Serializer):
    changes = WhatIfChangeSerializer(many=True)


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
    needed_amount = serializers.CharField(
        required=False,
        help_text="Skipped lines whose check compared two amounts (PAY-9): the amount checked.",
    )
    limit_amount = serializers.CharField(
        required=False,
        help_text=(
            "With needed_amount: what it was compared with (remaining balance, product "
            "minimum or the type's minimum)."
        ),
    )


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
    period_start = DateField()
    period_end = DateField()
    effective_date = DateField()
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
    up_to = DateField()
    payments = SimulatedPaymentSerializer(many=True)
    # Additions beyond api.md: runs pay active cases only; the notice says so (German or
    # English by Accept-Language) for a suspended, open or closed case, else null.
    case_status = serializers.ChoiceField(choices=CaseStatus.choices, allow_null=True)
    notice = serializers.CharField(allow_null=True)
    # With stop_at_expected_end: the expected end date when periods due by up_to were left
    # out, else null.
    cut_at = DateField(allow_null=True)


class SimulationSerializer(serializers.ModelSerializer):
    payments = serializers.SerializerMethodField()
    payment_count = serializers.SerializerMethodField()

    class Meta:
        model = Simulation
        fields = [
            "id",
            "case",
            "name",
            "note",
            "up_to",
            "created_by",
            "created_at",
            "payment_count",
            "total_gross",
            "total_deducted",
            "total_net",
            "skipped_count",
            "payments",
        ]
        read_only_fields = fields

    @extend_schema_field(SimulatedPaymentSerializer(many=True))
    def get_payments(self, obj) -> list:
        return with_displays(obj.payments, language=_language())

    def get_payment_count(self, obj) -> int:
        return len(obj.payments)


class SimulationListSerializer(SimulationSerializer):
    class Meta(SimulationSerializer.Meta):
        fields = [f for f in SimulationSerializer.Meta.fields if f != "payments"]


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


class FailedChunkSerializer(serializers.ModelSerializer):
    """A failed chunk of a run: its cases, attempts and last error (an addition to api.md,
    see docs/api-additions.md). ``will_retry``: attempts are left and the run goes on."""

    will_retry = serializers.SerializerMethodField()

    class Meta:
        model = PaymentChunk
        fields = [
            "number",
            "first_case_id",
            "last_case_id",
            "case_count",
            "attempts",
            "error",
            "will_retry",
        ]
        read_only_fields = fields

    def get_will_retry(self, obj) -> bool:
        return obj.attempts < int(settings.PAYMENT_CHUNK_MAX_ATTEMPTS)


class PaymentRunSerializer(serializers.ModelSerializer):
    status_display = DisplayField("status")
    trigger_display = DisplayField("trigger")
    progress = serializers.SerializerMethodField()
    chunks = serializers.SerializerMethodField()
    failed_chunks = FailedChunkSerializer(many=True, read_only=True)

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
            "failed_chunks",
        ]
        read_only_fields = [f for f in fields if f != "run_date"]

    def get_progress(self, obj) -> dict:
        return {"done": obj.done_cases, "total": obj.total_cases}

    def get_chunks(self, obj) -> dict:
        return {"done": obj.done_chunks, "total": obj.total_chunks}


class PaymentRunCreateSerializer(serializers.Serializer):
    run_date = DateField()


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


class NoticeSerializer(serializers.ModelSerializer):
    """SIM-5: a notice issued, with the frozen facts it prints."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Notice
        fields = [
            "id",
            "case",
            "kind",
            "kind_display",
            "deduction",
            "payment",
            "facts",
            "facts_digest",
            "issued_by",
            "issued_at",
        ]
        read_only_fields = fields


class NoticeCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NoticeKind.choices, required=False)
    deduction = serializers.IntegerField(required=False)
    payment = serializers.IntegerField(required=False)
