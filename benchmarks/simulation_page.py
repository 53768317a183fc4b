"""Simulation page benchmark (SIM-2 at scale, issue 14): size and time of the simulation
page for a weekly case simulated ten years ahead (988 payments of 2 nominees), first
load, a later page, a filter, the htmx list fragment and a saved simulation's page.

Usage (creates and drops a test database of its own, SQLite unless DATABASE_URL is set):

    .venv/bin/python benchmarks/simulation_page.py [--repeat 5]

Prints figures only; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

UP_TO = "2035-06-25"  # 494 weekly periods from 5 January 2026 (the limit is 520)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from django.test import Client
        from django.urls import reverse

        from cases.models import ProductDeliveryCase
        from config import roles
        from payments.services import simulation_run
        from tests import factories
        from tests.payments.builders import add_deduction, build_case

        user = factories.UserFactory(username="bench", role=roles.CASEWORKER)
        setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
        add_deduction(setup, name="Strom", amount="20", nominee="thomas")
        add_deduction(setup, name="Gas", amount="40", nominee="thomas", end=date(2036, 1, 1))
        ProductDeliveryCase.objects.filter(pk=setup.case.pk).update(
            expected_end_date=date(2036, 1, 1)
        )
        saved = simulation_run(
            case_id=setup.case.pk, up_to=date.fromisoformat(UP_TO), user=user, save=True
        )["id"]
        client = Client()
        client.force_login(user)
        url = reverse("payments:simulate", args=[setup.case.pk])
        cases = {
            "first load": (url, {"up_to": UP_TO}, {}),
            "page 10": (url, {"up_to": UP_TO, "page": "10"}, {}),
            "expanded (Alle aufklappen)": (url, {"up_to": UP_TO, "expand": "1"}, {}),
            "filter: skipped only": (url, {"up_to": UP_TO, "with_skips": "on"}, {}),
            "htmx list fragment": (
                url,
                {"up_to": UP_TO, "page": "2"},
                {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "simulation-payments"},
            ),
            "saved simulation": (
                reverse("payments:simulation-detail", args=[setup.case.pk, saved]),
                {},
                {},
            ),
        }
        print(f"{'page':<30} {'bytes':>9} {'median ms':>10} {'min ms':>8}")
        for name, (path, params, headers) in cases.items():
            times, size = [], 0
            for _ in range(args.repeat):
                begin = time.perf_counter()
                response = client.get(path, params, **headers)
                times.append((time.perf_counter() - begin) * 1000)
                assert response.status_code == 200, response.status_code
                size = len(response.content)
            print(f"{name:<30} {size:>9} {statistics.median(times):>10.0f} {min(times):>8.0f}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
