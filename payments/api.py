"""REST endpoints of the payments app (api.md: simulation, payments, payment runs).

Viewsets are registered on the shared router; the simulate action of a product delivery
case lives here, in ``urlpatterns``, so that the cases app's viewset stays untouched.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import ProductDeliveryCase
from config.api import SUB_COLLECTION, router
from config.exceptions import ValidationFailed
from config.permissions import IsAdministratorOrReadOnly, IsCaseworkerOrReadOnlyStaff

from . import selectors, services
from .models import AgencyAccountEntry, PaymentRunTrigger, Simulation
from .results import with_displays
from .serializers import (
    AgencyAccountEntrySerializer,
    PaymentRunCreateSerializer,
    PaymentRunSerializer,
    PaymentSerializer,
    SimulateRequestSerializer,
    SimulationListSerializer,
    SimulationResultSerializer,
    SimulationSerializer,
    _language,
)
from .third_party_api import ThirdPartyPaymentActionsMixin


class SimulateView(APIView):
    """SIM-1, SIM-2: simulate a case's payments up to a date; ``save`` stores it (SIM-3)."""

    permission_classes = [IsCaseworkerOrReadOnlyStaff]

    @extend_schema(
        request=SimulateRequestSerializer,
        responses={200: SimulationResultSerializer, 201: SimulationResultSerializer},
        operation_id="product_delivery_cases_simulate",
    )
    def post(self, request, pk: int):
        case = get_object_or_404(ProductDeliveryCase, pk=pk)
        params = SimulateRequestSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        result = services.simulation_run(
            case_id=case.pk,
            up_to=params.validated_data["up_to"],
            user=request.user,
            save=params.validated_data["save"],
        )
        result["payments"] = with_displays(result["payments"], language=_language())
        return Response(
            result, status=status.HTTP_201_CREATED if result["id"] else status.HTTP_200_OK
        )


class SimulationViewSet(viewsets.ReadOnlyModelViewSet):
    """Saved simulations (SIM-3); ``compare/?a=ID&b=ID`` sets two side by side."""

    permission_classes = [IsCaseworkerOrReadOnlyStaff]
    filterset_fields = ["case"]

    def get_queryset(self):
        return selectors.simulation_list()

    def get_serializer_class(self):
        return SimulationListSerializer if self.action == "list" else SimulationSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("a", int, required=True),
            OpenApiParameter("b", int, required=True),
        ],
        responses=inline_serializer(
            "SimulationComparison",
            {
                "a": serializers.IntegerField(),
                "b": serializers.IntegerField(),
                "identical": serializers.BooleanField(),
                "payments": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    @action(detail=False, methods=["get"], filter_backends=[])
    def compare(self, request):
        simulations = {}
        errors: dict[str, list[str]] = {}
        for name in ("a", "b"):
            value = request.query_params.get(name, "")
            if not value.isdigit():
                errors[name] = [_("Bitte die ID einer gespeicherten Simulation angeben.")]
                continue
            simulation = Simulation.objects.filter(pk=int(value)).first()
            if simulation is None:
                errors[name] = [_("Diese Simulation gibt es nicht.")]
                continue
            simulations[name] = simulation
        if errors:
            raise ValidationFailed(errors=errors)
        comparison = selectors.simulation_compare(a=simulations["a"], b=simulations["b"])
        return Response(comparison)


class PaymentViewSet(
    ThirdPartyPaymentActionsMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Payments, read-only (PAY-12). Third-party payments get cancel/reissue actions
    (TP-3, TP-4) from payments.third_party."""

    serializer_class = PaymentSerializer
    permission_classes = [IsCaseworkerOrReadOnlyStaff]
    filterset_fields = ["case", "payee", "kind", "nominee", "status", "deduction"]

    def get_queryset(self):
        return selectors.payment_list()


class PaymentRunViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Payment runs (PAY-13): administrators start one; everybody with a role may watch."""

    permission_classes = [IsAdministratorOrReadOnly]
    serializer_class = PaymentRunSerializer
    filterset_fields = ["status", "run_date"]

    def get_queryset(self):
        return selectors.payment_run_list()

    @extend_schema(
        request=PaymentRunCreateSerializer,
        responses={201: PaymentRunSerializer, 200: PaymentRunSerializer},
    )
    def create(self, request, *args, **kwargs):
        params = PaymentRunCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        run, created = services.payment_run_start(
            run_date=params.validated_data["run_date"],
            user=request.user,
            trigger=PaymentRunTrigger.MANUAL,
        )
        run.refresh_from_db()
        return Response(
            PaymentRunSerializer(run, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AgencyAccountEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """LI-2: unapplied deductions credited to the agency's account; ``summary/?by=case|type``
    gives the totals per case or per deduction type."""

    serializer_class = AgencyAccountEntrySerializer
    permission_classes = [IsCaseworkerOrReadOnlyStaff]
    filterset_fields = ["case", "deduction_type", "deduction", "payment_run_id"]

    def get_queryset(self):
        return AgencyAccountEntry.objects.select_related("deduction_type").order_by(
            "-effective_date", "-id"
        )

    @extend_schema(
        parameters=[OpenApiParameter("by", str, enum=["case", "type"], required=True)],
        responses=inline_serializer(
            "AgencyAccountTotal",
            {
                "case": serializers.IntegerField(
                    required=False, help_text="Mit by=case: der Fall."
                ),
                "deduction_type": serializers.IntegerField(
                    required=False, help_text="Mit by=type: der Abzugstyp."
                ),
                "name": serializers.CharField(),
                "total": serializers.CharField(),
                "entries": serializers.IntegerField(),
            },
            many=True,
        ),
    )
    @action(detail=False, methods=["get"], **SUB_COLLECTION)
    def summary(self, request):
        by = request.query_params.get("by", "")
        if by not in ("case", "type"):
            raise ValidationFailed(_("Bitte „case“ oder „type“ angeben."), field="by")
        rows = selectors.agency_account_totals(by=by)
        return Response(
            [
                {
                    "case" if by == "case" else "deduction_type": row[
                        "case_id" if by == "case" else "deduction_type_id"
                    ],
                    "name": row["case__reference" if by == "case" else "deduction_type__name"],
                    "total": f"{row['total']:.2f}",
                    "entries": row["entries"],
                }
                for row in rows
            ]
        )


router.register("simulations", SimulationViewSet, basename="simulation")
router.register("payments", PaymentViewSet, basename="payment")
router.register("payment-runs", PaymentRunViewSet, basename="payment-run")
router.register(
    "agency-account-entries", AgencyAccountEntryViewSet, basename="agency-account-entry"
)

urlpatterns = [
    path(
        "product-delivery-cases/<int:pk>/simulate/",
        SimulateView.as_view(),
        name="product-delivery-case-simulate",
    ),
]
