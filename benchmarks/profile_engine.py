"""The payment engine alone, without the database: cases per CPU second, a profile, and a
fingerprint of every result (PAY-13, issue #13).

First dump the loaded inputs of a database that ``benchmarks/payment_run.py`` filled
(what ``engine_alone`` reads: every active case, chunk by chunk, and the run date), once:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_payments \\
        .venv/bin/python benchmarks/profile_engine.py --dump /tmp/engine_inputs.pickle

Then, as often as wanted and without PostgreSQL:

    .venv/bin/python benchmarks/profile_engine.py /tmp/engine_inputs.pickle --repeat 7
    .venv/bin/python benchmarks/profile_engine.py /tmp/engine_inputs.pickle --cprofile
    .venv/bin/python benchmarks/profile_engine.py /tmp/engine_inputs.pickle --fingerprint

The timing runs what ``engine_alone`` times — per case the periods due
(``CaseData.periods_due``) and ``payments.services.case_results``, the liabilities'
outstanding amounts shared within a chunk — one chunk's inputs in memory at a time, and
prints the best of ``--repeat`` rounds of process CPU time: the host is shared, and the
best round is the one least disturbed. ``--no-gc`` pauses the cyclic garbage collector as
a payment run does while it computes a chunk (``engine_alone`` leaves it on).
``--fingerprint`` prints the SHA-256 of the ``repr`` of every result (every Decimal with
its exponent, every enum, in order), so that two versions of the engine can be shown to
compute the same results byte for byte.

Another commit's engine on the same pickle: its worktree as ``payment_run.py --compare``
makes it, run from there (Celery's import puts the working directory first on sys.path):
``cd /tmp/payment_run_REV && PAYMENT_RUN_CODE=$PWD python /path/to/profile_engine.py …``.

Prints figures only; nothing here is a test.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import hashlib
import os
import pickle
import pstats
import sys
import time
from datetime import timedelta
from pathlib import Path

CODE = Path(os.environ.get("PAYMENT_RUN_CODE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(CODE))
sys.path.insert(1, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def dump(path: Path, chunk_size: int | None) -> None:
    """Read the inputs as ``payment_run.engine_alone`` does and pickle them."""
    from payment_run import RUN_DATE, _refuse_sqlite

    _refuse_sqlite()
    import django

    django.setup()
    from django.conf import settings

    from cases.models import ProductDeliveryCase
    from payments import selectors
    from payments.models import PaymentRun

    chunk_size = chunk_size or settings.PAYMENT_RUN_CHUNK_SIZE
    last = PaymentRun.objects.order_by("-run_date").values_list("run_date", flat=True).first()
    run_date = RUN_DATE if last is None else last + timedelta(days=7)
    ids = list(
        ProductDeliveryCase.objects.filter(status="active")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    chunks = []
    for start in range(0, len(ids), chunk_size):
        part = ids[start : start + chunk_size]
        batch = selectors.case_batch(id_range=(part[0], part[-1]), active_only=True)
        cases = list(batch.cases.values())
        # One pickle per chunk, unpickled only when its turn comes: as in the benchmark,
        # one chunk's inputs are in memory at a time (the cyclic garbage collector, which
        # the benchmark leaves on, scans every object in memory).
        chunks.append(
            (len(cases), pickle.dumps((cases, batch.outstanding()), pickle.HIGHEST_PROTOCOL))
        )
    chunks = (run_date, chunks)
    with path.open("wb") as out:
        pickle.dump(chunks, out, protocol=pickle.HIGHEST_PROTOCOL)
    print(f"{sum(n for n, _ in chunks[1]):,} cases in {len(chunks[1])} chunks → {path}")


def _load(path: Path):
    import django

    django.setup()
    import payments

    if not Path(payments.__file__).resolve().is_relative_to(CODE.resolve()):
        sys.exit(f"payments imported from {payments.__file__}, not from {CODE}")
    with path.open("rb") as source:
        return pickle.load(source)


def _run(inputs, case_results, *, keep: bool = False, profile=None) -> tuple[float, list]:
    """Every chunk through the engine as ``payment_run.engine_alone`` runs it (the periods
    due computed per case, too): its CPU seconds (unpickling not counted) and, with
    ``keep``, the results."""
    run_date, chunks = inputs
    spent = 0.0
    results = []
    for _, pickled in chunks:
        cases, outstanding = pickle.loads(pickled)
        if profile is not None:
            profile.enable()
        began = time.process_time()
        for data in cases:
            result = case_results(
                data=data, periods=data.periods_due(run_date), outstanding=outstanding
            )
            if keep:
                results.append(result)
        spent += time.process_time() - began
        if profile is not None:
            profile.disable()
        del cases, outstanding
    return spent, results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("inputs", type=Path, nargs="?", help="the pickle --dump wrote")
    parser.add_argument("--dump", type=Path, metavar="FILE", help="read the inputs from the DB")
    parser.add_argument("--chunk-size", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=5, help="rounds; the best is printed")
    parser.add_argument("--cprofile", action="store_true", help="print the top functions")
    parser.add_argument("--fingerprint", action="store_true", help="SHA-256 of all results")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--no-gc",
        action="store_true",
        help="pause the cyclic garbage collector, as a payment run does per chunk",
    )
    args = parser.parse_args()
    if args.dump:
        dump(args.dump, args.chunk_size)
        return
    if args.inputs is None:
        parser.error("give the pickle written by --dump")
    chunks = _load(args.inputs)
    from payments.services import case_results

    cases = sum(n for n, _ in chunks[1])
    if args.no_gc:
        gc.disable()
    _run(chunks, case_results)  # warm up
    if args.fingerprint:
        digest = hashlib.sha256()
        for periods in _run(chunks, case_results, keep=True)[1]:
            digest.update(repr(periods).encode())
        print(f"fingerprint {digest.hexdigest()}")
    if args.cprofile:
        profile = cProfile.Profile()
        _run(chunks, case_results, profile=profile)
        stats = pstats.Stats(profile)
        stats.sort_stats("tottime").print_stats(args.top)
        return
    best = float("inf")
    rounds = []
    for _ in range(args.repeat):
        gc.collect()
        spent = _run(chunks, case_results)[0]
        rounds.append(spent)
        best = min(best, spent)
    print(
        f"{cases:,} cases; best of {args.repeat}: {cases / best:,.0f} cases per CPU second "
        f"({best * 1e6 / cases:.1f} µs per case); rounds: "
        + ", ".join(f"{cases / r:,.0f}" for r in rounds)
    )


if __name__ == "__main__":
    main()
