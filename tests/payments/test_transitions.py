"""CD-10: the deduction transitions a payment run applies to rows
(``payments.services.transitions``) give what django-fsm's ``mark_processed`` and
``mark_skipped`` give on a model instance: the same status, processed total and date for
every status and outcome, and ``TransitionNotAllowed`` from the same statuses."""

from datetime import date
from decimal import Decimal

import pytest
from django_fsm import TransitionNotAllowed

from deductions.models import Deduction, DeductionStatus
from payments.engine import DeductionOutcome
from payments.selectors.inputs import DEDUCTION_PROCESSING_FIELDS, DeductionRow
from payments.services.transitions import processing_rows

ON = date(2026, 3, 9)
BEFORE = date(2026, 3, 2)
OUTCOMES = {
    "last processed": DeductionOutcome(
        processed_total=Decimal("12.34"), last_on=ON, last_processed=True
    ),
    "processed, then skipped": DeductionOutcome(
        processed_total=Decimal("5.00"), last_on=ON, last_processed=False
    ),
    "only skipped": DeductionOutcome(
        processed_total=Decimal("0.00"), last_on=ON, last_processed=False
    ),
}


def _row(status: str, total: Decimal, last_on) -> DeductionRow:
    values = dict.fromkeys(DeductionRow._fields)
    values.update(pk=7, status=status, processed_total=total, last_processed_on=last_on)
    return DeductionRow(**values)


def _through_fsm(status: str, total: Decimal, last_on, outcome: DeductionOutcome) -> tuple:
    """What LedgerWriter did before: the FSM methods on a model instance."""
    deduction = Deduction.from_db(None, DEDUCTION_PROCESSING_FIELDS, (7, status, total, last_on))
    if outcome.last_processed:
        deduction.mark_processed(amount=outcome.processed_total, on=outcome.last_on)
    else:
        if outcome.processed_total:
            deduction.mark_processed(amount=outcome.processed_total, on=outcome.last_on)
        deduction.mark_skipped(on=outcome.last_on)
    return (deduction.pk, deduction.status, deduction.processed_total, deduction.last_processed_on)


@pytest.mark.parametrize("status", list(DeductionStatus.values))
@pytest.mark.parametrize("outcome", list(OUTCOMES))
@pytest.mark.parametrize("before", [(Decimal("0.00"), None), (Decimal("40.10"), BEFORE)])
def test_row_transitions_match_the_fsm_CD_10(status, outcome, before):
    """CD-10: for each status (in force or not) and each outcome of a chunk, the row-based
    transitions and the FSM agree on the result, or both refuse."""
    total, last_on = before
    try:
        expected = _through_fsm(status, total, last_on, OUTCOMES[outcome])
    except TransitionNotAllowed:
        with pytest.raises(TransitionNotAllowed):
            processing_rows(
                rows={7: _row(status, total, last_on)}, outcomes=[(7, OUTCOMES[outcome])]
            )
        assert status not in ("active", "processed", "skipped")
        return
    got = processing_rows(rows={7: _row(status, total, last_on)}, outcomes=[(7, OUTCOMES[outcome])])
    assert got == [expected]
    assert [type(value) for value in got[0]] == [type(value) for value in expected]
