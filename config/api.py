"""Shared API pieces: pagination, the versioned router, German/English enum labels."""

from collections.abc import Mapping

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.routers import DefaultRouter

from .errors import CommonError
from .fields import DecimalField
from .paging import EstimatedCountPaginator


class Pagination(PageNumberPagination):
    """Pages of 50 (up to 500). ``count`` is exact up to 10,000 rows; an unfiltered list of
    a table of more than 100,000 rows counts by the planner's estimate and a filtered one
    stops at 10,000 (config/paging.py): ``next`` says whether rows follow."""

    django_paginator_class = EstimatedCountPaginator
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


router = DefaultRouter()

SUB_COLLECTION = {"pagination_class": None, "filter_backends": []}
"""@action arguments for a sub-collection of one object (a case's members, a product's
component types): it answers a bare JSON array, as api.md has it, not a page; and the
collection's list filters do not apply to it (nor to finding the object it belongs to)."""


class DisplayField(serializers.CharField):
    """`<field>_display`: the label of a choices field, in the request's language."""

    def __init__(self, source_field: str, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(source=f"get_{source_field}_display", **kwargs)


def money_field(**kwargs) -> serializers.DecimalField:
    """Money as a string with two decimals ("30.00")."""
    kwargs.setdefault("max_digits", 12)
    kwargs.setdefault("decimal_places", 2)
    return DecimalField(coerce_to_string=True, **kwargs)


class StatusThroughActionsMixin:
    """For serializers whose `status` is read-only because it changes only through action
    endpoints: a PATCH naming another status is a 400 on "status" with
    `status_actions_message` (German, naming the actions) instead of a 200 that silently
    ignored it. Naming the current status is harmless."""

    status_actions_message = ""

    def to_internal_value(self, data):
        instance = getattr(self, "instance", None)
        if instance is not None and isinstance(data, Mapping) and "status" in data:
            if str(data["status"]) != str(getattr(instance, "status", "")):
                raise serializers.ValidationError(
                    {"status": [str(self.status_actions_message)]},
                    code=CommonError.STATUS_THROUGH_ACTIONS,
                )
        return super().to_internal_value(data)
