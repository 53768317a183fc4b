"""The sequence function (DT-6, DT-7, DT-11): dense priorities 1..n under insert, move,
remove; and the two-phase write to the database."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from products import sequence, services
from products.models import DeductionType
from tests import factories

# --- pure functions -----------------------------------------------------------------------


def test_insert_at_front_shifts_the_others_DT_6():
    """DT-6: a new type at priority 1 among A=1, B=2 gives new=1, A=2, B=3."""
    order = sequence.insert_at(["A", "B"], "C", 1)
    assert sequence.priorities(order) == {"C": 1, "A": 2, "B": 3}


def test_insert_without_priority_takes_next_free_DT_7():
    """DT-7: no priority → the next free one (n + 1)."""
    assert sequence.insert_at(["A", "B"], "C", None) == ["A", "B", "C"]
    assert sequence.next_free(["A", "B"]) == 3
    assert sequence.next_free([]) == 1


@pytest.mark.parametrize(
    ("position", "expected"),
    [(1, ["C", "A", "B"]), (2, ["A", "C", "B"]), (3, ["A", "B", "C"]), (99, ["A", "B", "C"])],
    ids=["front", "middle", "end", "beyond-end-clamped"],
)
def test_insert_positions_DT_6(position, expected):
    """DT-6: inserting at p puts the item at p (clamped to n + 1)."""
    assert sequence.insert_at(["A", "B"], "C", position) == expected


def test_insert_of_existing_item_is_refused():
    with pytest.raises(ValueError):
        sequence.insert_at(["A", "B"], "A", 1)


@pytest.mark.parametrize(
    ("item", "position", "expected"),
    [
        ("D", 2, ["A", "D", "B", "C", "E"]),  # from q=4 up to p=2: B, C shift down
        ("B", 4, ["A", "C", "D", "B", "E"]),  # from q=2 down to p=4: C, D shift up
        ("C", 3, ["A", "B", "C", "D", "E"]),  # same place: nothing moves
        ("A", None, ["B", "C", "D", "E", "A"]),  # None: to the end
        ("E", 1, ["E", "A", "B", "C", "D"]),
    ],
    ids=["up", "down", "same", "to-end", "last-to-first"],
)
def test_move_shifts_only_the_items_between_DT_6(item, position, expected):
    """DT-6: moving from q to p shifts the types between p and q by one towards q."""
    assert sequence.move_to(["A", "B", "C", "D", "E"], item, position) == expected


def test_move_and_remove_of_unknown_item_are_refused():
    with pytest.raises(ValueError):
        sequence.move_to(["A"], "B", 1)
    with pytest.raises(ValueError):
        sequence.remove(["A"], "B")


def test_remove_closes_the_gap_DT_6():
    """DT-6: removing B from A, B, C leaves A=1, C=2."""
    assert sequence.priorities(sequence.remove(["A", "B", "C"], "B")) == {"A": 1, "C": 2}


# --- property: any sequence of operations ---------------------------------------------------


# Each operation is one integer drawn from 0..767 and decoded here, rather than a one_of of
# tuples with nested one_ofs (four to five draws an operation): generation costs about half
# as much at the same list sizes and is one flat kind of draw, and hypothesis still shrinks a
# failure towards short lists of small numbers, i.e. simple operations. n % 3 is the kind
# (insert, move, remove), the next two base-16 digits its index and position; positions
# are -2..12 or None (next free / the end), indexes 0..11 of the current order.
def _position(digit: int) -> int | None:
    return None if digit == 15 else digit - 2


def _decode(numbers: list[int]) -> list[tuple]:
    operations = []
    for n in numbers:
        kind, a, b = n % 3, (n // 3) % 16, (n // 48) % 16
        if kind == 0:
            operations.append(("insert", _position(a)))
        elif kind == 1:
            operations.append(("move", a % 12, _position(b)))
        else:
            operations.append(("remove", a % 12))
    return operations


def _operations(*, min_size: int = 0, max_size: int) -> st.SearchStrategy[list[tuple]]:
    return st.lists(st.integers(0, 3 * 16 * 16 - 1), min_size=min_size, max_size=max_size).map(
        _decode
    )


def test_decode_covers_every_operation_and_bound():
    """The decoding reaches each kind of operation, both ends of the ranges and None."""
    assert _decode([0, 1 + 3 * 11 + 48 * 14, 2 + 3 * 11, 3 * 15, 1 + 48 * 15, 767]) == [
        ("insert", -2),
        ("move", 11, 12),
        ("remove", 11),
        ("insert", None),
        ("move", 0, None),
        ("remove", 3),
    ]


def _expected_position(position, size):
    """Where an item asked for `position` lands in a sequence of `size` items."""
    if position is None:
        return size
    return max(1, min(position, size))


# No deadline: tests never assert on time (design.md), and on a loaded machine a single
# example may take longer than hypothesis' default of 200 ms without anything being wrong.
@settings(deadline=None)
@given(_operations(max_size=40))
def test_any_operations_keep_a_dense_permutation_DT_6_DT_7(operations):
    """DT-6, DT-7, DT-11: for any sequence of insert/move/remove operations the priorities
    stay a permutation of 1..n, the moved or inserted item lands where asked (clamped to
    1..n; None = next free / end), and every other item keeps its relative order."""
    note(f"operations: {operations}")
    order: list[int] = []
    next_key = 0
    for op in operations:
        before = list(order)
        if op[0] == "insert":
            item, position = next_key, op[1]
            next_key += 1
            if position is not None and position < 1:
                position = 1
            order = sequence.insert_at(order, item, position)
            assert sequence.priorities(order)[item] == _expected_position(position, len(order))
        elif op[0] == "move":
            if not order:
                continue
            item, position = order[op[1] % len(order)], op[2]
            if position is not None and position < 1:
                position = 1
            order = sequence.move_to(order, item, position)
            assert sequence.priorities(order)[item] == _expected_position(position, len(order))
        else:
            if not order:
                continue
            item = order[op[1] % len(order)]
            order = sequence.remove(order, item)
            assert item not in order
        prios = sequence.priorities(order)
        assert sorted(prios.values()) == list(range(1, len(order) + 1))
        assert len(set(order)) == len(order)
        others_before = [k for k in before if k != item]
        others_after = [k for k in order if k != item]
        assert others_after == others_before


# --- database: two-phase write and the services ---------------------------------------------


@pytest.mark.django_db
def test_apply_priorities_reverses_without_unique_violation_DT_6():
    """DT-6: apply_priorities writes a full reversal under the immediate unique
    constraint (two phases) and reports only the rows that changed."""
    types = [factories.DeductionTypeFactory() for _ in range(4)]
    wanted = {t.pk: 4 - i for i, t in enumerate(types)}
    assert sequence.apply_priorities(DeductionType.objects.all(), wanted) == 4
    assert dict(DeductionType.objects.values_list("pk", "priority")) == wanted
    assert sequence.apply_priorities(DeductionType.objects.all(), wanted) == 0


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    # The function-scoped fixtures are the autouse settings ones of tests/conftest.py and
    # the database of django_db; sharing them between examples is safe because each example
    # runs in its own transaction and rolls it back (below). Generation is one cheap draw
    # (see _operations), so the too_slow check stays on.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(_operations(min_size=1, max_size=12))
def test_services_keep_type_priorities_dense_for_any_operations_DT_6_DT_7(operations):
    """DT-6, DT-7: the same operations through deduction_type_create / _update / _delete
    leave the stored priorities a permutation of 1..n, each moved type where asked."""
    note(f"operations: {operations}")
    with transaction.atomic():
        count = 0
        for op in operations:
            existing = list(DeductionType.objects.order_by("priority"))
            if op[0] == "insert":
                position = max(1, op[1]) if op[1] is not None else None
                created = services.deduction_type_create(
                    name=f"T{count}", category="unapplied", priority=position
                )
                count += 1
                size = len(existing) + 1
                assert created.priority == _expected_position(position, size)
            elif op[0] == "move" and existing:
                target = existing[op[1] % len(existing)]
                position = max(1, op[2]) if op[2] is not None else None
                moved = services.deduction_type_update(
                    deduction_type=target, data={"priority": position}
                )
                assert moved.priority == _expected_position(position, len(existing))
                moved.refresh_from_db()
                assert moved.priority == _expected_position(position, len(existing))
            elif op[0] == "remove" and existing:
                services.deduction_type_delete(deduction_type=existing[op[1] % len(existing)])
            prios = list(
                DeductionType.objects.order_by("priority").values_list("priority", flat=True)
            )
            assert prios == list(range(1, len(prios) + 1))
        transaction.set_rollback(True)
