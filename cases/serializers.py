"""Serializers of the cases API: shape and type checks only; rules live in services."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.relations import PKOnlyObject

from config.api import DisplayField, StatusThroughActionsMixin, money_field
from config.dates import DateField
from config.fields import IdRelatedField
from participants.models import PERSON_TYPES, Participant, ParticipantType
from products.models import ComponentType, Product

from .models import (
    Activity,
    ActivityType,
    Application,
    CaseComponent,
    CaseMember,
    FinancialComponent,
    IntegratedCase,
    IntegratedCaseStatus,
    IntegratedCaseType,
    Liability,
    MemberRole,
    ProductDeliveryCase,
    Referral,
    ServiceDelivery,
)

User = get_user_model()
PERSON_CHOICES = [(t.value, t.label) for t in ParticipantType if t in PERSON_TYPES]


def _user_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.username


class IntegratedCaseTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = IntegratedCaseType
        fields = ["code", "name", "is_default"]


class NewClientSerializer(serializers.Serializer):
    """A person or prospect registered in the same request (IC-1, IC-2)."""

    type = serializers.ChoiceField(choices=PERSON_CHOICES, default=ParticipantType.PERSON)
    name = serializers.CharField(max_length=200, allow_blank=True)
    date_of_birth = DateField(required=False, allow_null=True)
    address = serializers.CharField(required=False, allow_blank=True, default="")


class CaseMemberSerializer(serializers.ModelSerializer):
    participant_name = serializers.CharField(source="participant.name", read_only=True)
    participant_reference = serializers.CharField(source="participant.reference", read_only=True)
    role_display = DisplayField("role")

    class Meta:
        model = CaseMember
        fields = [
            "id",
            "participant",
            "participant_name",
            "participant_reference",
            "role",
            "role_display",
            "added_on",
        ]


class CaseMemberAddSerializer(serializers.Serializer):
    participant = IdRelatedField(
        queryset=Participant.objects.all(), required=False, allow_null=True
    )
    new_person = NewClientSerializer(required=False)
    role = serializers.ChoiceField(choices=MemberRole.choices, default=MemberRole.HOUSEHOLD_MEMBER)


class IntegratedCaseSerializer(serializers.ModelSerializer):
    case_type = serializers.SlugRelatedField(
        slug_field="code", queryset=IntegratedCaseType.objects.all(), required=False
    )
    case_type_name = serializers.CharField(source="case_type.name", read_only=True)
    primary_client = IdRelatedField(queryset=Participant.objects.all(), required=False)
    primary_client_name = serializers.CharField(source="primary_client.name", read_only=True)
    new_client = NewClientSerializer(required=False, write_only=True)
    # IC-10: the first product delivery case, created with the integrated case.
    product = IdRelatedField(
        queryset=Product.objects.all(), required=False, allow_null=True, write_only=True
    )
    start_date = DateField(required=False, allow_null=True, write_only=True)
    expected_end_date = DateField(required=False, allow_null=True, write_only=True)
    nominees = IdRelatedField(
        queryset=Participant.objects.all(), many=True, required=False, write_only=True
    )
    status_display = DisplayField("status")
    members = CaseMemberSerializer(many=True, read_only=True)
    product_delivery_cases = IdRelatedField(many=True, read_only=True)
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = IntegratedCase
        fields = [
            "id",
            "reference",
            "case_type",
            "case_type_name",
            "primary_client",
            "primary_client_name",
            "new_client",
            "product",
            "start_date",
            "expected_end_date",
            "nominees",
            "status",
            "status_display",
            "opened_on",
            "closed_on",
            "closure_reason",
            "members",
            "product_delivery_cases",
            "created_by",
            "created_by_name",
            "created_at",
        ]
        read_only_fields = [
            "reference",
            "status",
            "closed_on",
            "closure_reason",
            "created_by",
            "created_at",
        ]
        extra_kwargs = {"opened_on": {"required": False}}

    def get_created_by_name(self, obj) -> str | None:
        return _user_name(obj.created_by)


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    closed_on = DateField(required=False, allow_null=True)
    # IC-11: required when the case has planned activities.
    planned_activities = serializers.ChoiceField(
        choices=["cancel", "keep"], required=False, allow_null=True
    )


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class IntegratedCaseHistorySerializer(serializers.Serializer):
    date = serializers.DateTimeField(source="history_date")
    user = serializers.SerializerMethodField()
    change = serializers.CharField(source="get_history_type_display")
    status = serializers.ChoiceField(choices=IntegratedCaseStatus.choices)
    reason = serializers.CharField(source="history_change_reason", allow_null=True)
    closure_reason = serializers.CharField()
    closed_on = DateField(allow_null=True)

    def get_user(self, obj) -> str | None:
        return _user_name(obj.history_user)


class ServiceDeliverySerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True, default=None)

    class Meta:
        model = ServiceDelivery
        fields = [
            "id",
            "integrated_case",
            "service",
            "provider",
            "provider_name",
            "start_date",
            "end_date",
            "notes",
        ]
        read_only_fields = ["integrated_case"]
        extra_kwargs = {"service": {"allow_blank": True}, "notes": {"required": False}}


class ReferralSerializer(serializers.ModelSerializer):
    provider_name = serializers.CharField(source="provider.name", read_only=True, default=None)

    class Meta:
        model = Referral
        fields = [
            "id",
            "integrated_case",
            "service",
            "provider",
            "provider_name",
            "referral_date",
            "reason",
        ]
        read_only_fields = ["integrated_case"]
        extra_kwargs = {
            "service": {"allow_blank": True},
            "referral_date": {"required": False},
            "reason": {"required": False},
        }


class NomineeIdsField(serializers.ManyRelatedField):
    """The case's nominees as participant ids, read from the prefetched `nominee_links`
    (no query per case), in the order of PAY-6: the primary client first, then by id. On
    input a list of participant ids, as a PrimaryKeyRelatedField(many=True)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("child_relation", IdRelatedField(queryset=Participant.objects.all()))
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        if instance.pk is None:
            return []
        ids = sorted(
            (link.participant_id for link in instance.nominee_links.all()),
            key=lambda pid: (pid != instance.primary_client_id, pid),
        )
        return [PKOnlyObject(pk=pid) for pid in ids]


class ProductDeliveryCaseSerializer(StatusThroughActionsMixin, serializers.ModelSerializer):
    status_actions_message = _(
        "Den Status ändern Sie über die Aktionen activate/suspend/resume/close."
    )
    product = IdRelatedField(queryset=Product.objects.all())
    product_name = serializers.CharField(source="product.name", read_only=True)
    integrated_case = IdRelatedField(queryset=IntegratedCase.objects.all())
    integrated_case_reference = serializers.CharField(
        source="integrated_case.reference", read_only=True
    )
    primary_client_name = serializers.CharField(source="primary_client.name", read_only=True)
    status_display = DisplayField("status")
    case_supervisor = IdRelatedField(queryset=User.objects.all(), required=False)
    case_supervisor_name = serializers.SerializerMethodField()
    nominees = NomineeIdsField(required=False)
    frequency = serializers.CharField(source="product.payment_frequency", read_only=True)
    frequency_display = serializers.CharField(
        source="product.get_payment_frequency_display", read_only=True
    )

    class Meta:
        model = ProductDeliveryCase
        fields = [
            "id",
            "reference",
            "integrated_case",
            "integrated_case_reference",
            "product",
            "product_name",
            "primary_client",
            "primary_client_name",
            "start_date",
            "expected_end_date",
            "status",
            "status_display",
            "case_supervisor",
            "case_supervisor_name",
            "override_max_deduction_rate",
            "nominees",
            "frequency",
            "frequency_display",
            "activated_on",
            "closed_on",
            "created_at",
        ]
        read_only_fields = [
            "reference",
            "primary_client",
            "status",
            "activated_on",
            "closed_on",
            "created_at",
        ]
        extra_kwargs = {"start_date": {"required": True}}

    def get_case_supervisor_name(self, obj) -> str | None:
        return _user_name(obj.case_supervisor)


class NomineeAddSerializer(serializers.Serializer):
    participant = IdRelatedField(queryset=Participant.objects.all())


class CaseComponentSerializer(serializers.ModelSerializer):
    component_type = IdRelatedField(queryset=ComponentType.objects.all())
    component_type_name = serializers.CharField(source="component_type.name", read_only=True)
    deductible = serializers.BooleanField(source="component_type.deductible", read_only=True)
    taxable = serializers.BooleanField(source="component_type.taxable", read_only=True)
    nominee = IdRelatedField(queryset=Participant.objects.all())
    nominee_name = serializers.CharField(source="nominee.name", read_only=True)
    amount = money_field()

    class Meta:
        model = CaseComponent
        fields = [
            "id",
            "case",
            "component_type",
            "component_type_name",
            "deductible",
            "taxable",
            "amount",
            "nominee",
            "nominee_name",
            "start_date",
            "end_date",
        ]
        read_only_fields = ["case"]
        extra_kwargs = {"start_date": {"required": False}, "end_date": {"required": False}}


class ReassessSerializer(serializers.Serializer):
    amount = money_field()
    effective_from = DateField()


class FinancialComponentSerializer(serializers.ModelSerializer):
    component_type_name = serializers.CharField(
        source="component.component_type.name", read_only=True
    )
    nominee_name = serializers.CharField(source="nominee.name", read_only=True)
    amount = money_field(read_only=True)
    delivery_method_display = DisplayField("delivery_method")
    frequency_display = DisplayField("frequency")

    class Meta:
        model = FinancialComponent
        fields = [
            "id",
            "case",
            "component",
            "component_type_name",
            "nominee",
            "nominee_name",
            "amount",
            "delivery_method",
            "delivery_method_display",
            "frequency",
            "frequency_display",
            "start_date",
            "end_date",
        ]
        read_only_fields = fields


class LiabilitySerializer(StatusThroughActionsMixin, serializers.ModelSerializer):
    status_actions_message = _(
        "Der Status einer Verbindlichkeit ändert sich nur durch Abzüge: sie ist getilgt, "
        "sobald nichts mehr offen ist."
    )
    participant_name = serializers.CharField(source="participant.name", read_only=True)
    original_amount = money_field()
    outstanding_amount = money_field(read_only=True)
    status_display = DisplayField("status")

    class Meta:
        model = Liability
        fields = [
            "id",
            "participant",
            "participant_name",
            "liability_case_id",
            "description",
            "original_amount",
            "outstanding_amount",
            "status",
            "status_display",
            "settled_on",
            "created_at",
        ]
        read_only_fields = ["outstanding_amount", "status", "settled_on", "created_at"]
        extra_kwargs = {
            "liability_case_id": {"required": False, "allow_blank": True, "validators": []},
            "description": {"required": False},
        }


class ApplicationSerializer(serializers.ModelSerializer):
    applicant = IdRelatedField(queryset=Participant.objects.all(), required=False)
    applicant_name = serializers.CharField(source="applicant.name", read_only=True)
    new_applicant = NewClientSerializer(required=False, write_only=True)
    product = IdRelatedField(queryset=Product.objects.all())
    product_name = serializers.CharField(source="product.name", read_only=True)
    case_type = serializers.SlugRelatedField(
        slug_field="code", queryset=IntegratedCaseType.objects.all(), required=False
    )
    status_display = DisplayField("status")
    integrated_case = serializers.IntegerField(
        source="product_delivery_case.integrated_case_id", read_only=True, default=None
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "applicant",
            "applicant_name",
            "new_applicant",
            "product",
            "product_name",
            "case_type",
            "submitted_on",
            "requested_start_date",
            "status",
            "status_display",
            "decided_on",
            "decided_by",
            "product_delivery_case",
            "integrated_case",
        ]
        read_only_fields = ["status", "decided_on", "decided_by", "product_delivery_case"]
        extra_kwargs = {"submitted_on": {"required": False}}


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ActivitySerializer(serializers.ModelSerializer):
    """IC-11: an activity on an integrated case. Status changes through the done / cancel
    actions; the outcome is written by "done" (or changed on a done activity)."""

    activity_type = serializers.SlugRelatedField(
        slug_field="code", queryset=ActivityType.objects.all()
    )
    activity_type_name = serializers.CharField(source="activity_type.name", read_only=True)
    responsible = IdRelatedField(queryset=get_user_model().objects.all(), required=False)
    responsible_name = serializers.SerializerMethodField()
    participants = IdRelatedField(queryset=Participant.objects.all(), many=True, required=False)
    status_display = DisplayField("status")
    # A plain string in the schema (a third enum named "status" would make a clash).
    status = serializers.CharField(read_only=True, help_text="planned | done | cancelled")

    class Meta:
        model = Activity
        fields = [
            "id",
            "integrated_case",
            "subject",
            "activity_type",
            "activity_type_name",
            "planned_at",
            "responsible",
            "responsible_name",
            "participants",
            "status",
            "status_display",
            "outcome",
            "status_changed_at",
            "created_by",
            "created_at",
        ]
        read_only_fields = [
            "integrated_case",
            "status",
            "status_changed_at",
            "created_by",
            "created_at",
        ]
        extra_kwargs = {"outcome": {"required": False}}

    def get_responsible_name(self, obj) -> str | None:
        return _user_name(obj.responsible)


class ActivityDoneSerializer(serializers.Serializer):
    outcome = serializers.CharField(required=False, allow_blank=True, default="")


class ActivityCancelSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
