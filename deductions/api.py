"""REST endpoints of case deductions: /api/v1/deductions/ (api.md), registered on the
shared router. Thin: parsing in serializers, rules in services, reads in selectors."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import router
from products.models import DeductionCategory

from . import selectors, services
from .models import Deduction, DeductionStatus
from .serializers import DeductionHistorySerializer, DeductionSerializer, TransitionSerializer


class DeductionFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(field_name="case_id")
    category = django_filters.ChoiceFilter(choices=DeductionCategory.choices)
    status = django_filters.ChoiceFilter(choices=DeductionStatus.choices)
    primary_client = django_filters.NumberFilter(field_name="case__primary_client_id")
    deduction_type = django_filters.NumberFilter(field_name="deduction_type_id")
    third_party = django_filters.NumberFilter(field_name="third_party_id")

    class Meta:
        model = Deduction
        fields = ["case", "category", "status", "primary_client", "deduction_type", "third_party"]


_CONFLICT = OpenApiResponse(description="Übergang im aktuellen Status nicht möglich (CD-10).")


class DeductionViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Case deductions (CD-1..CD-16). No DELETE: a deduction is cancelled, never removed.
    Caseworkers and case supervisors write; administrators read (RO-1)."""

    serializer_class = DeductionSerializer
    filterset_class = DeductionFilter
    ordering_fields = ["priority", "start_date", "end_date", "created_on", "id"]
    ordering = ["case_id", "priority", "id"]

    def get_queryset(self):
        return selectors.deduction_queryset().order_by("case_id", "priority", "id")

    def _respond(self, deduction, code=status.HTTP_200_OK):
        fresh = selectors.deduction_detail(pk=deduction.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deduction = serializer.save()
        return self._respond(deduction, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        deduction = serializer.save()
        return self._respond(deduction)

    @extend_schema(request=None, responses={200: DeductionSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        deduction = services.deduction_activate(deduction=self.get_object(), user=request.user)
        return self._respond(deduction)

    @extend_schema(request=None, responses={200: DeductionSerializer, 409: _CONFLICT})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        deduction = services.deduction_deactivate(deduction=self.get_object(), user=request.user)
        return self._respond(deduction)

    @extend_schema(
        request=TransitionSerializer, responses={200: DeductionSerializer, 409: _CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        body = TransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        deduction = services.deduction_cancel(
            deduction=self.get_object(),
            user=request.user,
            reason=body.validated_data.get("reason", ""),
        )
        return self._respond(deduction)

    @extend_schema(responses=DeductionHistorySerializer(many=True))
    @action(detail=True, methods=["get"], filterset_class=None, ordering_fields=None)
    def history(self, request, pk=None):
        entries = selectors.deduction_history(deduction=self.get_object())
        page = self.paginate_queryset(entries)
        data = DeductionHistorySerializer(page, many=True).data
        return self.get_paginated_response(data)


router.register("deductions", DeductionViewSet, basename="deduction")
