"""Paging of large tables (issue #14, item 11; config/paging.py): bounded and estimated
counts, pages by id. The estimate path runs on PostgreSQL only (skipped on SQLite)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.paging import (
    BoundedPaginator,
    EstimatedCountPaginator,
    is_unfiltered,
    keyset_page,
    page_id,
    table_estimate,
)
from participants.models import Participant
from tests import factories

pytestmark = pytest.mark.django_db


class SmallBound(BoundedPaginator):
    count_limit = 5


class SmallEstimate(EstimatedCountPaginator):
    count_limit = 5
    estimate_from = 3


@pytest.fixture
def people():
    return factories.PersonFactory.create_batch(8)


def test_bounded_count_stops_at_the_limit(people):
    """Beyond the limit the count is the limit, flagged, and shown as "mehr als"."""
    paginator = SmallBound(Participant.objects.order_by("pk"), 2)
    assert paginator.count == 5
    assert paginator.count_is_bounded is True
    assert paginator.num_pages == 3
    assert paginator.count_label == "mehr als 5"
    assert [p.pk for p in paginator.page(3).object_list] == [people[4].pk, people[5].pk]


def test_bounded_count_is_exact_under_the_limit(people):
    paginator = SmallBound(Participant.objects.filter(pk__in=[p.pk for p in people[:4]]), 2)
    assert paginator.count == 4
    assert paginator.count_is_bounded is False
    assert paginator.count_label == "4"


def test_bounded_count_counts_with_one_limited_query(people):
    """The count reads at most limit + 1 rows: COUNT over a subquery with LIMIT."""
    paginator = SmallBound(Participant.objects.order_by("pk"), 2)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 5
    assert len(queries) == 1
    assert "LIMIT 6" in queries[0]["sql"]


def test_bounded_paginator_counts_lists(people):
    paginator = SmallBound(list(range(7)), 2)
    assert paginator.count == 7 and paginator.count_is_bounded is False


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")
def test_estimated_paginator_counts_exactly_on_sqlite(people):
    """SQLite keeps no planner estimate: the unfiltered list is counted (bounded)."""
    assert table_estimate(Participant.objects.all()) is None
    paginator = SmallEstimate(Participant.objects.order_by("pk"), 2)
    assert paginator.count == 5 and paginator.count_is_bounded is True
    assert paginator.count_is_estimate is False
    paginator = EstimatedCountPaginator(Participant.objects.order_by("pk"), 2)
    assert paginator.count == 8 and paginator.count_is_estimate is False


def test_filtered_list_is_never_estimated(people):
    paginator = SmallEstimate(Participant.objects.filter(name__startswith="Person"), 2)
    assert paginator.count == 5
    assert paginator.count_is_estimate is False and paginator.count_is_bounded is True


def test_is_unfiltered():
    assert is_unfiltered(Participant.objects.order_by("name").select_related())
    assert not is_unfiltered(Participant.objects.filter(type="person"))
    assert not is_unfiltered(Participant.objects.distinct())
    assert not is_unfiltered(Participant.objects.all()[:10])


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
def test_estimated_count_on_postgresql_reads_the_planner_estimate(people):
    """PostgreSQL: once the table is analysed, the unfiltered list's count is the
    planner's estimate (no COUNT query), shown as "ca. …"; a filtered one is counted."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Participant._meta.db_table}")
    assert table_estimate(Participant.objects.all()) == 8
    paginator = SmallEstimate(Participant.objects.order_by("pk"), 2)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 8
    assert paginator.count_is_estimate is True
    assert paginator.count_label == "ca. 8"
    assert not any("COUNT(" in q["sql"].upper() for q in queries)
    filtered = SmallEstimate(Participant.objects.filter(type="person"), 2)
    assert filtered.count == 5 and filtered.count_is_estimate is False


def test_keyset_pages_forwards_and_backwards(people):
    ids = [p.pk for p in people]
    qs = Participant.objects.all()
    first = keyset_page(qs, per_page=3)
    assert [p.pk for p in first.object_list] == ids[:3]
    assert first.previous_before is None and first.next_after == ids[2]
    second = keyset_page(qs, per_page=3, after=first.next_after)
    assert [p.pk for p in second.object_list] == ids[3:6]
    assert second.previous_before == ids[3] and second.next_after == ids[5]
    last = keyset_page(qs, per_page=3, after=second.next_after)
    assert [p.pk for p in last.object_list] == ids[6:]
    assert last.next_after is None and last.previous_before == ids[6]
    back = keyset_page(qs, per_page=3, before=last.previous_before)
    assert [p.pk for p in back.object_list] == ids[3:6]
    assert back.previous_before == ids[3] and back.next_after == ids[5]
    start = keyset_page(qs, per_page=3, before=back.previous_before)
    assert [p.pk for p in start.object_list] == ids[:3]
    assert start.previous_before is None and start.has_other_pages


def test_keyset_single_page_has_no_other_pages(people):
    page = keyset_page(Participant.objects.all(), per_page=20)
    assert len(page.object_list) == 8 and not page.has_other_pages


@pytest.mark.parametrize(
    "value, expected",
    [("12", 12), ("", None), (None, None), ("x", None), ("-1", None), (str(2**63), None)],
)
def test_page_id(value, expected):
    assert page_id(value) == expected


def test_pages_beyond_a_bounded_count_are_served(people):
    """With a count that is not exact, "next" comes from the rows: the page past the
    bound is served, and only a page without rows is refused."""
    from django.core.paginator import EmptyPage

    paginator = SmallBound(Participant.objects.order_by("pk"), 2)
    third = paginator.page(3)
    assert third.has_next() and third.next_page_number() == 4
    fourth = paginator.page(4)
    assert [p.pk for p in fourth.object_list] == [people[6].pk, people[7].pk]
    assert not fourth.has_next() and fourth.end_index() == 8
    with pytest.raises(EmptyPage):
        paginator.page(5)
