"""Endpoints of applications (IC-2): submit, approve, reject."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from ..models import Application, ApplicationStatus
from ..serializers import ApplicationSerializer, RejectSerializer
from .common import _new_client


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    applicant = django_filters.NumberFilter(field_name="applicant_id")
    product = django_filters.NumberFilter(field_name="product_id")

    class Meta:
        model = Application
        fields = ["status", "applicant", "product"]


class ApplicationViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Applications (IC-2): approval creates the integrated and product delivery case."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    queryset = Application.objects.select_related(
        "applicant", "product", "case_type", "product_delivery_case"
    ).order_by("-id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.application_submit(
            product=data["product"],
            requested_start_date=data.get("requested_start_date"),
            applicant=data.get("applicant"),
            new_applicant=_new_client(data.get("new_applicant")),
            case_type=data.get("case_type"),
            submitted_on=data.get("submitted_on"),
            user=self.request.user,
        )

    def _fresh(self, pk):
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """IC-2: approve once; a second approval answers 409 and creates nothing."""
        application = self.get_object()
        services.application_approve(application=application, user=request.user)
        return self._fresh(application.pk)

    @extend_schema(request=RejectSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        application = self.get_object()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.application_reject(
            application=application, reason=body.validated_data["reason"], user=request.user
        )
        return self._fresh(application.pk)
