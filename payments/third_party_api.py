"""API actions on third-party payments (TP-3, TP-4), mixed into the payments viewset:

POST /api/v1/payments/{id}/cancel/   {"reason": "issued_in_error"}  → 200 the payment
POST /api/v1/payments/{id}/reissue/                                 → 201 the new payment
409 {"detail": "..."} when the payment's state does not allow it."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from .serializers import PaymentSerializer
from .third_party import (
    PaymentCancelReason,
    third_party_payment_cancel,
    third_party_payment_reissue,
)


class PaymentCancelSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=PaymentCancelReason.choices)


class ThirdPartyPaymentActionsMixin:
    """Adds `cancel` and `reissue` to a payments viewset (uses its serializer)."""

    def _payment_body(self, payment):
        serializer = self.get_serializer_class()(payment, context=self.get_serializer_context())
        return serializer.data

    @extend_schema(request=PaymentCancelSerializer, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        params = PaymentCancelSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        payment = third_party_payment_cancel(
            payment=self.get_object(), reason=params.validated_data["reason"], user=request.user
        )
        return Response(self._payment_body(payment))

    @extend_schema(request=None, responses={201: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def reissue(self, request, pk=None):
        reissue = third_party_payment_reissue(payment=self.get_object(), user=request.user)
        return Response(self._payment_body(reissue), status=status.HTTP_201_CREATED)
