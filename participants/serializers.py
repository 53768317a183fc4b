"""Serializers of the participants API: shape and type checks only; rules live in services."""

from rest_framework import serializers

from config.api import DisplayField
from config.dates import DateField

from .models import Participant, ParticipantType, TradingStatus


class BankAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False)
    account_name = serializers.CharField(max_length=200)
    # Spaces are allowed on input ("DE89 3704 ..."); the service stores the number without.
    account_number = serializers.CharField(max_length=50)
    bic = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class ParticipantSerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(choices=ParticipantType.choices)
    type_display = DisplayField("type")
    trading_status = serializers.ChoiceField(
        choices=TradingStatus.choices, required=False, allow_blank=True
    )
    trading_status_display = DisplayField("trading_status")
    bank_accounts = BankAccountSerializer(many=True, required=False)
    is_ended = serializers.BooleanField(read_only=True)

    class Meta:
        model = Participant
        fields = [
            "id",
            "type",
            "type_display",
            "name",
            "reference",
            "date_of_birth",
            "date_of_death",
            "end_date",
            "trading_status",
            "trading_status_display",
            "address",
            "bank_accounts",
            "is_ended",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["reference", "created_at", "updated_at"]
        extra_kwargs = {"name": {"required": True, "allow_blank": True}}


class ParticipantUpdateResponseSerializer(ParticipantSerializer):
    """PATCH answer: the participant plus PT-3/TP-1 warnings (empty when none)."""

    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(ParticipantSerializer.Meta):
        fields = [*ParticipantSerializer.Meta.fields, "warnings"]


class ParticipantPromoteSerializer(serializers.Serializer):
    date_of_birth = DateField(required=False, allow_null=True)
