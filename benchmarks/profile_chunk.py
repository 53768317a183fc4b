"""Where one payment-run chunk spends its CPU, worker and PostgreSQL backend (PAY-13).

Runs on a database that ``benchmarks/payment_run.py`` filled: plans the next week's run,
processes its first chunks the way a worker does (``_compute_and_write``) inside a
transaction that is rolled back, and prints per stage the worker's process CPU and the
PostgreSQL backend's CPU (read from ``/proc/<pid>/stat``, so the server must run on this
machine). ``--cprofile`` also prints the worker's top functions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_payments \\
        .venv/bin/python benchmarks/profile_chunk.py --chunks 3 [--cprofile]

Another commit's code (a worktree, as ``payment_run.py --compare`` makes), on its own
database: ``cd /tmp/payment_run_REV && PAYMENT_RUN_CODE=$PWD DATABASE_URL=… python
/path/to/this/benchmarks/profile_chunk.py``.

Prints figures only; nothing is kept in the database.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from payment_run import RUN_DATE, _refuse_sqlite  # noqa: E402


class _Rollback(Exception):
    pass


def _check_constraints() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _wal_lsn() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        return cursor.fetchone()[0]


def _wal_bytes_since(lsn: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), %s)", [lsn])
        return int(cursor.fetchone()[0])


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _stat_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=3)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    _refuse_sqlite()
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction

    settings.DEBUG = False
    from payments.models import PaymentChunk, PaymentRun
    from payments.services import bulk, ledger, runs

    last = PaymentRun.objects.order_by("-run_date").values_list("run_date", flat=True).first()
    run_date = RUN_DATE if last is None else last + timedelta(days=7)

    stages: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])

    pid = _backend_pid()

    def timed(name, function, *, backend=True):
        # Per-case stages (engine, writer.add) make no query: their backend CPU is not
        # read (each reading costs more than the stage).
        def wrapper(*a, **kw):
            cpu, db = time.process_time(), _stat_cpu(pid) if backend else 0.0
            try:
                return function(*a, **kw)
            finally:
                stages[name][0] += time.process_time() - cpu
                stages[name][1] += (_stat_cpu(pid) - db) if backend else 0.0

        return wrapper

    def timed_model(name, function):
        def wrapper(*a, model, **kw):
            return timed(f"{name} {model._meta.db_table}", function)(*a, model=model, **kw)

        return wrapper

    runs.selectors.case_batch = timed("selectors (case_batch)", runs.selectors.case_batch)
    runs.case_results = timed("engine (case_results)", runs.case_results, backend=False)
    ledger.LedgerWriter.add = timed(
        "results → rows (writer.add)", ledger.LedgerWriter.add, backend=False
    )
    ledger.LedgerWriter._transition_deductions = timed(
        "FSM transitions", ledger.LedgerWriter._transition_deductions
    )
    ledger.rows_insert = timed_model("COPY", bulk.rows_insert)
    ledger.rows_update = timed_model("UPDATE", bulk.rows_update)
    ledger.events_record_bulk = timed("workflow events", ledger.events_record_bulk)

    # As the worker does (payment_chunk_process); commits before it have no such pause.
    pause_gc = getattr(runs, "_without_cycle_collection", contextlib.nullcontext)
    profiler = cProfile.Profile() if args.cprofile else None
    total_cpu = total_db = 0.0
    cases = 0
    try:
        with transaction.atomic():
            run, _ = runs.payment_run_start(run_date=run_date, enqueue=False)
            chunks = list(PaymentChunk.objects.filter(run=run).order_by("number")[: args.chunks])
            wal = _wal_lsn()
            cpu, db = time.process_time(), _stat_cpu(pid)
            if profiler:
                profiler.enable()
            for chunk in chunks:
                with pause_gc():
                    runs._compute_and_write(chunk, run_id=run.pk, run_date=run_date)
                cases += chunk.case_count
            if profiler:
                profiler.disable()
            # The foreign keys are DEFERRABLE INITIALLY DEFERRED: their checks run at commit,
            # which a rollback skips. Fire them here, so that they are counted.
            timed("foreign-key checks (at commit)", _check_constraints)()
            total_cpu, total_db = time.process_time() - cpu, _stat_cpu(pid) - db
            wal_bytes = _wal_bytes_since(wal)
            raise _Rollback
    except _Rollback:
        pass
    print(f"{cases:,} cases in {len(chunks)} chunks, run date {run_date} (rolled back)")
    print(f"{'stage':42} {'worker ms/case':>15} {'PostgreSQL ms/case':>19}")
    for name, (cpu, db) in stages.items():
        print(f"{name:42} {cpu * 1000 / cases:15.4f} {db * 1000 / cases:19.4f}")
    print(f"{'total':42} {total_cpu * 1000 / cases:15.4f} {total_db * 1000 / cases:19.4f}")
    print(f"WAL written: {wal_bytes / cases:,.0f} bytes per case (all sessions of the server)")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(35)


if __name__ == "__main__":
    main()
