"""Endpoints of integrated case types and integrated cases (IC-1, IC-3..5, IC-11),
with their members, service deliveries, referrals, history and activities."""

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import SUB_COLLECTION

from .. import selectors, services
from ..models import IntegratedCase, IntegratedCaseStatus
from ..serializers import (
    ActivityCancelSerializer,
    ActivityDoneSerializer,
    ActivitySerializer,
    CaseMemberAddSerializer,
    CaseMemberSerializer,
    CloseSerializer,
    IntegratedCaseHistorySerializer,
    IntegratedCaseSerializer,
    IntegratedCaseTypeSerializer,
    ReferralSerializer,
    ReopenSerializer,
    ServiceDeliverySerializer,
)
from .common import _new_client


class IntegratedCaseTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The code table of integrated case types (active ones; the default first)."""

    serializer_class = IntegratedCaseTypeSerializer
    pagination_class = None
    lookup_field = "code"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.integrated_case_types()


class IntegratedCaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=IntegratedCaseStatus.choices)
    case_type = django_filters.CharFilter(field_name="case_type__code")
    primary_client = django_filters.NumberFilter(field_name="primary_client_id")
    member = django_filters.NumberFilter(field_name="members__participant_id", distinct=True)
    search = django_filters.CharFilter(method="filter_search")

    class Meta:
        model = IntegratedCase
        fields = ["status", "case_type", "primary_client", "member", "search"]

    def filter_search(self, queryset, name, value):
        ids = selectors.integrated_case_list(query=value).values("pk")
        return queryset.filter(pk__in=ids)


class IntegratedCaseViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Integrated cases (IC-1, IC-3..5)."""

    serializer_class = IntegratedCaseSerializer
    filterset_class = IntegratedCaseFilter
    ordering_fields = ["id", "reference", "opened_on"]
    queryset = (
        IntegratedCase.objects.select_related("case_type", "primary_client", "created_by")
        .prefetch_related("members__participant", "product_delivery_cases")
        .order_by("-id")
    )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.integrated_case_create(
            user=self.request.user,
            primary_client=data.get("primary_client"),
            new_client=_new_client(data.get("new_client")),
            case_type=data.get("case_type"),
            opened_on=data.get("opened_on"),
            product=data.get("product"),
            start_date=data.get("start_date"),
            expected_end_date=data.get("expected_end_date"),
            nominees=data.get("nominees") or [],
        )

    def _fresh(self, pk):
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=CloseSerializer, responses=IntegratedCaseSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """IC-3: close with a reason (and date, default today)."""
        case = self.get_object()
        body = CloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.integrated_case_close(
            integrated_case=case,
            reason=body.validated_data["reason"],
            closed_on=body.validated_data.get("closed_on"),
            planned_activities=body.validated_data.get("planned_activities"),
            user=request.user,
        )
        return self._fresh(case.pk)

    @extend_schema(request=ReopenSerializer, responses=IntegratedCaseSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """IC-3: reopen, keeping id, cases and history."""
        case = self.get_object()
        body = ReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.integrated_case_reopen(
            integrated_case=case, reason=body.validated_data["reason"], user=request.user
        )
        return self._fresh(case.pk)

    # --- activities (IC-11) ---

    def _activity(self, case, activity_id):
        from django.http import Http404

        activity = case.activities.filter(pk=activity_id).first()
        if activity is None:
            raise Http404
        return activity

    def _activity_data(self, activity):
        fresh = selectors.activity_get(activity_id=activity.pk)
        return ActivitySerializer(fresh, context=self.get_serializer_context()).data

    @staticmethod
    def _activity_kwargs(data: dict, *, current=None, user=None) -> dict:
        def pick(name, default):
            return data[name] if name in data else default

        return {
            "subject": pick("subject", current.subject if current else ""),
            "activity_type": pick("activity_type", current.activity_type if current else None),
            "planned_at": pick("planned_at", current.planned_at if current else None),
            "responsible": pick("responsible", current.responsible if current else user),
            "participants": pick(
                "participants", list(current.participants.all()) if current else []
            ),
        }

    @extend_schema(methods=["GET"], responses=ActivitySerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ActivitySerializer, responses={201: ActivitySerializer}
    )
    @action(detail=True, methods=["get", "post"], **SUB_COLLECTION)
    def activities(self, request, pk=None):
        """IC-11: the case's activities; POST plans one (responsible defaults to you)."""
        case = self.get_object()
        if request.method == "POST":
            body = ActivitySerializer(data=request.data)
            body.is_valid(raise_exception=True)
            activity = services.activity_create(
                integrated_case=case,
                user=request.user,
                **self._activity_kwargs(body.validated_data, user=request.user),
            )
            return Response(self._activity_data(activity), status=status.HTTP_201_CREATED)
        activities = selectors.activities_for_case(case=case)
        return Response(
            ActivitySerializer(activities, many=True, context=self.get_serializer_context()).data
        )

    @extend_schema(
        request=ActivitySerializer,
        responses=ActivitySerializer,
        parameters=[OpenApiParameter("activity_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["get", "patch"],
        url_path=r"activities/(?P<activity_id>[0-9]{1,18})",
    )
    def activity(self, request, pk=None, activity_id=None):
        """IC-11: one activity; PATCH changes a planned one (history kept)."""
        case = self.get_object()
        activity = self._activity(case, activity_id)
        if request.method == "PATCH":
            body = ActivitySerializer(activity, data=request.data, partial=True)
            body.is_valid(raise_exception=True)
            activity = services.activity_update(
                activity=activity,
                user=request.user,
                outcome=body.validated_data.get("outcome"),
                **self._activity_kwargs(body.validated_data, current=activity),
            )
        return Response(self._activity_data(activity))

    @extend_schema(
        request=ActivityDoneSerializer,
        responses=ActivitySerializer,
        parameters=[OpenApiParameter("activity_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"activities/(?P<activity_id>[0-9]{1,18})/done",
    )
    def activity_done(self, request, pk=None, activity_id=None):
        """IC-11: planned → done with the outcome (400 without one, 409 if not planned)."""
        activity = self._activity(self.get_object(), activity_id)
        body = ActivityDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        activity = services.activity_mark_done(
            activity=activity, outcome=body.validated_data["outcome"], user=request.user
        )
        return Response(self._activity_data(activity))

    @extend_schema(
        request=ActivityCancelSerializer,
        responses=ActivitySerializer,
        parameters=[OpenApiParameter("activity_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"activities/(?P<activity_id>[0-9]{1,18})/cancel",
    )
    def activity_cancel(self, request, pk=None, activity_id=None):
        """IC-11: planned → cancelled (409 if not planned)."""
        activity = self._activity(self.get_object(), activity_id)
        body = ActivityCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        activity = services.activity_cancel(
            activity=activity, note=body.validated_data["note"], user=request.user
        )
        return Response(self._activity_data(activity))

    @extend_schema(responses=IntegratedCaseHistorySerializer(many=True))
    @action(detail=True, methods=["get"], **SUB_COLLECTION)
    def history(self, request, pk=None):
        """Who changed the case when, and why (IC-3)."""
        case = self.get_object()
        entries = selectors.integrated_case_history(case=case)
        return Response(IntegratedCaseHistorySerializer(entries, many=True).data)

    @extend_schema(methods=["GET"], responses=CaseMemberSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=CaseMemberAddSerializer, responses={201: CaseMemberSerializer}
    )
    @action(detail=True, methods=["get", "post"], **SUB_COLLECTION)
    def members(self, request, pk=None):
        """IC-4: list members; POST adds a household member (existing or new person)."""
        case = self.get_object()
        if request.method == "POST":
            body = CaseMemberAddSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            member = services.case_member_add(
                integrated_case=case,
                participant=body.validated_data.get("participant"),
                new_person=_new_client(body.validated_data.get("new_person")),
                role=body.validated_data["role"],
                user=request.user,
            )
            return Response(CaseMemberSerializer(member).data, status=status.HTTP_201_CREATED)
        members = case.members.select_related("participant").order_by("id")
        return Response(CaseMemberSerializer(members, many=True).data)

    @extend_schema(methods=["GET"], responses=ServiceDeliverySerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ServiceDeliverySerializer,
        responses={201: ServiceDeliverySerializer},
    )
    @action(detail=True, methods=["get", "post"], url_path="service-deliveries", **SUB_COLLECTION)
    def service_deliveries(self, request, pk=None):
        """IC-5: service deliveries of the case."""
        case = self.get_object()
        if request.method == "POST":
            body = ServiceDeliverySerializer(data=request.data)
            body.is_valid(raise_exception=True)
            delivery = services.service_delivery_create(
                integrated_case=case, user=request.user, **body.validated_data
            )
            return Response(
                ServiceDeliverySerializer(delivery).data, status=status.HTTP_201_CREATED
            )
        items = case.service_deliveries.select_related("provider")
        return Response(ServiceDeliverySerializer(items, many=True).data)

    @extend_schema(methods=["GET"], responses=ReferralSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ReferralSerializer, responses={201: ReferralSerializer}
    )
    @action(detail=True, methods=["get", "post"], **SUB_COLLECTION)
    def referrals(self, request, pk=None):
        """IC-5: referrals to services."""
        case = self.get_object()
        if request.method == "POST":
            body = ReferralSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            referral = services.referral_create(
                integrated_case=case, user=request.user, **body.validated_data
            )
            return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)
        items = case.referrals.select_related("provider")
        return Response(ReferralSerializer(items, many=True).data)
