"""SIM-1, PAY-13: on PostgreSQL, a payment run over a generated set of varied cases writes
exactly what the simulation computes for the same cases — so the run's fast write path
(COPY rows, ``UPDATE … FROM VALUES`` literals, deduction transitions applied to rows,
chunks of several cases) cannot drift from the engine.

Checked per case: the benefit payments with their breakdowns (PAY-1..PAY-6, PAY-12), one
processing row per line with status, amount, reason and balance (PAY-9, PAY-10), the
agency-account entries of unapplied lines (LI-2), the third-party payments (PAY-11), the
deductions' status, processed total and last processing date (CD-10) and the
liabilities' outstanding amounts and status (PAY-7, LI-1).

Run with DATABASE_URL pointing at PostgreSQL; skipped on SQLite (there the run takes the
``bulk_create`` path that tests/payments/test_simulation_matches_run.py covers).
"""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from cases.models import Liability
from deductions.models import Deduction
from payments.models import AgencyAccountEntry, DeductionProcessing, Payment
from payments.services import payment_run_process_inline, payment_run_start, simulation_run
from tests import factories
from tests.payments.builders import START, add_deduction, build_case

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db,
]

RUN_DATE = date(2026, 1, 26)  # three weekly periods due: 5–11, 12–18 and 19–25 January
CASES = 60
CHUNK = 16  # several chunks, the last one short


def _cents(rng: random.Random, low: int, high: int) -> str:
    return f"{Decimal(rng.randint(low * 100, high * 100)) / 100:.2f}"


def _generated_case(rng: random.Random, utility):
    """One case of a seeded random shape: 2–3 components (taxable, not deductible or
    plain), product limits that make lines skip or shrink, 2–5 deductions of every kind."""
    components = [("c1", "thomas", _cents(rng, 40, 400)), ("c2", "linda", _cents(rng, 20, 300))]
    if rng.random() < 0.6:
        components.append(("c3", rng.choice(["thomas", "linda"]), _cents(rng, 10, 120)))
    setup = build_case(
        rate=rng.choice(["10", "25", "30", "50", "100"]),
        min_deduction=rng.choice(["0", "1", "2.50"]),
        min_payment=rng.choice(["0", "0", "30", "120"]),
        tax=rng.choice([None, None, "10", "12.5"]),
        components=tuple(components),
        taxable=("c2",) if rng.random() < 0.4 else (),
        not_deductible=("c3",) if len(components) == 3 and rng.random() < 0.5 else (),
        override=rng.random() < 0.1,
    )
    liability = factories.LiabilityFactory(
        participant=setup.thomas, original_amount=Decimal(_cents(rng, 5, 90))
    )
    kinds = ["fixed", "applied", "third_party", "component", "percent"]
    rng.shuffle(kinds)
    for priority, kind in enumerate(kinds[: rng.randint(2, 5)], start=1):
        action = rng.choice(["skip", "partial"])
        start = START + timedelta(days=7 * rng.choice([0, 0, 0, 1]))
        if kind == "fixed":
            add_deduction(
                setup,
                amount=_cents(rng, 1, 60),
                nominee=rng.choice(["thomas", "linda"]),
                action=action,
                start=start,
                priority=priority,
            )
        elif kind == "applied":
            add_deduction(
                setup,
                category="applied",
                percentage=rng.choice(["5", "10", "20"]),
                all_nominees=True,
                liability=liability,
                type_max=rng.choice([None, "12.00"]),
                action="partial",
                start=start,
                priority=priority,
            )
        elif kind == "third_party":
            add_deduction(
                setup,
                category="third_party",
                amount=_cents(rng, 5, 80),
                nominee="linda",
                third_party=utility,
                action=action,
                start=start,
                priority=priority,
            )
        elif kind == "component":
            add_deduction(
                setup,
                percentage=rng.choice(["3", "15"]),
                component=rng.choice([key for key, _, _ in components]),
                type_min=rng.choice([None, "2.00"]),
                start=start,
                priority=priority,
            )
        else:
            add_deduction(
                setup,
                percentage=rng.choice(["2", "8"]),
                nominee=rng.choice(["thomas", "linda"]),
                action=action,
                start=start,
                priority=priority,
            )
    return setup


def _expected(simulated: dict[int, list[dict]]) -> dict:
    """What the run must write, from the simulations' payments alone."""
    lines, agency, third_party = [], [], []
    totals: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    last: dict[int, tuple] = {}
    for payments in simulated.values():
        for payment in sorted(payments, key=lambda p: (p["period_start"], p["nominee"])):
            for line in payment["deductions"]:
                key = (line["deduction"], payment["nominee"], payment["period_start"])
                lines.append(
                    (*key, line["status"], line["amount"], line["reason"] or "")
                    + (line["balance_after"],)
                )
                processed = line["status"] == "processed"
                last[line["deduction"]] = (payment["effective_date"], processed)
                if not processed:
                    continue
                totals[line["deduction"]] += Decimal(line["amount"])
                if line["category"] == "unapplied":
                    agency.append((*key, line["amount"]))
                elif line["category"] == "third_party":
                    third_party.append((*key, line["amount"]))
    return {
        "lines": sorted(lines),
        "agency": sorted(agency),
        "third_party": sorted(third_party),
        "deductions": {
            pk: (
                "processed" if processed else "skipped",
                f"{totals[pk]:.2f}",
                on,
            )
            for pk, (on, processed) in last.items()
        },
    }


def test_payment_run_on_generated_cases_matches_simulation_SIM_1_PAY_13(settings, caseworker):
    """SIM-1, PAY-13 (also PAY-5..PAY-12, CD-10, LI-1, LI-2): 60 generated cases paid in
    chunks of 16 over three weeks on PostgreSQL; every payment, processing row, agency
    entry, third-party payment, deduction and liability equals what simulating each case
    beforehand gives."""
    settings.PAYMENT_RUN_CHUNK_SIZE = CHUNK
    rng = random.Random(13)
    utility = factories.UtilityFactory()
    setups = [_generated_case(rng, utility) for _ in range(CASES)]
    simulated = {
        setup.case.pk: simulation_run(case_id=setup.case.pk, up_to=RUN_DATE, user=caseworker)[
            "payments"
        ]
        for setup in setups
    }
    liabilities_before = {
        pk: (original, outstanding)
        for pk, original, outstanding in Liability.objects.values_list(
            "pk", "original_amount", "outstanding_amount"
        )
    }
    expected = _expected(simulated)
    # The data set exercises what it should: skips, agency entries, third-party payments.
    assert {line[3] for line in expected["lines"]} == {"processed", "skipped"}
    assert expected["agency"] and expected["third_party"]

    run, _ = payment_run_start(run_date=RUN_DATE, enqueue=False)
    assert run.chunks.count() == -(-CASES // CHUNK)
    assert payment_run_process_inline(run=run).status == "completed"

    for setup in setups:
        recorded = [
            p.breakdown()
            for p in Payment.objects.filter(case=setup.case, kind="benefit").order_by(
                "period_start", "nominee_id"
            )
        ]
        assert recorded == sorted(
            simulated[setup.case.pk], key=lambda p: (p["period_start"], p["nominee"])
        ), f"case {setup.case.pk}"
    rows = sorted(
        (
            row.deduction_id,
            row.nominee_id,
            row.period_start.isoformat(),
            row.status,
            f"{row.amount:.2f}",
            row.reason,
            f"{row.balance_after:.2f}",
        )
        for row in DeductionProcessing.objects.all()
    )
    assert rows == expected["lines"]
    agency = sorted(
        (e.deduction_id, e.nominee_id, e.period_start.isoformat(), f"{e.amount:.2f}")
        for e in AgencyAccountEntry.objects.all()
    )
    assert agency == expected["agency"]
    third_party = sorted(
        (p.deduction_id, p.nominee_id, p.period_start.isoformat(), f"{p.net:.2f}")
        for p in Payment.objects.filter(kind="third_party")
    )
    assert third_party == expected["third_party"]
    deductions = {
        d.pk: (d.status, f"{d.processed_total:.2f}", d.last_processed_on.isoformat())
        for d in Deduction.objects.filter(last_processed_on__isnull=False)
    }
    assert deductions == expected["deductions"]
    paid = defaultdict(lambda: Decimal("0.00"))
    for row in DeductionProcessing.objects.filter(liability__isnull=False, status="processed"):
        paid[row.liability_id] += row.amount
    for liability in Liability.objects.all():
        original, before = liabilities_before[liability.pk]
        outstanding = before - paid[liability.pk]
        assert liability.outstanding_amount == outstanding
        assert liability.status == ("settled" if outstanding == 0 else "open")
        assert liability.original_amount == original
    # Applied lines that were paid reduced liabilities the simulation also reduced.
    simulated_applied = sum(
        Decimal(line["amount"])
        for payments in simulated.values()
        for payment in payments
        for line in payment["deductions"]
        if line["category"] == "applied" and line["status"] == "processed"
    )
    assert sum(paid.values()) == simulated_applied
