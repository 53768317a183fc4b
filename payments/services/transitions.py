"""CD-10 for a whole chunk: the deductions' processing transitions without model instances.

A payment run moves each deduction it processed through ``Deduction.mark_processed`` and
``Deduction.mark_skipped`` (django-fsm). Building a model instance per deduction only to
call them cost ~0.05 ms per case (docs/performance.md). ``processing_rows`` applies the
same transitions to plain ``(pk, status, processed_total, last_processed_on)`` tuples:
the sources and targets are read from the FSM's own transition table (so a change to the
model's transitions changes this too), a status that has no such transition raises the
FSM's ``TransitionNotAllowed`` (failing the whole chunk, as the FSM call did), and a
transition with conditions is refused here outright (none has any today; one that had
would need its conditions evaluated on a model instance). The effects are those of the
methods: ``mark_processed`` adds the amount and sets the date, ``mark_skipped`` sets the
date. tests/payments/test_transitions.py checks the result against the FSM path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django_fsm import TransitionNotAllowed

from deductions.models import Deduction

from ..engine import DeductionOutcome
from ..selectors.inputs import DeductionRow


def _targets(method) -> dict[str, str]:
    """Source status → target status of one FSM transition method (no conditions)."""
    targets = {}
    for source, transition in method._django_fsm.transitions.items():
        if transition.conditions:
            raise NotImplementedError(
                f"{method.__name__}: transitions with conditions need the FSM path"
            )
        targets[source] = transition.target
    return targets


_PROCESSED = _targets(Deduction.mark_processed)
_SKIPPED = _targets(Deduction.mark_skipped)


def _move(targets: dict[str, str], name: str, pk: int, status: str) -> str:
    target = targets.get(status)
    if target is None:
        raise TransitionNotAllowed(
            f"Can't switch from state '{status}' using method '{name}'",
            object=None,
            method=name,
        )
    return target


def processing_rows(
    *,
    rows: Mapping[int, DeductionRow],
    outcomes: Iterable[tuple[int, DeductionOutcome]],
) -> list[tuple[int, str, Decimal, date]]:
    """The new ``(pk, status, processed_total, last_processed_on)`` of each deduction in
    ``outcomes``, from its row in ``rows`` (pk → the deduction as the run read it).

    Per deduction, as ``LedgerWriter`` did with the FSM: last line processed →
    ``mark_processed(total)``; otherwise ``mark_processed(total)`` if anything was
    processed, then ``mark_skipped``."""
    moved = []
    for pk, outcome in outcomes:
        row = rows[pk]
        status, total, last_on = row.status, row.processed_total, row.last_processed_on
        on = outcome.last_on
        if outcome.last_processed or outcome.processed_total:
            status = _move(_PROCESSED, "mark_processed", pk, status)
            total = total + outcome.processed_total
            last_on = on
        if not outcome.last_processed:
            status = _move(_SKIPPED, "mark_skipped", pk, status)
            last_on = on
        moved.append((pk, status, total, last_on))
    return moved
