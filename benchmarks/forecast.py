"""Payoff-forecast benchmark (LI-3): the time of one forecast for a weekly case over ten
years, the forecast's worst case — a liability that is never repaid, so every one of the
520 future periods goes through the engine (a repaid liability stops at its payoff).

The case has 2 nominees, 2 components and 3 deductions in force (applied fixed paying the
liability, unapplied 5 % on all nominees, third-party fixed), like a real case.

Usage (creates and drops a test database of its own, SQLite unless DATABASE_URL is set):

    .venv/bin/python benchmarks/forecast.py [--repeat 20]

Prints figures only; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from cases.models import ProductDeliveryCase
        from payments.services.forecast import forecast_input, liability_forecast, run_forward
        from tests import factories
        from tests.payments.builders import add_deduction, build_case

        start = date(2026, 1, 5)
        setup = build_case(components=(("c1", "thomas", "300"), ("c2", "linda", "120")))
        ProductDeliveryCase.objects.filter(pk=setup.case.pk).update(
            expected_end_date=date(2035, 12, 31)
        )
        far = date(2035, 12, 31)
        liability = factories.LiabilityFactory(
            participant=setup.thomas, original_amount=Decimal("99999.00")
        )
        add_deduction(
            setup,
            name="Überzahlung",
            category="applied",
            amount="15",
            liability=liability,
            end=far,
            start=start,
        )
        add_deduction(setup, name="Strom", percentage="5", all_nominees=True, end=far)
        add_deduction(
            setup,
            name="Miete",
            category="third_party",
            amount="20",
            nominee="linda",
            third_party=factories.UtilityFactory(),
            end=far,
        )
        forecast = liability_forecast(liability_id=liability.pk, today=start)
        times, cpu, reads, engine = [], [], [], []
        for _ in range(args.repeat):
            began, began_cpu = time.perf_counter(), time.process_time()
            liability_forecast(liability_id=liability.pk, today=start)
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
            began = time.perf_counter()
            source = forecast_input(liability_ids=[liability.pk], today=start)
            reads.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            run_forward(source=source, targets=[liability.pk])
            engine.append((time.perf_counter() - began) * 1000)
        print(f"database: {connection.vendor}")
        print(f"periods run forward: {forecast.payments} payment dates, status {forecast.status}")
        print(
            f"one forecast: median {statistics.median(times):.1f} ms, "
            f"min {min(times):.1f} ms, max {max(times):.1f} ms ({args.repeat} runs)"
        )
        print(f"  CPU time of this process: median {statistics.median(cpu):.1f} ms")
        print(
            f"  of which reads (forecast_input): median {statistics.median(reads):.1f} ms, "
            f"engine (run_forward): median {statistics.median(engine):.1f} ms"
        )
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
