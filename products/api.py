"""REST endpoints of the products app (registered on config.api.router).

/api/v1/products/                                   list, create (component_types nested), update
/api/v1/products/{id}/component-types/              GET, POST (add one)
/api/v1/products/{id}/component-types/{ct_id}/      GET, PATCH, DELETE
/api/v1/products/{id}/deduction-types/              GET links by link priority; POST links
/api/v1/products/{id}/deduction-types/new/          POST: create a type linked at once
/api/v1/products/{id}/deduction-types/{type_id}/    GET, PATCH {"priority"}, DELETE (unlink)
/api/v1/products/{id}/history/                      GET
/api/v1/deduction-types/                            CRUD; /{id}/history/

Administrators write, caseworkers and supervisors read (RO-1). Views are thin: they
check the shape of the input and call products.services."""

from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter, SearchFilter
from rest_framework.response import Response

from config.api import SUB_COLLECTION, router
from config.ids import IdFilterBackend, parse_id
from config.permissions import IsAdministratorOrReadOnly

from . import selectors, services
from .models import ComponentType, DeductionType
from .serializers import (
    ComponentTypeSerializer,
    ComponentTypeUpdateSerializer,
    DeductionTypeSerializer,
    HistoryEntrySerializer,
    NewDeductionTypeForProductSerializer,
    ProductLinkCreateSerializer,
    ProductLinkSerializer,
    ProductLinkUpdateSerializer,
    ProductSerializer,
)


class ProductViewSet(viewsets.ModelViewSet):
    """Benefit products with their deduction settings and component types (PR-1..3)."""

    permission_classes = [IsAdministratorOrReadOnly]
    serializer_class = ProductSerializer
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    filter_backends = [SearchFilter, OrderingFilter]
    search_fields = ["name"]
    ordering_fields = ["name", "id"]

    def get_queryset(self):
        return selectors.product_list()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        component_types = data.pop("component_types", [])
        serializer.instance = services.product_create(
            **data, component_types=component_types, user=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.product_update(
            product=serializer.instance,
            data=dict(serializer.validated_data),
            user=self.request.user,
        )

    @extend_schema(responses={405: None})
    def destroy(self, request, *args, **kwargs):
        # Products are not deleted over the API: cases and history refer to them.
        return Response(
            {"detail": "Leistungsprodukte können über die API nicht gelöscht werden."},
            status=status.HTTP_405_METHOD_NOT_ALLOWED,
        )

    # --- component types (PR-2) ---------------------------------------------------------

    @extend_schema(methods=["GET"], responses=ComponentTypeSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=ComponentTypeSerializer, responses={201: ComponentTypeSerializer}
    )
    @action(detail=True, methods=["get", "post"], url_path="component-types", **SUB_COLLECTION)
    def component_types(self, request, pk=None):
        product = self.get_object()
        if request.method == "GET":
            types = selectors.component_types_of(product=product)
            return Response(ComponentTypeSerializer(types, many=True).data)
        serializer = ComponentTypeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.component_type_add(
            product=product, user=request.user, **serializer.validated_data
        )
        return Response(ComponentTypeSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ComponentTypeUpdateSerializer,
        responses=ComponentTypeSerializer,
        parameters=[OpenApiParameter("component_type_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["get", "patch", "delete"],
        url_path=r"component-types/(?P<component_type_id>[0-9]+)",
    )
    def component_type(self, request, pk=None, component_type_id=None):
        product = self.get_object()
        component_type = get_object_or_404(ComponentType, product=product, pk=component_type_id)
        if request.method == "GET":
            return Response(ComponentTypeSerializer(component_type).data)
        if request.method == "DELETE":
            services.component_type_delete(component_type=component_type, user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = ComponentTypeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.component_type_update(
            component_type=component_type,
            data=dict(serializer.validated_data),
            user=request.user,
        )
        return Response(ComponentTypeSerializer(updated).data)

    # --- product links (DT-10, DT-11) ---------------------------------------------------

    @extend_schema(methods=["GET"], responses=ProductLinkSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ProductLinkCreateSerializer,
        responses={
            201: OpenApiResponse(
                {
                    "oneOf": [
                        {"$ref": "#/components/schemas/ProductLink"},
                        {"type": "array", "items": {"$ref": "#/components/schemas/ProductLink"}},
                    ]
                },
                description="Ein verknüpfter Typ; mit `deduction_types` die Liste der neuen "
                "Verknüpfungen.",
            )
        },
    )
    @action(detail=True, methods=["get", "post"], url_path="deduction-types")
    def deduction_types(self, request, pk=None):
        product = self.get_object()
        if request.method == "GET":
            links = selectors.product_links(product=product)
            page = self.paginate_queryset(links)
            return self.get_paginated_response(ProductLinkSerializer(page, many=True).data)
        serializer = ProductLinkCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("deduction_type") is not None:
            link = services.product_link_add(
                product=product,
                deduction_type=data["deduction_type"],
                priority=data.get("priority"),
                user=request.user,
            )
            return Response(ProductLinkSerializer(link).data, status=status.HTTP_201_CREATED)
        links = services.product_links_add(
            product=product,
            deduction_types=data["deduction_types"],
            priority=data.get("priority"),
            user=request.user,
        )
        return Response(
            ProductLinkSerializer(links, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=NewDeductionTypeForProductSerializer, responses={201: ProductLinkSerializer}
    )
    @action(detail=True, methods=["post"], url_path="deduction-types/new")
    def new_deduction_type(self, request, pk=None):
        product = self.get_object()
        serializer = NewDeductionTypeForProductSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        link_priority = data.pop("link_priority", None)
        link = services.deduction_type_create_for_product(
            product=product, link_priority=link_priority, user=request.user, **data
        )
        return Response(ProductLinkSerializer(link).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ProductLinkUpdateSerializer,
        responses=ProductLinkSerializer,
        parameters=[OpenApiParameter("type_id", int, OpenApiParameter.PATH)],
    )
    @action(
        detail=True,
        methods=["get", "patch", "delete"],
        url_path=r"deduction-types/(?P<type_id>[0-9]+)",
    )
    def deduction_type_link(self, request, pk=None, type_id=None):
        product = self.get_object()
        type_pk = parse_id(type_id)
        link = (
            None
            if type_pk is None
            else selectors.product_link_get(product=product, deduction_type=type_pk)
        )
        if link is None:
            return Response(
                {"detail": "Der Abzugstyp ist mit diesem Leistungsprodukt nicht verknüpft."},
                status=status.HTTP_404_NOT_FOUND,
            )
        if request.method == "GET":
            return Response(ProductLinkSerializer(link).data)
        if request.method == "DELETE":
            services.product_link_remove(link=link, user=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        serializer = ProductLinkUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        moved = services.product_link_move(
            link=link, priority=serializer.validated_data["priority"], user=request.user
        )
        return Response(ProductLinkSerializer(moved).data)

    @extend_schema(request=None, responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """PR-3: who changed what and when (old and new values)."""
        entries = selectors.history_entries(instance=self.get_object())
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)


class DeductionTypeFilter(filters.FilterSet):
    product = filters.NumberFilter(
        field_name="product_links__product", label="Mit Leistungsprodukt verknüpft"
    )

    class Meta:
        model = DeductionType
        fields = ["category", "insufficient_balance_action", "product"]


class DeductionTypeViewSet(viewsets.ModelViewSet):
    """Deduction types (DT-1..9, DT-12); priority null on input = automatic (DT-7)."""

    permission_classes = [IsAdministratorOrReadOnly]
    serializer_class = DeductionTypeSerializer
    filter_backends = [IdFilterBackend, SearchFilter, OrderingFilter]
    filterset_class = DeductionTypeFilter
    search_fields = ["name"]
    ordering_fields = ["priority", "name", "id"]
    ordering = ["priority"]

    def get_queryset(self):
        return selectors.deduction_type_list()

    def perform_create(self, serializer):
        serializer.instance = services.deduction_type_create(
            **serializer.validated_data, user=self.request.user
        )

    def perform_update(self, serializer):
        serializer.instance = services.deduction_type_update(
            deduction_type=serializer.instance,
            data=dict(serializer.validated_data),
            user=self.request.user,
        )

    def perform_destroy(self, instance):
        services.deduction_type_delete(deduction_type=instance, user=self.request.user)

    @extend_schema(request=None, responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """DT-12: who changed what and when, including priority shifts by resequencing."""
        entries = selectors.history_entries(instance=self.get_object())
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(HistoryEntrySerializer(page, many=True).data)


router.register("products", ProductViewSet, basename="product")
router.register("deduction-types", DeductionTypeViewSet, basename="deduction-type")
