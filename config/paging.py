"""Paging for lists of tables that grow by millions of rows (issue #14, item 11).

``SELECT COUNT(*)`` over a large table reads every row (PostgreSQL keeps no row count),
so a page of 100 rows must not cost a count of millions:

- :class:`EstimatedCountPaginator` counts an *unfiltered* list from the planner's estimate
  (``pg_class.reltuples``, kept current by autovacuum/ANALYZE) once the table is large;
  a small table, a filtered list and SQLite are counted as before, bounded.
- :class:`BoundedPaginator` counts at most ``limit`` rows (``COUNT(*)`` over a subquery
  with ``LIMIT limit + 1``); beyond that the count says "mehr als 10.000".
- :class:`LargeTableAdminMixin` puts both into an admin changelist, without the full
  count Django adds beside a filtered list (``show_full_result_count = False``).
- :func:`deferred_slice` reads a deep page (``OFFSET`` of thousands) by a deferred join:
  the offset walks only the primary keys in the list's order, then the page's rows are
  read with their joins and annotations. :class:`DeferredPaginator` is Django's paginator
  with deep pages read so (the same pages, counts and numbers); the two above build on it.
- :func:`keyset_page` pages by id (``WHERE id > after ORDER BY id LIMIT n``): as fast on
  the millionth row as on the first, for pages that need no page numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet, Subquery
from django.utils.functional import cached_property

COUNT_LIMIT = 10_000
"""Filtered lists are counted up to this many rows; beyond, "mehr als 10.000"."""

ESTIMATE_FROM = 100_000
"""Unfiltered lists of tables estimated at more rows than this show the estimate."""


DEFERRED_FROM = 1_000
"""Pages starting at this offset or deeper are read by :func:`deferred_slice`."""


def deferred_slice(object_list, bottom: int, top: int):
    """``object_list[bottom:top]``; for a deep slice of model rows, by a deferred join.

    ``OFFSET n`` reads and drops n rows: with the select_related joins and annotated
    subqueries of a list, each of them joined and computed. Deferred, the offset runs in
    a subquery over the primary keys alone, in the list's order (on PostgreSQL an
    index-only walk of the list's index), and only the page's rows are then read, with
    their joins, in the same order: the same rows as the plain slice, one query."""
    if (
        bottom < DEFERRED_FROM
        or not isinstance(object_list, QuerySet)
        or object_list._fields is not None  # values()/values_list(): not model rows
        or not object_list.ordered
        or object_list.query.distinct
        or object_list.query.combinator
        or object_list.query.group_by
        or object_list.query.is_sliced
    ):
        return object_list[bottom:top]
    keys = object_list.values("pk")[bottom:top]
    return object_list.filter(pk__in=Subquery(keys))


def table_estimate(queryset: QuerySet) -> int | None:
    """The planner's row estimate of the queryset's table on PostgreSQL, else None (SQLite,
    a table never analysed)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    if row is None or row[0] < 0:  # -1: never vacuumed or analysed
        return None
    return int(row[0])


def is_unfiltered(queryset: QuerySet) -> bool:
    """True when the queryset selects every row of its table (no WHERE, no DISTINCT, no
    slice): its count is the table's row count."""
    query = queryset.query
    return (
        not query.where
        and not query.distinct
        and query.low_mark == 0
        and query.high_mark is None
        and not query.combinator
    )


class DeferredPaginator(Paginator):
    """Django's paginator, with deep pages read by a deferred join (:func:`deferred_slice`):
    the same pages, counts and page numbers."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(deferred_slice(self.object_list, bottom, top), number, self)


class BoundedPaginator(DeferredPaginator):
    """A paginator that counts at most ``count_limit`` rows.

    ``count`` is then the limit and ``count_is_bounded`` is True: the list has more rows
    than that, and pages beyond the limit are not offered (narrow the filters instead)."""

    count_limit = COUNT_LIMIT
    count_is_estimate = False
    count_is_bounded = False

    def _bounded_count(self) -> int:
        object_list = self.object_list
        if not isinstance(object_list, QuerySet):
            return len(object_list)
        if object_list._fields is None and not object_list.query.group_by:
            # Rows of a model: only their primary keys, unordered (no annotation, no
            # ORDER BY in the counted subquery).
            object_list = object_list.order_by().values("pk")
        counted = object_list[: self.count_limit + 1].count()
        if counted > self.count_limit:
            self.count_is_bounded = True
            return self.count_limit
        return counted

    @cached_property
    def count(self) -> int:
        return self._bounded_count()

    @property
    def count_is_exact(self) -> bool:
        self.count  # noqa: B018 - the flags are set by counting
        return not (self.count_is_bounded or self.count_is_estimate)

    def validate_number(self, number):
        """As Django's; with a count that is not exact any page from 1 on is valid (rows
        may lie beyond the count shown); an empty one is still refused (EmptyPage)."""
        if self.count_is_exact:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        """As Django's with an exact count. Otherwise the page reads one row more than it
        shows, so "next" is known from the rows themselves, not from the count. A deep
        page is read by a deferred join (:func:`deferred_slice`) either way."""
        number = self.validate_number(number)
        if self.count_is_exact:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(deferred_slice(self.object_list, bottom, bottom + self.per_page + 1))
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return InexactPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    @property
    def count_label(self) -> str:
        """The count as shown: exact, "ca. 600.000" or "mehr als 10.000" (localized)."""
        from django.utils.formats import number_format
        from django.utils.translation import gettext

        number = number_format(self.count, force_grouping=True)
        if self.count_is_bounded:
            return gettext("mehr als %(count)s") % {"count": number}
        if self.count_is_estimate:
            return gettext("ca. %(count)s") % {"count": number}
        return number


class InexactPage(Page):
    """A page of a list whose count is estimated or bounded: it knows from its own rows
    whether another page follows."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class EstimatedCountPaginator(BoundedPaginator):
    """Unfiltered lists of large tables counted by the planner's estimate (PostgreSQL);
    everything else counted as :class:`BoundedPaginator` does (SQLite: always)."""

    estimate_from = ESTIMATE_FROM

    @cached_property
    def count(self) -> int:
        object_list = self.object_list
        if isinstance(object_list, QuerySet) and is_unfiltered(object_list):
            estimate = table_estimate(object_list)
            if estimate is not None and estimate > self.estimate_from:
                self.count_is_estimate = True
                return estimate
        return self._bounded_count()


class LargeTableAdminMixin:
    """Admin changelist of a table with millions of rows: no full count anywhere.

    The changelist counts through :class:`EstimatedCountPaginator` (its pagination shows
    "ca. …" or "mehr als …", templates/admin/pagination.html), and the count of the
    whole table Django shows beside a filtered list is left out. Put it before
    ``admin.ModelAdmin`` (or a subclass) in the bases."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False


@dataclass(frozen=True)
class KeysetPage:
    """One page of a list paged by id: its rows and the ids to page on from."""

    object_list: list
    next_after: int | None
    previous_before: int | None

    @property
    def has_other_pages(self) -> bool:
        return self.next_after is not None or self.previous_before is not None


def keyset_page(
    queryset: QuerySet, *, per_page: int, after: int | None = None, before: int | None = None
) -> KeysetPage:
    """The ``per_page`` rows after id ``after`` (or before id ``before``), ordered by id.

    One index range scan of ``per_page + 1`` rows whichever page: no OFFSET, no count."""
    if before is not None:
        rows = list(queryset.filter(pk__lt=before).order_by("-pk")[: per_page + 1])
        more_before = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return KeysetPage(
            object_list=rows,
            next_after=rows[-1].pk if rows else None,
            previous_before=rows[0].pk if rows and more_before else None,
        )
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    rows = list(queryset.order_by("pk")[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        object_list=rows,
        next_after=rows[-1].pk if rows and more else None,
        previous_before=rows[0].pk if rows and after is not None else None,
    )


def page_id(value: str | None) -> int | None:
    """A keyset position from the query string (None when absent or not a valid id)."""
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 <= number < 2**63 else None
