"""REST endpoints of the payments app (api.md: simulation, payments, payment runs).

Viewsets are registered on the shared router; the simulate action of a product delivery
case lives here, in ``urlpatterns``, so that the cases app's viewset stays untouched.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Liability, ProductDeliveryCase
from config.api import SUB_COLLECTION, router
from config.dates import format_datetime
from config.exceptions import ValidationFailed
from config.paging import page_id
from config.permissions import IsAdministratorOrReadOnly, IsCaseworkerOrReadOnlyStaff
from deductions.models import Deduction

from . import selectors, services
from .errors import PaymentError as E
from .models import (
    AgencyAccountEntry,
    Notice,
    NoticeKind,
    Payment,
    PaymentRunTrigger,
    Simulation,
)
from .notice_pdf import notice_pdf
from .results import with_displays
from .serializers import (
    AgencyAccountEntrySerializer,
    NoticeCreateSerializer,
    NoticeSerializer,
    PaymentRunCreateSerializer,
    PaymentRunSerializer,
    PaymentSerializer,
    SimulateRequestSerializer,
    SimulationListSerializer,
    SimulationResultSerializer,
    SimulationSerializer,
    WhatIfApplySerializer,
    _language,
)
from .services.forecast import liability_forecast
from .services.notice import notice_issue, notice_kind_for
from .services.what_if import changes_from, what_if_apply, what_if_run
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
            stop_at_expected_end=params.validated_data["stop_at_expected_end"],
            name=params.validated_data["name"],
            note=params.validated_data["note"],
        )
        if params.validated_data.get("changes"):
            what_if = what_if_run(
                case_id=case.pk,
                up_to=params.validated_data["up_to"],
                changes=changes_from(items=params.validated_data["changes"]),
                user=request.user,
            )
            result["totals"] = what_if["current"]["totals"]
            result["what_if"] = {
                "payments": with_displays(what_if["what_if"]["payments"], language=_language()),
                "totals": what_if["what_if"]["totals"],
                "differences": what_if["differences"],
                "liabilities": what_if["liabilities"],
            }
        result["payments"] = with_displays(result["payments"], language=_language())
        return Response(
            result, status=status.HTTP_201_CREATED if result["id"] else status.HTTP_200_OK
        )


class LiabilityForecastView(APIView):
    """LI-3: a liability's payoff forecast, computed by running the engine forward over every
    case whose deductions in force draw on it (docs/api-additions.md)."""

    permission_classes = [IsCaseworkerOrReadOnlyStaff]

    @extend_schema(responses={200: dict}, operation_id="liabilities_forecast")
    def get(self, request, pk: int):
        liability = get_object_or_404(Liability, pk=pk)
        return Response(liability_forecast(liability_id=liability.pk).as_dict())


class WhatIfApplyView(APIView):
    """SIM-4: apply a what-if's changes through the ordinary services, in one transaction
    (all or nothing): 200 with the deductions changed and created."""

    permission_classes = [IsCaseworkerOrReadOnlyStaff]

    @extend_schema(
        request=WhatIfApplySerializer,
        responses={200: dict},
        operation_id="product_delivery_cases_simulate_apply",
    )
    def post(self, request, pk: int):
        case = get_object_or_404(ProductDeliveryCase, pk=pk)
        params = WhatIfApplySerializer(data=request.data)
        params.is_valid(raise_exception=True)
        result = what_if_apply(
            case_id=case.pk,
            changes=changes_from(items=params.validated_data["changes"]),
            user=request.user,
        )
        return Response(result)


class NoticeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """SIM-5: client notices issued on cases; POST issues one (``kind`` and ``deduction``,
    or ``payment``); ``{id}/pdf/`` is its PDF, identical on every download."""

    serializer_class = NoticeSerializer
    permission_classes = [IsCaseworkerOrReadOnlyStaff]
    filterset_fields = ["case", "kind", "deduction", "payment"]

    def get_queryset(self):
        return Notice.objects.order_by("-issued_at", "-id")

    @extend_schema(request=NoticeCreateSerializer, responses={201: NoticeSerializer})
    def create(self, request, *args, **kwargs):
        params = NoticeCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        if data.get("payment") is not None:
            payment = Payment.objects.filter(pk=data["payment"]).first()
            if payment is None:
                raise ValidationFailed(
                    _("Diese Zahlung gibt es nicht."),
                    field="payment",
                    code=E.NOTICE_PAYMENT_UNKNOWN,
                )
            notice = notice_issue(kind=NoticeKind.PAYMENT, payment=payment, user=request.user)
        else:
            deduction = Deduction.objects.filter(pk=data.get("deduction") or 0).first()
            if deduction is None:
                raise ValidationFailed(
                    _("Bitte einen Abzug angeben."),
                    field="deduction",
                    code=E.NOTICE_DEDUCTION_MISSING,
                )
            kind = data.get("kind") or notice_kind_for(deduction=deduction)
            if kind == NoticeKind.PAYMENT:
                raise ValidationFailed(
                    _("Für eine Zahlungsmitteilung bitte die Zahlung angeben."),
                    field="payment",
                    code=E.NOTICE_PAYMENT_MISSING,
                )
            notice = notice_issue(kind=kind, deduction=deduction, user=request.user)
        return Response(NoticeSerializer(notice).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        notice = self.get_object()
        content = notice_pdf(
            notice.facts,
            number=str(notice.pk),
            issued_at=format_datetime(notice.issued_at),
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="mitteilung-{notice.pk}.pdf"'
        return response


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
        errors: dict[str, list[tuple[str, str]]] = {}
        for name in ("a", "b"):
            value = request.query_params.get(name, "")
            if not value.isdigit():
                errors[name] = [
                    (
                        _("Bitte die ID einer gespeicherten Simulation angeben."),
                        E.SIMULATION_ID_MISSING,
                    )
                ]
                continue
            simulation = Simulation.objects.filter(pk=int(value)).first()
            if simulation is None:
                errors[name] = [(_("Diese Simulation gibt es nicht."), E.SIMULATION_UNKNOWN)]
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
    """Payment runs (PAY-13): administrators start one and retry one that ended with failed
    chunks; everybody with a role may watch."""

    permission_classes = [IsAdministratorOrReadOnly]
    serializer_class = PaymentRunSerializer
    filterset_fields = ["status", "run_date"]

    def get_queryset(self):
        return selectors.payment_run_list().with_failed_chunks()

    @extend_schema(request=None, responses={200: PaymentRunSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Retry the failed chunks of a run that is "completed_with_failures" or "failed"
        (409 otherwise); its paid chunks stay as they are."""
        run = services.payment_run_retry(run=self.get_object(), user=request.user)
        run = self.get_queryset().get(pk=run.pk)
        return Response(PaymentRunSerializer(run, context=self.get_serializer_context()).data)

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
        run = self.get_queryset().get(pk=run.pk)
        return Response(
            PaymentRunSerializer(run, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


SUMMARY_CASES = 500


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
        parameters=[
            OpenApiParameter("by", str, enum=["case", "type"], required=True),
            OpenApiParameter(
                "after",
                int,
                required=False,
                description=(
                    "Mit by=case: die Fälle nach dieser Fall-ID (die nächsten "
                    f"{SUMMARY_CASES}; der Link-Header rel=next nennt die nächste Seite)."
                ),
            ),
        ],
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
            raise ValidationFailed(
                _("Bitte „case“ oder „type“ angeben."), field="by", code=E.SUMMARY_GROUPING_INVALID
            )
        headers = {}
        if by == "case":
            # Per case one bounded page by case id (millions of cases): a bare array as
            # before, the next page in the Link header (docs/api-additions.md).
            page = selectors.agency_account_case_page(
                per_page=SUMMARY_CASES, after=page_id(request.query_params.get("after"))
            )
            rows = page.object_list
            if page.next_after is not None:
                query = request.query_params.copy()
                query["after"] = str(page.next_after)
                url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
                headers["Link"] = f'<{url}>; rel="next"'
        else:
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
            ],
            headers=headers,
        )


router.register("simulations", SimulationViewSet, basename="simulation")
router.register("notices", NoticeViewSet, basename="notice")
router.register("payments", PaymentViewSet, basename="payment")
router.register("payment-runs", PaymentRunViewSet, basename="payment-run")
router.register(
    "agency-account-entries", AgencyAccountEntryViewSet, basename="agency-account-entry"
)

urlpatterns = [
    path(
        "liabilities/<int:pk>/forecast/",
        LiabilityForecastView.as_view(),
        name="liability-forecast",
    ),
    path(
        "product-delivery-cases/<int:pk>/simulate/",
        SimulateView.as_view(),
        name="product-delivery-case-simulate",
    ),
    path(
        "product-delivery-cases/<int:pk>/simulate/apply/",
        WhatIfApplyView.as_view(),
        name="product-delivery-case-simulate-apply",
    ),
]
