"""Deep pages by a deferred join (issue #14, item 11; config.paging.deferred_slice): the
offset runs over the primary keys only, then the page's rows are read. The same rows, in
the same order, as plain OFFSET paging, on SQLite and on PostgreSQL."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from cases.models import IntegratedCase
from cases.selectors import integrated_case_list
from config import paging
from config.paging import BoundedPaginator, DeferredPaginator, deferred_slice
from participants.models import Participant
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def deep_from_two(monkeypatch):
    """Every slice from offset 2 on is deferred (instead of from 1,000)."""
    monkeypatch.setattr(paging, "DEFERRED_FROM", 2)


@pytest.fixture
def cases():
    """Seven cases whose clients share names in pairs: ties broken by id in the order."""
    clients = [factories.PersonFactory(name=f"Name {n // 2}") for n in range(7)]
    return [factories.IntegratedCaseFactory(primary_client=c) for c in clients]


def ordered_cases():
    """A list with joins and an annotation, ordered through the join, ties by id."""
    return (
        IntegratedCase.objects.select_related("primary_client", "case_type")
        .annotate(marker=Value(1))
        .order_by("-primary_client__name", "id")
    )


def test_deferred_slice_returns_the_rows_of_the_plain_slice(deep_from_two, cases):
    """Every window of the list: the same rows in the same order, joins and annotations
    read (one query each)."""
    plain = [c.pk for c in ordered_cases()]
    for bottom in range(len(plain) + 1):
        for top in range(bottom, len(plain) + 2):
            with CaptureQueriesContext(connection) as queries:
                rows = list(deferred_slice(ordered_cases(), bottom, top))
            assert [r.pk for r in rows] == plain[bottom:top]
            assert len(queries) <= 1
            assert all(r.marker == 1 and r.primary_client.name for r in rows)


def test_a_deep_slice_offsets_the_primary_keys_only(deep_from_two, cases):
    """From DEFERRED_FROM on, the offset is inside a subquery on the primary keys; the
    rows are read by those keys."""
    with CaptureQueriesContext(connection) as queries:
        list(deferred_slice(ordered_cases(), 3, 5))
    sql = queries[0]["sql"]
    assert "OFFSET 3" in sql
    assert sql.index("OFFSET") > sql.index("IN (SELECT")


def test_a_shallow_slice_is_the_plain_slice(cases):
    """Under DEFERRED_FROM (1,000) the slice is Django's: no subquery."""
    with CaptureQueriesContext(connection) as queries:
        rows = list(deferred_slice(ordered_cases(), 2, 4))
    assert [r.pk for r in rows] == [c.pk for c in ordered_cases()][2:4]
    assert "IN (SELECT" not in queries[0]["sql"]


def test_values_lists_and_distinct_lists_are_sliced_plainly(deep_from_two, cases):
    """Rows that are not model instances, or a DISTINCT list, are not deferred."""
    values = IntegratedCase.objects.order_by("id").values_list("pk", flat=True)
    assert list(deferred_slice(values, 2, 4)) == [c.pk for c in cases[2:4]]
    distinct = IntegratedCase.objects.order_by("id").distinct()
    with CaptureQueriesContext(connection) as queries:
        assert [c.pk for c in deferred_slice(distinct, 2, 4)] == [c.pk for c in cases[2:4]]
    assert "IN (SELECT" not in queries[0]["sql"]
    assert deferred_slice([1, 2, 3, 4], 2, 4) == [3, 4]


def test_deferred_paginator_pages_as_djangos(deep_from_two, cases):
    """Every page, with and without orphans: the rows, count and numbers of Django's
    paginator."""
    for per_page, orphans in ((2, 0), (3, 1), (2, 1)):
        plain = Paginator(ordered_cases(), per_page, orphans=orphans)
        deferred = DeferredPaginator(ordered_cases(), per_page, orphans=orphans)
        assert deferred.count == plain.count
        assert deferred.num_pages == plain.num_pages
        for number in plain.page_range:
            expected = plain.page(number)
            page = deferred.page(number)
            assert [r.pk for r in page.object_list] == [r.pk for r in expected.object_list]
            assert page.has_next() == expected.has_next()


class SmallBound(BoundedPaginator):
    count_limit = 3


def test_bounded_pages_beyond_the_count_are_deferred_and_the_same(deep_from_two, cases):
    """A bounded (inexact) count: deep pages read by the deferred join give the rows of
    plain offset paging, and "next" from the rows."""
    plain = [c.pk for c in ordered_cases()]
    paginator = SmallBound(ordered_cases(), 2)
    assert paginator.count_is_exact is False
    for number in (1, 2, 3, 4):
        page = paginator.page(number)
        assert [r.pk for r in page.object_list] == plain[(number - 1) * 2 : number * 2]
        assert page.has_next() == (number < 4)


def test_the_case_list_deep_page_matches_plain_paging(deep_from_two, cases):
    """The case list (its count annotation and joins) paged deep: the same cases."""
    qs = integrated_case_list()
    plain = [c.pk for c in qs]
    rows = list(deferred_slice(integrated_case_list(), 3, 6))
    assert [r.pk for r in rows] == plain[3:6]
    assert all(r.pdc_count == 0 for r in rows)


def test_participant_search_pages_match_plain_paging(deep_from_two):
    """Participants ordered by name and id (participant search page)."""
    for n in range(6):
        factories.PersonFactory(name=f"Same {n % 2}")
    qs = Participant.objects.order_by("name", "id")
    plain = [p.pk for p in qs]
    assert [p.pk for p in deferred_slice(qs, 2, 5)] == plain[2:5]
