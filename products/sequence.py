"""The sequence function (DT-6, DT-7, DT-11, CD-9): priorities form a dense 1..n.

The pure part works on an ordered list of keys (position i+1 = priority). The database
part applies a result to rows in two phases (first to a parking range above any real
priority, then to the final values), so an ordinary, immediately checked unique
constraint never sees two rows with one priority, on PostgreSQL and SQLite alike.
Callers hold the lock of the sequence's scope (see `lock_scope`) for the transaction.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

# Parking range for the first phase of `apply_priorities`; far above any real priority.
_PARK_OFFSET = 1_000_000


def _clamp(position: int | None, size: int) -> int:
    """A wanted priority within 1..size; None means the next free one (size)."""
    if position is None:
        return size
    return max(1, min(int(position), size))


def insert_at(order: Sequence[K], item: K, position: int | None = None) -> list[K]:
    """Insert `item` so that it gets priority `position` (None = next free, DT-7)."""
    if item in order:
        raise ValueError(f"{item!r} is already in the sequence")
    result = list(order)
    target = _clamp(position, len(result) + 1)
    result.insert(target - 1, item)
    return result


def move_to(order: Sequence[K], item: K, position: int | None) -> list[K]:
    """Move `item` to priority `position`; the items between shift by one (DT-6).
    None moves it to the end."""
    result = [k for k in order if k != item]
    if len(result) == len(order):
        raise ValueError(f"{item!r} is not in the sequence")
    target = _clamp(position, len(result) + 1)
    result.insert(target - 1, item)
    return result


def remove(order: Sequence[K], item: K) -> list[K]:
    """Remove `item`; the items after it move up by one."""
    result = [k for k in order if k != item]
    if len(result) == len(order):
        raise ValueError(f"{item!r} is not in the sequence")
    return result


def next_free(order: Sequence[K]) -> int:
    return len(order) + 1


def priorities(order: Iterable[K]) -> dict[K, int]:
    """Key → priority (1..n) for an ordered sequence."""
    return {key: index for index, key in enumerate(order, start=1)}


def apply_priorities(queryset, wanted: dict[int, int], *, field: str = "priority") -> int:
    """Write `wanted` (pk → priority) to the rows of `queryset` whose priority changes.

    Two phases inside the caller's transaction: park the changing rows above every real
    priority, then set their final values. Returns the number of rows changed."""
    current = dict(queryset.filter(pk__in=list(wanted)).values_list("pk", field))
    changing = {pk: prio for pk, prio in wanted.items() if current.get(pk) != prio}
    if not changing:
        return 0
    model = queryset.model
    rows = [model(pk=pk, **{field: prio + _PARK_OFFSET}) for pk, prio in changing.items()]
    model._base_manager.bulk_update(rows, [field])
    for row in rows:
        setattr(row, field, getattr(row, field) - _PARK_OFFSET)
    model._base_manager.bulk_update(rows, [field])
    return len(rows)


def lock_scope(key: str) -> None:
    """Serialise changes to one sequence for the rest of the transaction.

    On PostgreSQL a transaction-scoped advisory lock on `key`; SQLite serialises writers
    itself (transactions start IMMEDIATE, see settings). Locking the rows alone is not
    enough: a row inserted by a concurrent transaction would not be among them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
