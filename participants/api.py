"""REST endpoints of the participants app (registered on config.api.router).

/api/v1/participants/ — POST/GET/PATCH (api.md); POST .../{id}/promote/ promotes a
prospect to a person (PT-1). A PATCH that ends a third-party payee answers 200 with
"warnings" naming the affected deductions (PT-3, TP-1).
"""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from config.api import router

from . import selectors, services
from .models import Participant, ParticipantType
from .serializers import (
    ParticipantPromoteSerializer,
    ParticipantSerializer,
    ParticipantUpdateResponseSerializer,
)

app_name = "participants"
urlpatterns: list = []


class ParticipantFilter(django_filters.FilterSet):
    type = django_filters.MultipleChoiceFilter(choices=ParticipantType.choices)
    search = django_filters.CharFilter(method="filter_search", label="Name oder Referenz")
    reference = django_filters.CharFilter(field_name="reference", lookup_expr="iexact")
    ended = django_filters.BooleanFilter(method="filter_ended", label="Beendet")

    class Meta:
        model = Participant
        fields = ["type", "search", "reference", "ended"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(selectors.search_condition(value)) if value.strip() else queryset

    def filter_ended(self, queryset, name, value):
        condition = selectors.ended_condition()
        return queryset.filter(condition) if value else queryset.exclude(condition)


class ParticipantViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Participants of all nine types (PT-1) with their bank accounts (PT-2)."""

    queryset = Participant.objects.prefetch_related("bank_accounts").order_by("name", "id")
    serializer_class = ParticipantSerializer
    filterset_class = ParticipantFilter
    ordering_fields = ["name", "reference", "id", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        accounts = [dict(a) for a in data.pop("bank_accounts", [])]
        serializer.instance = services.participant_create(
            **data, bank_accounts=accounts, user=self.request.user
        )

    @extend_schema(responses=ParticipantUpdateResponseSerializer)
    def partial_update(self, request, *args, **kwargs):
        participant = self.get_object()
        serializer = self.get_serializer(participant, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "bank_accounts" in data:
            data["bank_accounts"] = [dict(a) for a in data["bank_accounts"]]
        result = services.participant_update(participant=participant, data=data, user=request.user)
        fresh = Participant.objects.prefetch_related("bank_accounts").get(pk=participant.pk)
        body = ParticipantSerializer(fresh, context=self.get_serializer_context()).data
        body["warnings"] = result.warnings
        return Response(body)

    @extend_schema(request=ParticipantPromoteSerializer, responses=ParticipantSerializer)
    @action(detail=True, methods=["post"])
    def promote(self, request, pk=None):
        """PT-1: a prospect becomes a person, keeping its id."""
        participant = self.get_object()
        serializer = ParticipantPromoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.prospect_promote(
            participant=participant,
            date_of_birth=serializer.validated_data.get("date_of_birth"),
            user=request.user,
        )
        fresh = Participant.objects.prefetch_related("bank_accounts").get(pk=participant.pk)
        return Response(ParticipantSerializer(fresh, context=self.get_serializer_context()).data)


router.register("participants", ParticipantViewSet, basename="participant")
