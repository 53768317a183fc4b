"""Payment simulation (SIM-1..3): the payments a case would receive up to a date, computed
with the same selectors and engine call as a payment run, and nothing written — unless the
caseworker saves the simulation, which stores its result and nothing else."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import CaseStatus
from config.dates import format_date
from config.exceptions import ValidationFailed

from .. import selectors
from ..errors import PaymentError as E
from ..models import Simulation
from ..results import payment_dict, simulation_totals
from .calculation import case_results


def simulation_notice(*, case_status: str | None) -> str | None:
    """SIM-1: what a real run would do differently for a case that is not active. Runs pay
    active cases only; a suspended case's periods are withheld, not forfeited (decisions:
    "Suspension withholds, it does not forfeit"). None for an active case."""
    if case_status == CaseStatus.SUSPENDED:
        return _(
            "Der Fall ist ausgesetzt: Zahlungsläufe zahlen nichts aus, solange er ausgesetzt "
            "ist. Nach der Wiederaufnahme zahlt der nächste Lauf die zurückgehaltenen Zeiträume "
            "nach. Die Simulation zeigt die Zahlungen, wie sie dann fällig werden."
        )
    if case_status == CaseStatus.OPEN:
        return _(
            "Der Fall ist noch nicht aktiv: Zahlungsläufe zahlen erst nach der Aktivierung; "
            "der erste Lauf danach zahlt die seit Fallbeginn fälligen Zeiträume. Die Simulation "
            "zeigt die Zahlungen, wie sie dann fällig werden."
        )
    if case_status == CaseStatus.CLOSED:
        return _(
            "Der Fall ist geschlossen: Zahlungsläufe zahlen für ihn nichts mehr aus. Die "
            "Simulation zeigt nur, was ohne die Schließung fällig wäre."
        )
    return None


# About ten years of weekly payments: enough for any real question, bounded for the server.
MAX_SIMULATION_PERIODS = 520


def simulation_default_name(*, up_to: date) -> str:
    """SIM-3: the name of a simulation saved without one ("Simulation bis 31.12.2035"),
    in the active language."""
    return _("Simulation bis %(date)s") % {"date": format_date(up_to)}


def simulation_run(
    *,
    case_id: int,
    up_to: date,
    user: User,
    save: bool = False,
    stop_at_expected_end: bool = False,
    name: str = "",
    note: str = "",
) -> dict:
    """SIM-1: every payment of the case due on or before ``up_to`` and not yet paid.

    With ``stop_at_expected_end`` (the pages' default) it ends with the period that
    contains the case's expected end date (as the payoff forecast does, D-129); ``cut_at``
    of the answer is that date when periods due by ``up_to`` were left out, else None.
    Runs do not stop there (D-104), so the API keeps simulating to ``up_to`` unless asked.
    A saved simulation carries ``name`` (default ``simulation_default_name``), ``note``
    and its totals.

    It starts after the last paid period (from the case start when nothing was paid) and
    from the liabilities' current outstanding amounts, and takes the deductions in force
    (active, processed, skipped — pending ones are active deductions whose start date
    lies ahead; the engine applies them from their start date). Before activation, when
    the case has no financial components yet, its case components stand in for them.

    Returns ``{"id", "case", "up_to", "payments", "case_status", "notice", "cut_at"}``;
    ``id`` is set when ``save`` is true; ``notice`` says what real runs do while the case
    is not active (``simulation_notice``), else it is None.
    """
    if not isinstance(up_to, date):
        raise ValidationFailed(
            _("Bitte ein gültiges Datum angeben."), field="up_to", code=E.SIMULATION_DATE_INVALID
        )
    batch = selectors.case_batch(case_ids=[case_id], components=selectors.ComponentSource.AUTO)
    if case_id in batch.errors:
        raise ValidationFailed(
            _("Der Fall kann nicht simuliert werden: %(reason)s")
            % {"reason": batch.errors[case_id]},
            code=E.SIMULATION_CASE_REFUSED,
        )
    data = batch.cases.get(case_id)
    payments: list[dict] = []
    case_end = selectors.case_expected_end(case_id=case_id) if stop_at_expected_end else None
    cut_at = None
    if data is not None:
        # One more than allowed is enough to know the date is too far: a date centuries
        # ahead never makes the server build (or overflow on) its periods.
        periods = data.periods_due(up_to, limit=MAX_SIMULATION_PERIODS + 1, case_end=case_end)
        if case_end is not None:
            # Cut when the date reaches a period after the one holding the expected end.
            beyond = data.periods_due(up_to, limit=len(periods) + 1)
            cut_at = case_end if len(beyond) > len(periods) else None
        if len(periods) > MAX_SIMULATION_PERIODS:
            raise ValidationFailed(
                _("Bitte ein früheres Datum wählen: höchstens %(n)s Zahlungszeiträume.")
                % {"n": MAX_SIMULATION_PERIODS},
                field="up_to",
                code=E.SIMULATION_TOO_MANY_PERIODS,
            )
        for result in case_results(data=data, periods=periods, outstanding=batch.outstanding()):
            payments.extend(payment_dict(payment) for payment in result.payments)
    simulation_id = None
    if save:
        if not payments:
            raise ValidationFailed(
                _("Bis zu diesem Datum ist keine Zahlung fällig; es gibt nichts zu speichern."),
                field="up_to",
                code=E.SIMULATION_NOTHING_DUE,
            )
        totals = simulation_totals(payments)["overall"]
        with transaction.atomic():
            simulation = Simulation(
                case_id=case_id,
                up_to=up_to,
                payments=payments,
                created_by=user,
                name=(name or "").strip() or simulation_default_name(up_to=up_to),
                note=(note or "").strip(),
                payment_count=totals["count"],
                total_gross=totals["gross"],
                total_deducted=totals["deducted"],
                total_net=totals["net"],
                skipped_count=totals["skipped"],
            )
            try:
                simulation.full_clean()
            except DjangoValidationError as exc:
                raise ValidationFailed.from_django(exc) from exc
            simulation.save()
        simulation_id = simulation.pk
    case_status = data.status if data is not None else None
    return {
        "id": simulation_id,
        "case": case_id,
        "up_to": up_to.isoformat(),
        "payments": payments,
        "case_status": case_status,
        "notice": simulation_notice(case_status=case_status),
        "cut_at": None if cut_at is None else cut_at.isoformat(),
    }
