"""Endpoints of product delivery cases (IC-6..9): components, reassessment, financial
components, nominees, activate, suspend, resume, close."""

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import SUB_COLLECTION

from .. import services
from ..models import CaseComponent, CaseStatus, ProductDeliveryCase
from ..serializers import (
    CaseComponentSerializer,
    CloseSerializer,
    FinancialComponentSerializer,
    NomineeAddSerializer,
    ProductDeliveryCaseSerializer,
    ReassessSerializer,
)


class ProductDeliveryCaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices)
    integrated_case = django_filters.NumberFilter(field_name="integrated_case_id")
    primary_client = django_filters.NumberFilter(field_name="primary_client_id")
    product = django_filters.NumberFilter(field_name="product_id")
    nominee = django_filters.NumberFilter(field_name="nominee_links__participant_id", distinct=True)
    case_supervisor = django_filters.NumberFilter(field_name="case_supervisor_id")

    class Meta:
        model = ProductDeliveryCase
        fields = [
            "status",
            "integrated_case",
            "primary_client",
            "product",
            "nominee",
            "case_supervisor",
        ]


class ProductDeliveryCaseViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Product delivery cases (IC-6..9)."""

    serializer_class = ProductDeliveryCaseSerializer
    filterset_class = ProductDeliveryCaseFilter
    ordering_fields = ["id", "reference", "start_date"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = (
        ProductDeliveryCase.objects.select_related(
            "product", "primary_client", "integrated_case", "case_supervisor"
        )
        .prefetch_related("nominee_links")
        .order_by("-id")
    )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.product_delivery_case_create(
            integrated_case=data["integrated_case"],
            product=data["product"],
            start_date=data.get("start_date"),
            expected_end_date=data.get("expected_end_date"),
            case_supervisor=data.get("case_supervisor"),
            nominees=data.get("nominees", []),
            override_max_deduction_rate=data.get("override_max_deduction_rate", False),
            user=self.request.user,
        )

    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        body = self.get_serializer(case, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.product_delivery_case_update(
            case=case, data=dict(body.validated_data), user=request.user
        )
        return self._fresh(case.pk)

    def _fresh(self, pk, status_code=status.HTTP_200_OK):
        return Response(
            self.get_serializer(self.get_queryset().get(pk=pk)).data, status=status_code
        )

    @extend_schema(methods=["GET"], responses=CaseComponentSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=CaseComponentSerializer, responses={201: CaseComponentSerializer}
    )
    @action(detail=True, methods=["get", "post"], **SUB_COLLECTION)
    def components(self, request, pk=None):
        """IC-8: the case's components; POST adds one."""
        case = self.get_object()
        if request.method == "POST":
            body = CaseComponentSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            component = services.component_add(case=case, user=request.user, **body.validated_data)
            return Response(CaseComponentSerializer(component).data, status=status.HTTP_201_CREATED)
        items = case.components.select_related("component_type", "nominee").order_by("id")
        return Response(CaseComponentSerializer(items, many=True).data)

    @extend_schema(
        request=ReassessSerializer,
        responses=CaseComponentSerializer,
        parameters=[OpenApiParameter("component_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"components/(?P<component_id>[0-9]+)/reassess",
        filter_backends=[],
    )
    def reassess(self, request, pk=None, component_id=None):
        """IC-9: change a component's amount from a date; financial components follow."""
        case = self.get_object()
        try:
            component = case.components.get(pk=component_id)
        except CaseComponent.DoesNotExist:
            return Response(
                {"detail": "Diese Komponente gehört nicht zu diesem Fall."},
                status=status.HTTP_404_NOT_FOUND,
            )
        body = ReassessSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        component = services.component_reassess(
            component=component, user=request.user, **body.validated_data
        )
        return Response(CaseComponentSerializer(component).data)

    @extend_schema(responses=FinancialComponentSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="financial-components", **SUB_COLLECTION)
    def financial_components(self, request, pk=None):
        """IC-9: what payments are generated from."""
        case = self.get_object()
        items = case.financial_components.select_related(
            "component__component_type", "nominee"
        ).order_by("component_id", "start_date")
        return Response(FinancialComponentSerializer(items, many=True).data)

    @extend_schema(request=NomineeAddSerializer, responses={201: ProductDeliveryCaseSerializer})
    @action(detail=True, methods=["post"])
    def nominees(self, request, pk=None):
        """IC-7: add a nominee (person, employer or representative)."""
        case = self.get_object()
        body = NomineeAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.nominee_add(
            case=case, participant=body.validated_data["participant"], user=request.user
        )
        return self._fresh(case.pk, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ProductDeliveryCaseSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """IC-9: activate; creates the financial components. 409 with the reason if not."""
        case = self.get_object()
        services.product_delivery_case_activate(case=case, user=request.user)
        return self._fresh(case.pk)

    @extend_schema(request=None, responses=ProductDeliveryCaseSerializer)
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        case = self.get_object()
        services.product_delivery_case_suspend(case=case, user=request.user)
        return self._fresh(case.pk)

    @extend_schema(request=None, responses=ProductDeliveryCaseSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        case = self.get_object()
        services.product_delivery_case_resume(case=case, user=request.user)
        return self._fresh(case.pk)

    @extend_schema(request=CloseSerializer, responses=ProductDeliveryCaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.product_delivery_case_close(
            case=case,
            user=request.user,
            closed_on=body.validated_data.get("closed_on"),
            reason=body.validated_data["reason"],
        )
        return self._fresh(case.pk)
