"""Page benchmark at agency scale (issue #14, item 11): generate a large data set on
PostgreSQL, then request every caseworker, supervisor and administrator page and every API
list with Django's test client and print the median server time per URL.

The data set is the payment benchmark's (``benchmarks/payment_run.py``: each case with 2
nominees, 3 components, 4 deductions, 1 liability) with two weekly payment runs over every
case (3 payments, 5 processing rows and 2 agency-account entries per case and run), plus
the demo users (admin, caseworker, supervisor) and an inbox of tasks for the supervisor.

Usage (needs a PostgreSQL database of its own; its domain tables are emptied first):

    createdb -h 127.0.0.1 -U postgres bench_pages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pages \\
        .venv/bin/python benchmarks/pages.py --cases 200000
    # again on the same data (only the pages are measured):
    DATABASE_URL=… .venv/bin/python benchmarks/pages.py --cases 200000 --keep

Each URL is requested once to warm it, then ``--repeat`` times (default 5); the median
of the server time (the test client's request, i.e. middleware, view, queries and
template, without a network) is printed, with the number of queries, the response size,
and ``!`` beside every URL over the budget (300 ms). Prints figures only; nothing here
is a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import payment_run  # noqa: E402  (the generator and the run code are reused)

BUDGET_MS = 300
TASKS = 20_000


def _refuse_sqlite() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "benchmarks/pages.py needs PostgreSQL: set DATABASE_URL to a database of its own, "
            "e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pages "
            "(the estimated counts and the query plans measured are PostgreSQL's)."
        )


def _users() -> dict:
    """The demo users (config/management/commands/seed_demo.py), by role."""
    from config.management.commands.seed_demo import demo_users_ensure

    return demo_users_ensure()


def _tasks(users: dict, count: int) -> None:
    """An inbox for the supervisor: half open, half done, each on a case."""
    from django.db import transaction

    from cases.models import ProductDeliveryCase
    from config import roles
    from workflow.models import Task

    supervisor = users[roles.SUPERVISOR]
    ids = list(ProductDeliveryCase.objects.order_by("pk").values_list("pk", flat=True)[:count])
    today = payment_run.RUN_DATE
    with transaction.atomic():
        Task.objects.bulk_create(
            [
                Task(
                    subject=f"Abzug prüfen {i}",
                    assignee=supervisor,
                    case_id=case_id,
                    status="open" if i % 2 else "closed",
                    due_date=today + timedelta(days=i % 30),
                )
                for i, case_id in enumerate(ids)
            ],
            batch_size=5000,
        )


def generate(n: int, users: dict) -> None:
    began = time.perf_counter()
    print(f"Erzeuge {n:,} Fälle …")
    payment_run._reset_database()
    payment_run.generate(n)
    print(f"  {time.perf_counter() - began:.1f} s")
    for week in range(2):
        run_date = payment_run.RUN_DATE + timedelta(days=7 * week)
        started = time.perf_counter()
        result = payment_run.whole_run_workers(run_date, 2)
        print(
            f"  Zahlungslauf {run_date}: {result['payments']:,} Zahlungen in "
            f"{time.perf_counter() - started:.1f} s"
        )
    _tasks(users, TASKS)
    print(f"Erzeugt in {time.perf_counter() - began:.1f} s")


def _urls(users: dict) -> list[tuple[str, str]]:
    """(role, url) of every page and API list to measure, on real ids of the data set."""
    from django.contrib import admin
    from django.urls import reverse

    from cases.models import ProductDeliveryCase
    from config import roles
    from config.api import router
    from deductions.models import Deduction
    from participants.models import Participant
    from payments.models import Payment, PaymentRun
    from workflow.models import Task

    cw, sv, ad = roles.CASEWORKER, roles.SUPERVISOR, roles.ADMINISTRATOR
    ids = ProductDeliveryCase.objects.order_by("pk").values_list("pk", flat=True)
    total = ids.count()
    case = ProductDeliveryCase.objects.get(pk=ids[total // 2])  # a case from the middle
    deep_after = ids[max(0, total - 60)]  # the agency account's last pages
    person = case.primary_client_id
    utility = Participant.objects.filter(type="utility").order_by("pk").first()
    deduction = Deduction.objects.filter(case=case).order_by("pk").first()
    payment = Payment.objects.filter(case=case, kind="benefit").order_by("pk").first()
    run = PaymentRun.objects.order_by("-run_date").first()
    task = Task.objects.filter(status="open").order_by("pk").first()
    r = reverse
    urls = [
        (cw, r("home")),
        (sv, r("home")),
        (ad, r("home")),
        (cw, r("cases:integrated-case-list")),
        (cw, r("cases:integrated-case-list") + "?status=open"),
        (cw, r("cases:integrated-case-list") + "?q=BIC-0010"),
        (cw, r("cases:integrated-case-list") + "?page=2000"),
        (cw, r("cases:integrated-case-detail", args=[case.integrated_case_id])),
        (cw, r("cases:pdc-detail", args=[case.pk])),
        (cw, r("cases:application-list")),
        (cw, r("cases:recent-cases")),
        (cw, r("participants:search") + "?q=Person 1234"),
        (cw, r("participants:search") + "?type=person"),
        (cw, r("participants:search") + "?type=person&page=2000"),
        (cw, r("participants:detail", args=[person])),
        (cw, r("deductions:case-list", args=[case.pk])),
        (cw, r("deductions:person-list", args=[person])),
        (cw, r("deductions:detail", args=[deduction.pk])),
        (cw, r("deductions:history", args=[deduction.pk])),
        (cw, r("payments:case-payments", args=[case.pk])),
        (cw, r("payments:payment-detail", args=[payment.pk])),
        (cw, r("payments:third-party-payments", args=[utility.pk])),
        (cw, r("payments:third-party-payments", args=[utility.pk]) + "?page=40"),
        (cw, r("payments:case-notices", args=[case.pk])),
        (cw, r("payments:agency-account")),
        (cw, r("payments:agency-account") + f"?after={deep_after}"),
        (sv, r("workflow:task-list")),
        (sv, r("workflow:notification-list")),
        (ad, r("payments:run-list")),
        (ad, r("payments:run-detail", args=[run.pk])),
        (ad, r("payments:run-skips", args=[run.pk])),
    ]
    if task is not None:
        urls.append((sv, r("workflow:task-detail", args=[task.pk])))
    # every API list (the router's collections), and the nested lists of one case
    for prefix, _viewset, _basename in router.registry:
        role = ad if prefix in ("payment-runs", "event-mappings", "workflow-events") else cw
        if prefix == "tasks" or prefix == "notifications":
            role = sv
        urls.append((role, f"/api/v1/{prefix}/"))
    urls += [
        (cw, f"/api/v1/payments/?case={case.pk}"),
        (cw, f"/api/v1/deductions/?case={case.pk}"),
        (cw, f"/api/v1/agency-account-entries/?case={case.pk}"),
        (cw, "/api/v1/agency-account-entries/summary/?by=type"),
        (cw, "/api/v1/agency-account-entries/summary/?by=case"),
        (cw, f"/api/v1/agency-account-entries/summary/?by=case&after={deep_after}"),
        (cw, "/api/v1/payments/?page=1000"),
    ]
    # every admin changelist
    for model in admin.site._registry:
        meta = model._meta
        urls.append((ad, r(f"admin:{meta.app_label}_{meta.model_name}_changelist")))
    for model, query in (
        (Payment, "?kind__exact=benefit"),
        (Payment, "?q=BPDC-00100001"),
        (Deduction, "?status__exact=active"),
    ):
        meta = model._meta
        url = r(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        urls.append((ad, url + query))
    return urls


def measure(users: dict, repeat: int, show_queries: bool = False) -> list[tuple[str, str, float]]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        clients[role] = client
    rows = []
    for role, url in _urls(users):
        client = clients[role]
        response = client.get(url)  # warm
        if response.status_code != 200:
            print(f"  {response.status_code} {url} ({role})")
            continue
        times = []
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - began) * 1000)
        median = statistics.median(times)
        size = len(response.content)
        flag = "!" if median > BUDGET_MS else " "
        print(
            f"{flag} {median:7.1f} ms  {len(queries):3d} q  {size / 1024:7.1f} KB  {url}  ({role})",
            flush=True,
        )
        if show_queries and median > BUDGET_MS:
            for query in sorted(queries, key=lambda q: -float(q["time"]))[:2]:
                print(f"      {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
        rows.append((role, url, median))
    return rows


def _matches(url: str, patterns: list[str]) -> bool:
    """True when ``url`` contains one of ``patterns`` (one ending in $: ends with it)."""
    return any(
        url.endswith(pattern[:-1]) if pattern.endswith("$") else pattern in url
        for pattern in patterns
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--keep", action="store_true", help="reuse generated data (only the pages are measured)"
    )
    parser.add_argument(
        "--queries", action="store_true", help="print the two slowest queries of a slow URL"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only URLs containing this text (repeatable; a trailing $ matches the end)",
    )
    args = parser.parse_args()
    _refuse_sqlite()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    # The test client needs its host; the benchmark has no static manifest.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    from cases.models import ProductDeliveryCase
    from payments.models import PaymentRun

    users = _users()
    have = ProductDeliveryCase.objects.count()
    if not (args.keep and have >= args.cases and PaymentRun.objects.count() >= 2):
        generate(args.cases, users)
    with django.db.connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if args.only:
        global _urls
        every = _urls
        _urls = lambda users: [u for u in every(users) if _matches(u[1], args.only)]  # noqa: E731
    print(f"{ProductDeliveryCase.objects.count():,} Fälle; Median aus {args.repeat} Abrufen:")
    rows = measure(users, args.repeat, args.queries)
    over = [row for row in rows if row[2] > BUDGET_MS]
    print(f"{len(rows)} URLs, {len(over)} über {BUDGET_MS} ms")
    print(f"Last (1/5/15 min): {os.getloadavg()}  Kerne: {os.cpu_count()}")


if __name__ == "__main__":
    main()
