"""Payment runs on PostgreSQL: chunk claims with SKIP LOCKED, concurrent chunks paying
one liability, the COPY path refusing duplicates, and a reclaimed chunk's first worker
writing nothing (PAY-13, PAY-7, LI-1).

Run with DATABASE_URL pointing at PostgreSQL; skipped on SQLite."""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from cases.models import Liability
from payments.models import DeductionProcessing, Payment, PaymentChunk
from payments.services import payment_chunk_process, payment_run_start
from tests import factories
from tests.payments.builders import add_deduction, build_case

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _in_thread(target, *args):
    result = {}

    def run():
        try:
            result["value"] = target(*args)
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            result["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, result


def test_a_claimed_chunk_is_skipped_by_another_worker_PAY_13():
    """PAY-13: while one worker holds a chunk (row lock), another skips it (SKIP LOCKED)
    and creates nothing; once released, the chunk is processed exactly once."""
    build_case(components=(("c1", "thomas", "100"),))
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    chunk = run.chunks.get()
    holding, release = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            PaymentChunk.objects.select_for_update().get(pk=chunk.pk)
            holding.set()
            release.wait(10)

    thread, result = _in_thread(hold)
    assert holding.wait(10)
    outcome = payment_chunk_process(chunk_id=chunk.pk)
    assert outcome.processed is False and outcome.failed is False
    assert Payment.objects.count() == 0
    release.set()
    thread.join(10)
    assert "error" not in result
    assert payment_chunk_process(chunk_id=chunk.pk).processed
    assert Payment.objects.count() == 1


def test_concurrent_chunks_share_a_liability_without_going_below_zero_PAY_7_LI_1(settings):
    """PAY-7, LI-1: two workers process two chunks at once whose cases pay one liability;
    the liability rows are locked, so together they take exactly what was outstanding."""
    settings.PAYMENT_RUN_CHUNK_SIZE = 1
    liability_holder = factories.PersonFactory()
    liability = factories.LiabilityFactory(participant=liability_holder, original_amount="30.00")
    for _ in range(2):
        setup = build_case(components=(("c1", "thomas", "100"),))
        add_deduction(
            setup,
            category="applied",
            amount="20",
            nominee="thomas",
            liability=liability,
            action="partial",
        )
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    chunk_ids = list(run.chunks.values_list("pk", flat=True))
    threads = [_in_thread(lambda pk=pk: payment_chunk_process(chunk_id=pk)) for pk in chunk_ids]
    for thread, _result in threads:
        thread.join(30)
    outcomes = [result.get("value") or result.get("error") for _t, result in threads]
    assert all(getattr(o, "processed", False) for o in outcomes), outcomes
    amounts = sorted(DeductionProcessing.objects.values_list("amount", flat=True))
    assert amounts == [Decimal("10.00"), Decimal("20.00")]
    liability.refresh_from_db()
    assert (liability.outstanding_amount, liability.status) == (Decimal("0.00"), "settled")
    run.refresh_from_db()
    assert run.status == "completed" and run.done_chunks == 2


def test_copy_insert_refuses_a_duplicate_and_writes_nothing_PAY_13():
    """PAY-13: the database refuses a second third-party payment for one deduction,
    nominee and period even on the COPY path; the chunk fails whole and writes nothing."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    utility = factories.UtilityFactory()
    rent = add_deduction(
        setup, category="third_party", amount="10", nominee="thomas", third_party=utility
    )
    Payment.objects.create(
        case=setup.case,
        nominee=setup.thomas,
        payee=utility,
        kind="third_party",
        period_start=date(2026, 1, 5),
        period_end=date(2026, 1, 11),
        effective_date=date(2026, 1, 12),
        gross=10,
        tax=0,
        net=10,
        deduction=rent,
    )
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    outcome = payment_chunk_process(chunk_id=run.chunks.get().pk)
    assert outcome.failed
    assert Payment.objects.count() == 1
    assert DeductionProcessing.objects.count() == 0
    chunk = run.chunks.get()
    assert chunk.status == "failed" and "IntegrityError" in chunk.error
    assert Liability.objects.count() == 0


def test_copy_column_lists_match_the_models_concrete_fields_PAY_13(monkeypatch):
    """PAY-13: every COPY of the bulk write path names exactly the table's concrete columns
    (the id only where it is drawn from the sequence first), so a column added to a ledger
    model without adding it to the rows fails here, not silently in a payment run."""
    import re

    from payments.models import AgencyAccountEntry
    from payments.services import bulk

    statements = []
    real_copy = bulk._copy

    def recording_copy(sql, data):
        statements.append(sql)
        real_copy(sql, data)

    monkeypatch.setattr(bulk, "_copy", recording_copy)
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    liability = factories.LiabilityFactory(participant=setup.thomas, original_amount="15.00")
    add_deduction(setup, amount="20", nominee="thomas")  # unapplied: agency entry
    add_deduction(
        setup, category="applied", percentage="10", all_nominees=True, liability=liability
    )
    add_deduction(
        setup,
        category="third_party",
        amount="10",
        nominee="linda",
        third_party=factories.UtilityFactory(),
    )
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    assert payment_chunk_process(chunk_id=run.chunks.get().pk).processed

    copied = {}
    for sql in statements:
        table, columns = re.match(r'COPY "(\w+)" \((.*)\) FROM STDIN', sql).groups()
        copied[table] = [column.strip('"') for column in columns.split(", ")]
    models = {model._meta.db_table: model for model in (Payment, DeductionProcessing)}
    models[AgencyAccountEntry._meta.db_table] = AgencyAccountEntry
    assert set(copied) == set(models)
    for table, model in models.items():
        meta = model._meta
        expected = {field.column for field in meta.concrete_fields}
        if meta.pk.column not in copied[table]:
            expected.discard(meta.pk.column)
        assert len(copied[table]) == len(set(copied[table])), table
        assert set(copied[table]) == expected, table
    assert copied[Payment._meta.db_table][0] == "id"  # ids drawn first: payments are returned


@pytest.mark.parametrize(
    ("model", "changes", "constraint"),
    [
        pytest.param("payment", {"gross": -1}, "payment_amounts_not_negative", id="gross"),
        pytest.param("payment", {"net": 95}, "payment_net_within_gross_less_tax", id="net"),
        pytest.param(
            "payment",
            {"period_end": date(2026, 1, 4)},
            "payment_period_ordered",
            id="payment-period",
        ),
        pytest.param(
            "processing",
            {"amount": -1},
            "deduction_processing_amounts_not_negative",
            id="amount",
        ),
        pytest.param(
            "processing",
            {"status": "skipped", "reason": "zero_amount", "amount": 5},
            "deduction_processing_skipped_takes_nothing",
            id="skipped-with-amount",
        ),
        pytest.param(
            "processing",
            {"period_end": date(2026, 1, 4)},
            "deduction_processing_period_ordered",
            id="processing-period",
        ),
    ],
)
def test_ledger_invariants_are_database_constraints_PAY_10_PAY_12(model, changes, constraint):
    """PAY-10, PAY-12: the database itself refuses ledger rows with negative amounts, a net
    above gross − tax, a skipped line that takes something, or a period ending before it
    starts — whatever code writes them (the COPY path included)."""
    from django.db import IntegrityError

    setup = build_case(components=(("c1", "thomas", "100"),), tax="10", taxable=("c1",))
    strom = add_deduction(setup, amount="20", nominee="thomas")
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    assert payment_chunk_process(chunk_id=run.chunks.get().pk).processed
    payment = Payment.objects.get(kind="benefit")
    assert (payment.gross, payment.tax, payment.net) == (
        Decimal("100.00"),
        Decimal("10.00"),
        Decimal("70.00"),
    )
    queryset = (
        Payment.objects.filter(pk=payment.pk)
        if model == "payment"
        else DeductionProcessing.objects.filter(deduction=strom)
    )
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        queryset.update(**changes)


@pytest.mark.parametrize(
    ("row", "change", "constraint"),
    [
        pytest.param("entry", "case", "agency_entry_deduction_fk", id="entry-case"),
        pytest.param("entry", "deduction_type", "agency_entry_deduction_fk", id="entry-type"),
        pytest.param("entry", "nominee", "agency_entry_payment_fk", id="entry-nominee"),
        pytest.param("line", "nominee", "deduction_processing_payment_fk", id="line-nominee"),
        pytest.param("line", "payment", "deduction_processing_payment_fk", id="line-payment"),
        pytest.param("line", "missing", "deduction_processing_payment_fk", id="line-no-payment"),
    ],
)
def test_ledger_copies_agree_with_their_parents_PAY_10_LI_2(row, change, constraint):
    """PAY-10, LI-2: an agency entry's case and deduction type are its deduction's, and its
    nominee, like a processing row's, is its payment's — the composite foreign keys refuse
    any other value at commit (and a payment that does not exist), whatever code writes."""
    from django.db import IntegrityError

    from payments.models import AgencyAccountEntry

    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    strom = add_deduction(setup, amount="20", nominee="thomas")  # unapplied: agency entry
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    assert payment_chunk_process(chunk_id=run.chunks.get().pk).processed
    entry = AgencyAccountEntry.objects.get(deduction=strom)
    line = DeductionProcessing.objects.get(deduction=strom)
    linda_payment = Payment.objects.get(nominee=setup.linda)
    values = {
        "case": {"case": factories.ProductDeliveryCaseFactory()},
        "deduction_type": {"deduction_type": factories.DeductionTypeFactory()},
        "nominee": {"nominee": setup.linda},
        "payment": {"payment": linda_payment},
        "missing": {"payment_id": linda_payment.pk + 1000},
    }[change]
    queryset = (AgencyAccountEntry if row == "entry" else DeductionProcessing).objects.filter(
        pk=(entry if row == "entry" else line).pk
    )
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        queryset.update(**values)  # checked at commit (deferred)


def test_a_paused_worker_whose_chunk_was_reclaimed_writes_nothing_PAY_13(settings, monkeypatch):
    """PAY-13 (chunk leases): worker A computes a chunk (its payments written, cases locked)
    and stalls without renewing; its lease expires, the reconciler reclaims the chunk and
    worker B takes it. When A wakes up, it finds in its writing transaction (chunk row
    locked) that the lease is B's and rolls back; B pays the chunk, each payment once."""
    from django.utils import timezone

    from payments.services import payment_runs_reconcile
    from payments.services import runs as runs_module

    settings.PAYMENT_CHUNK_LEASE_SECONDS = 1
    settings.PAYMENT_CHUNK_LEASE_RENEW_SECONDS = 0  # A does not renew: it "hangs"
    build_case(components=(("c1", "thomas", "100"),))
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    chunk = run.chunks.get()
    real = runs_module._compute_and_write
    computed, resume = threading.Event(), threading.Event()
    calls = []

    def stalling(chunk, **kwargs):
        calls.append(chunk.pk)
        result = real(chunk, **kwargs)
        if len(calls) == 1:  # worker A
            computed.set()
            resume.wait(20)
        return result

    monkeypatch.setattr(runs_module, "_compute_and_write", stalling)
    worker_a, result_a = _in_thread(lambda: payment_chunk_process(chunk_id=chunk.pk))
    assert computed.wait(20)
    give_up = time.monotonic() + 10
    while PaymentChunk.objects.get(pk=chunk.pk).lease_expires_at >= timezone.now():
        assert time.monotonic() < give_up
        time.sleep(0.1)
    assert payment_runs_reconcile(enqueue=False)["expired"] == 1
    worker_b, result_b = _in_thread(lambda: payment_chunk_process(chunk_id=chunk.pk))
    time.sleep(0.5)  # B has claimed and waits for the cases A still locks
    resume.set()
    worker_a.join(20)
    worker_b.join(20)
    assert result_a["value"].lost and not result_a["value"].processed, result_a
    assert result_b["value"].processed, result_b
    assert Payment.objects.count() == 1
    chunk.refresh_from_db()
    assert (chunk.status, chunk.attempts, chunk.lease_owner) == ("done", 2, "")
