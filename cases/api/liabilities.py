"""Endpoints of liabilities (LI-1)."""

import django_filters
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from .. import services
from ..models import Liability, LiabilityStatus
from ..serializers import LiabilitySerializer


class LiabilityFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=LiabilityStatus.choices)
    participant = django_filters.NumberFilter(field_name="participant_id")
    liability_case_id = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Liability
        fields = ["status", "participant", "liability_case_id"]


class LiabilityViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Liabilities (LI-1): the outstanding amount is read-only; deductions reduce it."""

    serializer_class = LiabilitySerializer
    filterset_class = LiabilityFilter
    ordering_fields = ["id", "outstanding_amount", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = Liability.objects.select_related("participant").order_by("-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.liability_create(
            participant=data["participant"],
            original_amount=data["original_amount"],
            liability_case_id=data.get("liability_case_id", ""),
            description=data.get("description", ""),
            user=self.request.user,
        )

    def partial_update(self, request, *args, **kwargs):
        liability = self.get_object()
        body = self.get_serializer(liability, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        updated = services.liability_update(
            liability=liability, data=dict(body.validated_data), user=request.user
        )
        return Response(self.get_serializer(updated).data)
