"""Payment-run benchmark (PAY-13): generate N synthetic cases on PostgreSQL, then measure

1. the engine alone (pure calculation over inputs already loaded),
2. the whole run in one process (plan, then every chunk through the chunk service:
   locking, set-based reads, engine, bulk writes, progress), and
3. optionally the whole run with several worker processes claiming chunks with
   ``SELECT … FOR UPDATE SKIP LOCKED`` (the next period, so the work is the same).

Each case has 2 nominees, 3 components (one taxable, one not deductible) and 4
deductions of mixed kinds: unapplied fixed, applied variable on all nominees (paying a
liability), third-party fixed, and unapplied variable on one component. One weekly period
is due per case on the run date.

Usage (needs a PostgreSQL database of its own; its domain tables are emptied first):

    createdb -h 127.0.0.1 -U postgres bench_payments
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_payments \\
        .venv/bin/python benchmarks/payment_run.py --cases 10000 --workers 2

``--keep`` reuses data generated before and pays the next week. Generation runs in a
process of its own, so the peak memory printed is the run's alone. ``--engine-only``
stops after the engine figures (with ``--keep``: no generation, nothing written).

``--compare REV`` measures another commit on the same data, back to back: the commit is
checked out into a git worktree under /tmp, and this script runs once with that
commit's code (``--code DIR``) on a second database (``--compare-database``, default:
this one's name + ``_base``) and once with this checkout's code, ``--rounds`` times
alternating; both databases get the same generated cases (the generator is this
script's). It then prints both sets of figures side by side and the MD5 sums of both
ledgers (benchmarks/export_ledger.sh), which must be equal.

Prints figures only; nothing here is a test.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

# The code measured: this checkout, or another commit's worktree (``--code``, --compare).
CODE = Path(os.environ.get("PAYMENT_RUN_CODE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(CODE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

RUN_DATE = date(2026, 3, 2)  # a Monday
CASE_START = RUN_DATE - timedelta(days=7)
BATCH = 2000


def _refuse_sqlite() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "benchmarks/payment_run.py needs PostgreSQL: set DATABASE_URL to a database of its "
            "own, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_payments "
            "(SQLite serialises every writer, so its figures would say nothing)."
        )


def _peak_mb(who=None) -> float:
    who = resource.RUSAGE_SELF if who is None else who
    return resource.getrusage(who).ru_maxrss / 1024


def _backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (local server)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _reset_database() -> None:
    from django.apps import apps
    from django.db import connection

    labels = ("participants", "products", "cases", "deductions", "payments", "workflow")
    tables = [
        model._meta.db_table
        for label in labels
        for model in apps.get_app_config(label).get_models()
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def generate(n: int) -> None:
    """N cases with their participants, components, liabilities and deductions, inserted
    set-based (bulk_create in batches of 2,000 cases; memory stays flat)."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from cases.models import (
        CaseComponent,
        FinancialComponent,
        IntegratedCase,
        IntegratedCaseType,
        Liability,
        Nominee,
        ProductDeliveryCase,
    )
    from deductions.models import Deduction
    from participants.models import Participant
    from products.models import ComponentType, DeductionType, Product, ProductDeductionType

    user, _ = User.objects.get_or_create(username="benchmark")
    case_type = IntegratedCaseType.objects.order_by(
        "pk"
    ).first() or IntegratedCaseType.objects.create(
        code="benchmark", name="Benchmark", is_default=False
    )
    product = Product.objects.create(
        name="Benchmark-Grundsicherung",
        payment_frequency="weekly",
        max_deduction_rate=Decimal("30"),
        min_deduction_amount=Decimal("1.00"),
        min_payment_amount=Decimal("50.00"),
        tax_rate=Decimal("10"),
    )
    types = [
        ComponentType.objects.create(product=product, name="Regelbedarf", deductible=True),
        ComponentType.objects.create(
            product=product, name="Mehrbedarf", deductible=True, taxable=True
        ),
        ComponentType.objects.create(product=product, name="Kindergeld", deductible=False),
    ]
    deduction_types = {
        "strom": DeductionType.objects.create(
            name="Strom (Benchmark)",
            category="unapplied",
            priority=1,
            insufficient_balance_action="skip",
        ),
        "overpayment": DeductionType.objects.create(
            name="Überzahlung (Benchmark)",
            category="applied",
            priority=2,
            insufficient_balance_action="partial",
            max_amount=Decimal("25.00"),
        ),
        "rent": DeductionType.objects.create(
            name="Miete (Benchmark)",
            category="third_party",
            priority=3,
            insufficient_balance_action="partial",
        ),
        "gas": DeductionType.objects.create(
            name="Gas (Benchmark)",
            category="unapplied",
            priority=4,
            insufficient_balance_action="skip",
            min_amount=Decimal("2.00"),
        ),
    }
    for priority, deduction_type in enumerate(deduction_types.values(), start=1):
        ProductDeductionType.objects.create(
            product=product, deduction_type=deduction_type, priority=priority
        )
    utilities = Participant.objects.bulk_create(
        [
            Participant(type="utility", reference=f"BU-{i:07d}", name=f"Stadtwerke {i}")
            for i in range(100)
        ]
    )
    end = CASE_START + timedelta(days=3650)
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        with transaction.atomic():
            people = Participant.objects.bulk_create(
                [
                    Participant(
                        type="person",
                        reference=f"BP-{done * 2 + i:08d}",
                        name=f"Person {done * 2 + i}",
                        date_of_birth=date(1980, 1, 1),
                    )
                    for i in range(size * 2)
                ]
            )
            primaries, seconds = people[0::2], people[1::2]
            integrated = IntegratedCase.objects.bulk_create(
                [
                    IntegratedCase(
                        reference=f"BIC-{done + i:08d}",
                        case_type=case_type,
                        primary_client=primaries[i],
                        opened_on=CASE_START,
                        created_by=user,
                    )
                    for i in range(size)
                ]
            )
            cases = ProductDeliveryCase.objects.bulk_create(
                [
                    ProductDeliveryCase(
                        reference=f"BPDC-{done + i:08d}",
                        integrated_case=integrated[i],
                        product=product,
                        primary_client=primaries[i],
                        start_date=CASE_START,
                        expected_end_date=end,
                        status="active",
                        activated_on=CASE_START,
                        case_supervisor=user,
                        created_by=user,
                    )
                    for i in range(size)
                ]
            )
            Nominee.objects.bulk_create(
                [
                    Nominee(case=case, participant=person, added_on=CASE_START)
                    for case, pair in zip(cases, zip(primaries, seconds, strict=True), strict=True)
                    for person in pair
                ]
            )
            components = CaseComponent.objects.bulk_create(
                [
                    CaseComponent(
                        case=case,
                        component_type=types[k],
                        nominee=nominee,
                        amount=amount,
                        start_date=CASE_START,
                    )
                    for case, primary, second in zip(cases, primaries, seconds, strict=True)
                    for k, nominee, amount in (
                        (0, primary, Decimal("300.00")),
                        (2, primary, Decimal("80.00")),
                        (1, second, Decimal("250.00")),
                    )
                ]
            )
            FinancialComponent.objects.bulk_create(
                [
                    FinancialComponent(
                        case_id=c.case_id,
                        component=c,
                        nominee_id=c.nominee_id,
                        amount=c.amount,
                        frequency="weekly",
                        start_date=CASE_START,
                    )
                    for c in components
                ]
            )
            liabilities = Liability.objects.bulk_create(
                [
                    Liability(
                        participant=primary,
                        liability_case_id=f"BV-{done + i:08d}",
                        original_amount=Decimal("500.00"),
                        outstanding_amount=Decimal("500.00"),
                    )
                    for i, primary in enumerate(primaries)
                ]
            )
            rows = []
            for i, (case, primary, second) in enumerate(
                zip(cases, primaries, seconds, strict=True)
            ):
                common = {
                    "case": case,
                    "start_date": CASE_START,
                    "end_date": end,
                    "status": "active",
                    "activated_on": CASE_START,
                    "created_by": user,
                }
                rows += [
                    Deduction(
                        deduction_type=deduction_types["strom"],
                        category="unapplied",
                        amount=Decimal("25.00"),
                        nominee=primary,
                        priority=1,
                        **common,
                    ),
                    Deduction(
                        deduction_type=deduction_types["overpayment"],
                        category="applied",
                        percentage=Decimal("5.00"),
                        all_nominees=True,
                        liability=liabilities[i],
                        priority=2,
                        **common,
                    ),
                    Deduction(
                        deduction_type=deduction_types["rent"],
                        category="third_party",
                        amount=Decimal("40.00"),
                        nominee=second,
                        third_party=utilities[i % len(utilities)],
                        third_party_account_number="DE02100100109307118603",
                        third_party_reference=f"M-{done + i}",
                        priority=3,
                        **common,
                    ),
                    Deduction(
                        deduction_type=deduction_types["gas"],
                        category="unapplied",
                        percentage=Decimal("3.00"),
                        component=components[i * 3 + 2],
                        priority=4,
                        **common,
                    ),
                ]
            Deduction.objects.bulk_create(rows)
        done += size
        print(f"\r  erzeugt: {done:,}/{n:,} Fälle", end="", flush=True)
    print()


def engine_alone(chunk_size: int, run_date: date) -> tuple[int, float, float, float]:
    """Cases/s of the pure calculation, inputs loaded beforehand (loading not timed): the
    number of cases, wall seconds of the engine, of loading, and the engine's CPU seconds
    (the figure that does not depend on how busy the host is)."""
    from cases.models import ProductDeliveryCase
    from payments import selectors
    from payments.services import case_results

    ids = list(
        ProductDeliveryCase.objects.filter(status="active")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    engine_seconds = load_seconds = engine_cpu = 0.0
    cases = 0
    for start in range(0, len(ids), chunk_size):
        part = ids[start : start + chunk_size]
        began = time.perf_counter()
        batch = selectors.case_batch(id_range=(part[0], part[-1]), active_only=True)
        loaded, cpu = time.perf_counter(), time.process_time()
        outstanding = batch.outstanding()
        for data in batch.cases.values():
            case_results(data=data, periods=data.periods_due(run_date), outstanding=outstanding)
        engine_seconds += time.perf_counter() - loaded
        engine_cpu += time.process_time() - cpu
        load_seconds += loaded - began
        cases += len(batch.cases)
    return cases, engine_seconds, load_seconds, engine_cpu


def whole_run(run_date: date) -> dict:
    from payments.models import PaymentChunk
    from payments.services import payment_chunk_process, payment_run_start, payment_runs_reconcile

    began, cpu, db_cpu = time.perf_counter(), time.process_time(), _backend_cpu()
    run, _ = payment_run_start(run_date=run_date, enqueue=False)
    for chunk_id in (
        PaymentChunk.objects.filter(run=run).order_by("number").values_list("pk", flat=True)
    ):
        payment_chunk_process(chunk_id=chunk_id)
    payment_runs_reconcile(enqueue=False)
    result = {
        "seconds": time.perf_counter() - began,
        "python_cpu": time.process_time() - cpu,
        "db_cpu": _backend_cpu() - db_cpu,
    }
    run.refresh_from_db()
    if run.status != "completed":
        sys.exit(f"run {run_date} ended {run.status}: {run.error}")
    result.update(cases=run.done_cases, payments=run.payments_created)
    return result


def _worker(run_id: int, offset: int, workers: int, queue) -> None:
    import django

    django.setup()
    from django.db import connection

    from payments.models import PaymentChunk
    from payments.services import payment_chunk_process

    cpu, db_cpu = time.process_time(), _backend_cpu()
    ids = list(
        PaymentChunk.objects.filter(run_id=run_id).order_by("number").values_list("pk", flat=True)
    )
    # Start at a different place per worker; a chunk another worker holds is skipped
    # (SKIP LOCKED) and one it finished is done, so every chunk is processed once.
    mine = ids[offset::workers]
    for chunk_id in mine + [pk for pk in ids if pk not in set(mine)]:
        payment_chunk_process(chunk_id=chunk_id)
    queue.put((time.process_time() - cpu, _backend_cpu() - db_cpu, _peak_mb()))
    connection.close()


def whole_run_workers(run_date: date, workers: int) -> dict:
    from django.db import connections

    from payments.models import PaymentRun
    from payments.services import payment_run_start, payment_runs_reconcile

    began = time.perf_counter()
    run, _ = payment_run_start(run_date=run_date, enqueue=False)
    connections.close_all()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = [
        context.Process(target=_worker, args=(run.pk, k, workers, queue)) for k in range(workers)
    ]
    for process in processes:
        process.start()
    cpu = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    payment_runs_reconcile(enqueue=False)
    result = {
        "seconds": time.perf_counter() - began,
        "python_cpu": sum(c for c, _, _ in cpu),
        "db_cpu": sum(d for _, d, _ in cpu),
        "peak_mb": max(m for _, _, m in cpu),
    }
    run = PaymentRun.objects.get(pk=run.pk)
    if run.status != "completed":
        sys.exit(f"run {run_date} ended {run.status}: {run.error}")
    result.update(cases=run.done_cases, payments=run.payments_created)
    return result


def _report(label: str, result: dict) -> dict:
    cases, seconds = result["cases"], result["seconds"]
    cpu_ms = (result["python_cpu"] + result["db_cpu"]) * 1000 / cases
    figures = {
        "cases_per_s": cases / seconds,
        "worker_ms": result["python_cpu"] * 1000 / cases,
        "postgres_ms": result["db_cpu"] * 1000 / cases,
        "cpu_ms": cpu_ms,
    }
    print(
        f"{label}: {cases / seconds:8,.0f} Fälle/s  ({cases:,} Fälle, {result['payments']:,} "
        f"Zahlungen in {seconds:.2f} s)\n"
        f"    CPU je Fall: Python {result['python_cpu'] * 1000 / cases:.3f} ms + PostgreSQL "
        f"{result['db_cpu'] * 1000 / cases:.3f} ms = {cpu_ms:.3f} ms "
        f"→ höchstens {1000 / cpu_ms:,.0f} Fälle/s je Kern"
    )
    return figures


def _database_url(name: str) -> str:
    url = os.environ["DATABASE_URL"]
    return url.rsplit("/", 1)[0] + "/" + name


def _database_name() -> str:
    return os.environ["DATABASE_URL"].rsplit("/", 1)[1].split("?")[0]


def _worktree(rev: str) -> Path:
    """A detached git worktree of ``rev`` under /tmp (reused when it exists)."""
    repo = Path(__file__).resolve().parent.parent
    commit = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", rev],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    path = Path(f"/tmp/payment_run_{commit}")
    if not path.exists():
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "add", "--detach", str(path), commit],
            check=True,
            capture_output=True,
        )
    return path


def _measure(args, *, code: Path, database: str) -> dict:
    """One benchmark run in a process of its own with ``code`` on ``database``."""
    command = [sys.executable, str(Path(__file__).resolve()), "--cases", str(args.cases)]
    command += ["--workers", str(args.workers), "--result-line"]
    if args.chunk_size:
        command += ["--chunk-size", str(args.chunk_size)]
    if args.keep:
        command.append("--keep")
    env = {**os.environ, "PAYMENT_RUN_CODE": str(code), "DATABASE_URL": _database_url(database)}
    # In the code's directory: Celery puts the working directory first on sys.path when
    # config is imported, which would mix this checkout's apps into the other commit's.
    out = subprocess.run(
        command, env=env, cwd=code, check=True, capture_output=True, text=True
    ).stdout
    print(out.rsplit("RESULT ", 1)[0], end="")
    return json.loads(out.rsplit("RESULT ", 1)[1])


def _ledger_md5(database: str) -> dict[str, str]:
    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            ["sh", str(repo / "benchmarks" / "export_ledger.sh"), database, out],
            check=True,
            capture_output=True,
        )
        return {
            path.name: hashlib.md5(path.read_bytes()).hexdigest()  # noqa: S324 - a checksum
            for path in sorted(Path(out).glob("*.csv"))
        }


_ROWS = (
    ("engine alone, cases/s", "engine_cases_per_s", "{:,.0f}"),
    ("engine alone, cases per CPU second", "engine_cases_per_cpu_s", "{:,.0f}"),
    ("whole run 1 process, cases/s", "one.cases_per_s", "{:,.0f}"),
    ("  CPU per case worker, ms", "one.worker_ms", "{:.3f}"),
    ("  CPU per case PostgreSQL, ms", "one.postgres_ms", "{:.3f}"),
    ("  CPU per case total, ms", "one.cpu_ms", "{:.3f}"),
    ("whole run N processes, cases/s", "many.cases_per_s", "{:,.0f}"),
    ("  CPU per case worker, ms", "many.worker_ms", "{:.3f}"),
    ("  CPU per case PostgreSQL, ms", "many.postgres_ms", "{:.3f}"),
    ("  CPU per case total, ms", "many.cpu_ms", "{:.3f}"),
    ("peak memory main process, MB", "peak_main_mb", "{:.0f}"),
    ("peak memory per worker, MB", "peak_worker_mb", "{:.0f}"),
    ("load average (1 min) at end", "load", "{:.1f}"),
)


def _figure(result: dict, key: str):
    for part in key.split("."):
        result = result.get(part) if isinstance(result, dict) else None
    return result


def compare(args) -> None:
    base_code = _worktree(args.compare)
    base_db = args.compare_database or _database_name() + "_base"
    this_db = _database_name()
    sides = {args.compare: (base_code, base_db), "this checkout": (CODE, this_db)}
    results: dict[str, list[dict]] = {label: [] for label in sides}
    for round_number in range(1, args.rounds + 1):
        for label, (code, database) in sides.items():
            print(f"=== Runde {round_number}: {label} ({code}, Datenbank {database})")
            results[label].append(_measure(args, code=code, database=database))
    print(f"\n{'':34}" + "".join(f"{label:>28}" for label in sides))
    for title, key, shape in _ROWS:
        cells = []
        for label in sides:
            values = [v for v in (_figure(r, key) for r in results[label]) if v is not None]
            text = "–"
            if values:
                low, high = shape.format(min(values)), shape.format(max(values))
                text = low if low == high else f"{low}–{high}"
            cells.append(f"{text:>28}")
        print(f"{title:34}" + "".join(cells))
    sums = {label: _ledger_md5(database) for label, (_, database) in sides.items()}
    print("\nLedger (benchmarks/export_ledger.sh), MD5:")
    for name in sums["this checkout"]:
        both = [sums[label].get(name, "–") for label in sides]
        print(
            f"  {name:38} {both[0]}  {both[1]}  {'gleich' if both[0] == both[1] else 'VERSCHIEDEN'}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--chunk-size", type=int, default=None)
    parser.add_argument("--workers", type=int, default=0, help="also run with N processes")
    parser.add_argument(
        "--keep", action="store_true", help="reuse generated data: the next week is paid"
    )
    parser.add_argument("--compare", metavar="REV", help="also measure commit REV, alternating")
    parser.add_argument("--compare-database", metavar="NAME", help="REV's database")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of --compare")
    parser.add_argument(
        "--engine-only",
        action="store_true",
        help="generate (or --keep) the data, then measure the engine alone and stop",
    )
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-line", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _refuse_sqlite()
    if args.compare:
        compare(args)
        return

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    import payments

    if not Path(payments.__file__).resolve().is_relative_to(CODE.resolve()):
        sys.exit(f"payments imported from {payments.__file__}, not from {CODE}")
    # DEBUG keeps every SQL statement in memory (bulk inserts are megabytes each).
    settings.DEBUG = False
    if args.chunk_size:
        settings.PAYMENT_RUN_CHUNK_SIZE = args.chunk_size
    chunk_size = settings.PAYMENT_RUN_CHUNK_SIZE
    if args.generate_only:
        began = time.perf_counter()
        _reset_database()
        generate(args.cases)
        print(f"  {time.perf_counter() - began:.1f} s, Spitzenspeicher {_peak_mb():.0f} MB")
        return
    call_command("migrate", verbosity=0)
    from cases.models import ProductDeliveryCase

    if not (args.keep and ProductDeliveryCase.objects.count() == args.cases):
        print(f"Erzeuge {args.cases:,} Fälle …", flush=True)
        # In a process of its own: the peak memory printed below is the run's alone.
        command = [sys.executable, str(Path(__file__).resolve()), "--cases", str(args.cases)]
        subprocess.run([*command, "--generate-only"], check=True)
    run_date = RUN_DATE
    from payments.models import PaymentRun

    last = PaymentRun.objects.order_by("-run_date").values_list("run_date", flat=True).first()
    if last is not None:
        # --keep on data paid before: the next week is due for every case.
        run_date = last + timedelta(days=7)

    with django.db.connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    figures: dict = {"code": str(CODE), "cases": args.cases}
    cases, engine_s, load_s, engine_cpu = engine_alone(chunk_size, run_date)
    figures["engine_cases_per_s"] = cases / engine_s
    figures["engine_cases_per_cpu_s"] = cases / engine_cpu
    print(
        f"Engine allein:        {cases / engine_s:10,.0f} Fälle/s  ({cases:,} Fälle in "
        f"{engine_s:.2f} s; Laden der Eingaben {cases / load_s:,.0f} Fälle/s)\n"
        f"    je CPU-Sekunde: {cases / engine_cpu:,.0f} Fälle ({engine_cpu * 1e6 / cases:.1f} µs "
        f"CPU je Fall)"
    )
    if args.engine_only:
        return
    figures["one"] = _report("Ganzer Lauf, 1 Prozess", whole_run(run_date))
    figures["peak_main_mb"] = _peak_mb()
    print(f"Spitzenspeicher (Hauptprozess): {_peak_mb():.0f} MB")
    if args.workers:
        result = whole_run_workers(run_date + timedelta(days=7), args.workers)
        figures["many"] = _report(f"Ganzer Lauf, {args.workers} Prozesse", result)
        figures["peak_worker_mb"] = result["peak_mb"]
        print(f"Spitzenspeicher je Arbeitsprozess: {figures['peak_worker_mb']:.0f} MB")
    figures["load"] = os.getloadavg()[0]
    print(f"Last (1/5/15 min): {os.getloadavg()}  Kerne: {os.cpu_count()}")
    if args.result_line:
        print("RESULT " + json.dumps(figures))


if __name__ == "__main__":
    main()
