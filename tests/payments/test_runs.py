"""Payment generation and payment runs (PAY-10..13, LI-1, LI-2, CD-10)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from cases.models import CaseStatus, Liability, ProductDeliveryCase
from deductions.models import Deduction
from payments.models import (
    AgencyAccountEntry,
    DeductionProcessing,
    Payment,
    PaymentChunk,
    PaymentRun,
)
from payments.services import ledger as ledger_module
from payments.services import (
    payment_chunk_process,
    payment_run_process_inline,
    payment_run_start,
    payment_runs_reconcile,
)
from tests import factories
from tests.payments.builders import add_deduction, build_case
from workflow.models import WorkflowEvent

pytestmark = pytest.mark.django_db

RUN_DATE = date(2026, 1, 19)  # two weekly periods due: 5–11 Jan and 12–18 Jan


def _run(run_date=RUN_DATE):
    run, _created = payment_run_start(run_date=run_date, enqueue=False)
    return payment_run_process_inline(run=run)


def _ledger_counts():
    return (
        Payment.objects.count(),
        DeductionProcessing.objects.count(),
        AgencyAccountEntry.objects.count(),
        WorkflowEvent.objects.count(),
    )


@pytest.fixture
def mixed_case():
    """Thomas 100 and Linda 50 (rate 30 %): Strom fixed 20 on Thomas (unapplied), an
    overpayment 10 % on all nominees paying a liability of 15 (applied, partial), Miete
    fixed 10 on Linda to Stadtwerke (third party), and Gas fixed 40 on Thomas (skipped)."""
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    strom = add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    liability = factories.LiabilityFactory(participant=setup.thomas, original_amount="15.00")
    overpayment = add_deduction(
        setup,
        name="Überzahlung",
        category="applied",
        percentage="10",
        all_nominees=True,
        liability=liability,
        action="partial",
    )
    utility = factories.UtilityFactory(name="Stadtwerke Nord")
    rent = add_deduction(
        setup,
        name="Miete",
        category="third_party",
        amount="10",
        nominee="linda",
        third_party=utility,
    )
    gas = add_deduction(setup, name="Gas", amount="40", nominee="thomas")
    return {
        "setup": setup,
        "strom": strom,
        "overpayment": overpayment,
        "rent": rent,
        "gas": gas,
        "liability": liability,
        "utility": utility,
    }


def test_processing_history_and_status_moves_PAY_10_CD_10(mixed_case):
    """PAY-10, CD-10, CD-15: every processed or skipped line writes a history row
    (deduction, period, amount or reason, payment) and moves the deduction's status; a
    skip raises the deduction_skipped event."""
    run = _run()
    assert run.status == "completed"
    strom, gas = mixed_case["strom"], mixed_case["gas"]
    rows = list(DeductionProcessing.objects.filter(deduction=strom).order_by("period_start"))
    assert [(r.period_start, r.status, r.amount, r.reason) for r in rows] == [
        (date(2026, 1, 5), "processed", Decimal("20.00"), ""),
        (date(2026, 1, 12), "processed", Decimal("20.00"), ""),
    ]
    assert all(r.payment.kind == "benefit" and r.payment.nominee_id == r.nominee_id for r in rows)
    assert rows[0].balance_after == Decimal("10.00")
    gas_rows = list(DeductionProcessing.objects.filter(deduction=gas).order_by("period_start"))
    assert [(r.status, r.amount, r.reason) for r in gas_rows] == [
        ("skipped", Decimal("0.00"), "insufficient_balance")
    ] * 2

    strom = Deduction.objects.get(pk=strom.pk)
    assert strom.status == "processed"
    assert strom.processed_total == Decimal("40.00")
    assert strom.last_processed_on == date(2026, 1, 19)
    gas = Deduction.objects.get(pk=gas.pk)
    assert gas.status == "skipped"
    assert gas.processed_total == Decimal("0.00")

    # One event per deduction and run, naming every skipped period.
    skipped = WorkflowEvent.objects.filter(event_type="deduction_skipped", deduction_id=gas.pk)
    assert skipped.count() == 1
    payload = skipped.get().payload
    assert payload["reason"] == "insufficient_balance"
    assert payload["reason_text"] == (
        "Der verbleibende Leistungsbetrag reicht für den Abzug nicht aus."
    )
    assert payload["period_start"] == "2026-01-05"
    assert payload["period_end"] == "2026-01-18"
    assert [(line["period_start"], line["nominee"]) for line in payload["lines"]] == [
        ("2026-01-05", mixed_case["setup"].thomas.pk),
        ("2026-01-12", mixed_case["setup"].thomas.pk),
    ]
    assert payload["payment_run"] == run.pk
    # Processed lines raise no skip event.
    assert not WorkflowEvent.objects.filter(
        event_type="deduction_skipped", deduction_id=strom.pk
    ).exists()


def test_applied_line_reduces_liability_and_settles_it_PAY_11_LI_1(mixed_case):
    """PAY-11, LI-1, PAY-7: applied lines reduce the outstanding amount, never below 0;
    at 0 the liability is settled, liability_settled is raised once, and the deduction's
    business status becomes "liability settled"."""
    _run()
    liability = Liability.objects.get(pk=mixed_case["liability"].pk)
    assert liability.outstanding_amount == Decimal("0.00")
    assert liability.status == "settled"
    assert liability.settled_on == date(2026, 1, 12)
    rows = list(
        DeductionProcessing.objects.filter(deduction=mixed_case["overpayment"]).order_by(
            "period_start", "id"
        )
    )
    assert [(r.status, r.amount, r.liability_outstanding_after) for r in rows] == [
        ("processed", Decimal("10.00"), Decimal("5.00")),
        ("processed", Decimal("5.00"), Decimal("0.00")),
        ("skipped", Decimal("0.00"), Decimal("0.00")),
        ("skipped", Decimal("0.00"), Decimal("0.00")),
    ]
    assert rows[0].liability_original == Decimal("15.00")
    assert rows[2].reason == "liability_settled"
    events = WorkflowEvent.objects.filter(event_type="liability_settled")
    assert events.count() == 1
    assert events.get().payload["liability"] == liability.pk
    assert events.get().deduction_id == mixed_case["overpayment"].pk
    deduction = Deduction.objects.select_related("liability").get(pk=mixed_case["overpayment"].pk)
    assert deduction.business_status_on(date(2026, 6, 1)) == "liability_settled"


def test_unapplied_line_credits_agency_account_PAY_11_LI_2(mixed_case, api):
    """PAY-11, LI-2: each processed unapplied line is credited to the agency's account,
    reportable per case and per deduction type."""
    _run()
    entries = AgencyAccountEntry.objects.order_by("period_start")
    assert [(e.deduction_id, e.amount, e.period_start) for e in entries] == [
        (mixed_case["strom"].pk, Decimal("20.00"), date(2026, 1, 5)),
        (mixed_case["strom"].pk, Decimal("20.00"), date(2026, 1, 12)),
    ]
    assert entries[0].deduction_type_id == mixed_case["strom"].deduction_type_id
    assert entries[0].case_id == mixed_case["setup"].case.pk
    # Skipped unapplied lines (Gas) credit nothing.
    assert not AgencyAccountEntry.objects.filter(deduction=mixed_case["gas"]).exists()
    by_type = api.get("/api/v1/agency-account-entries/summary/?by=type").json()
    assert by_type == [
        {
            "deduction_type": mixed_case["strom"].deduction_type_id,
            "name": "Strom",
            "total": "40.00",
            "entries": 2,
        }
    ]
    by_case = api.get("/api/v1/agency-account-entries/summary/?by=case").json()
    assert by_case[0]["case"] == mixed_case["setup"].case.pk
    assert by_case[0]["total"] == "40.00"
    assert api.get("/api/v1/agency-account-entries/summary/?by=x").status_code == 400


def test_third_party_line_issues_a_third_party_payment_PAY_11_TP_2(mixed_case):
    """PAY-11: a processed third-party line issues a payment to the third party with its
    account number, reference, amount and period."""
    _run()
    payments = list(Payment.objects.filter(kind="third_party").order_by("period_start"))
    assert len(payments) == 2
    first = payments[0]
    assert first.payee_id == mixed_case["utility"].pk
    assert first.nominee_id == mixed_case["setup"].linda.pk
    assert first.deduction_id == mixed_case["rent"].pk
    assert first.account_number == "DE02100100109307118603"
    assert first.reference == "REF-4711"
    assert (first.gross, first.tax, first.net) == (
        Decimal("10.00"),
        Decimal("0.00"),
        Decimal("10.00"),
    )
    assert (first.period_start, first.period_end, first.effective_date) == (
        date(2026, 1, 5),
        date(2026, 1, 11),
        date(2026, 1, 12),
    )
    assert first.status == "issued"


def test_payment_records_gross_tax_each_deduction_and_net_per_component_PAY_12():
    """PAY-12: net = net − processed deductions; the payment records gross, tax, each
    deduction line and the net per component."""
    setup = build_case(
        tax="10",
        taxable=("c1",),
        components=(("c1", "thomas", "100"), ("c2", "thomas", "50")),
    )
    add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    add_deduction(setup, name="Kind", percentage="10", component="c2")
    _run(date(2026, 1, 12))
    payment = Payment.objects.get(kind="benefit")
    assert (payment.gross, payment.tax, payment.net) == (
        Decimal("150.00"),
        Decimal("10.00"),
        Decimal("115.00"),  # 140 − 20 − 5
    )
    components = {c["component"]: c for c in payment.details["components"]}
    c1, c2 = components[setup.components["c1"].pk], components[setup.components["c2"].pk]
    assert (c1["amount"], c1["tax"], c1["net_before_deductions"]) == ("100.00", "10.00", "90.00")
    # The component line (5.00) stays on c2; Strom's 20 is shared by what each has left
    # (90 and 45): 13.33 and 6.67.
    assert (c1["deducted"], c1["net"]) == ("13.33", "76.67")
    assert (c2["deducted"], c2["net"]) == ("11.67", "38.33")
    assert Decimal(c1["net"]) + Decimal(c2["net"]) == payment.net
    assert [(d["name"], d["amount"]) for d in payment.details["deductions"]] == [
        ("Strom", "20.00"),
        ("Kind", "5.00"),
    ]


def test_second_run_for_the_same_date_creates_nothing_PAY_13(mixed_case, admin_api):
    """PAY-13: running the same date again — through the service or the API — returns
    the existing run and creates no second payment, row or event."""
    first = _run()
    counts = _ledger_counts()
    assert counts[0] == 6  # 4 benefit + 2 third-party payments
    again, created = payment_run_start(run_date=RUN_DATE, enqueue=False)
    assert created is False and again.pk == first.pk
    payment_run_process_inline(run=again)
    response = admin_api.post("/api/v1/payment-runs/", {"run_date": "2026-01-19"}, format="json")
    assert response.status_code == 200
    assert response.json()["id"] == first.pk
    assert _ledger_counts() == counts
    assert PaymentRun.objects.count() == 1
    # A later date pays only the new period, once.
    _run(date(2026, 1, 26))
    assert Payment.objects.filter(kind="benefit").count() == 6
    assert (
        Payment.objects.filter(kind="benefit")
        .values("case", "nominee", "period_start")
        .distinct()
        .count()
        == 6
    )


def test_retried_chunk_after_failure_mid_transaction_loses_and_duplicates_nothing_PAY_13(
    mixed_case, monkeypatch
):
    """PAY-13: a chunk that fails after writing half its rows (payments and processing
    history are inserted, then the event write raises) leaves nothing behind; the retry
    writes every row exactly once."""
    liability_before = Liability.objects.get(pk=mixed_case["liability"].pk).outstanding_amount
    statuses_before = dict(Deduction.objects.values_list("pk", "status"))
    written = {}

    def explode(events):
        written["payments"] = Payment.objects.count()
        written["lines"] = DeductionProcessing.objects.count()
        raise RuntimeError("worker died mid-chunk")

    monkeypatch.setattr(ledger_module, "events_record_bulk", explode)
    run, _ = payment_run_start(run_date=RUN_DATE, enqueue=False)
    chunk = run.chunks.get()
    outcome = payment_chunk_process(chunk_id=chunk.pk)
    assert outcome.failed
    assert written["payments"] == 6 and written["lines"] == 10  # half-written inside the tx
    assert _ledger_counts() == (0, 0, 0, 0)
    assert Liability.objects.get(pk=mixed_case["liability"].pk).outstanding_amount == (
        liability_before
    )
    assert dict(Deduction.objects.values_list("pk", "status")) == statuses_before
    chunk.refresh_from_db()
    assert (chunk.status, chunk.attempts) == ("failed", 1)
    assert "worker died" in chunk.error
    run.refresh_from_db()
    assert run.status == "running" and run.done_cases == 0

    monkeypatch.undo()
    assert payment_chunk_process(chunk_id=chunk.pk).processed
    assert _ledger_counts()[:3] == (6, 10, 2)
    # A third attempt on the done chunk does nothing.
    assert not payment_chunk_process(chunk_id=chunk.pk).processed
    assert _ledger_counts()[:3] == (6, 10, 2)
    run.refresh_from_db()
    assert (run.status, run.done_cases, run.payments_created) == ("completed", 1, 6)
    assert Liability.objects.get(pk=mixed_case["liability"].pk).outstanding_amount == 0


def test_database_refuses_a_second_payment_for_a_period_PAY_13(mixed_case):
    """PAY-13: the uniqueness is in the database, not only in code."""
    _run()
    payment = Payment.objects.filter(kind="benefit").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            case_id=payment.case_id,
            nominee_id=payment.nominee_id,
            payee_id=payment.payee_id,
            kind="benefit",
            period_start=payment.period_start,
            period_end=payment.period_end,
            effective_date=payment.effective_date,
            gross=1,
            tax=0,
            net=1,
        )
    line = DeductionProcessing.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        DeductionProcessing.objects.create(
            deduction_id=line.deduction_id,
            payment_id=line.payment_id,
            nominee_id=line.nominee_id,
            period_start=line.period_start,
            period_end=line.period_end,
            status="processed",
            amount=1,
            balance_after=0,
        )


def test_run_is_chunked_and_reports_progress_PAY_13(settings):
    """PAY-13: active cases are planned into id-range chunks; progress counts cases and
    chunks; cases that are not active are not paid."""
    settings.PAYMENT_RUN_CHUNK_SIZE = 2
    setups = [build_case(components=(("c1", "thomas", "100"),)) for _ in range(5)]
    inactive = build_case(components=(("c1", "thomas", "100"),), active=False)
    suspended = build_case(components=(("c1", "thomas", "100"),))
    ProductDeliveryCase.objects.filter(pk=suspended.case.pk).update(status=CaseStatus.SUSPENDED)
    run, created = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    assert created
    assert (run.total_cases, run.total_chunks, run.status) == (5, 3, "pending")
    ranges = list(run.chunks.values_list("first_case_id", "last_case_id", "case_count"))
    ids = sorted(s.case.pk for s in setups)
    assert ranges == [(ids[0], ids[1], 2), (ids[2], ids[3], 2), (ids[4], ids[4], 1)]
    seen = []
    run = payment_run_process_inline(run=run, progress=lambda r: seen.append(r.done_cases))
    assert seen == [2, 4, 5]
    assert (run.status, run.done_cases, run.done_chunks, run.payments_created) == (
        "completed",
        5,
        3,
        5,
    )
    assert run.started_at is not None and run.finished_at is not None
    assert not Payment.objects.filter(case__in=[inactive.case, suspended.case]).exists()


def test_liability_shared_by_cases_in_different_chunks_never_goes_below_zero_PAY_7(settings):
    """PAY-7, LI-1: two cases paying one liability, processed in separate chunks, reduce
    it one after the other and never below 0."""
    settings.PAYMENT_RUN_CHUNK_SIZE = 1
    first = build_case(components=(("c1", "thomas", "100"),))
    second = build_case(components=(("c1", "thomas", "100"),))
    liability = factories.LiabilityFactory(participant=first.thomas, original_amount="25.00")
    for setup in (first, second):
        add_deduction(
            setup,
            category="applied",
            amount="20",
            nominee="thomas",
            liability=liability,
            action="partial",
        )
    _run(date(2026, 1, 12))
    amounts = list(
        DeductionProcessing.objects.order_by("deduction__case_id").values_list("amount", flat=True)
    )
    assert amounts == [Decimal("20.00"), Decimal("5.00")]
    liability.refresh_from_db()
    assert (liability.outstanding_amount, liability.status) == (Decimal("0.00"), "settled")


def test_reconciler_completes_retries_and_fails_runs_PAY_13(mixed_case, celery_eager):
    """PAY-13: the reconciler completes a run whose chunks are all done (without relying
    on a callback), re-enqueues failed chunks, and fails a run whose chunk keeps failing;
    starting a failed run's date again resumes it."""
    run, _ = payment_run_start(run_date=RUN_DATE, enqueue=False)
    chunk = run.chunks.get()
    PaymentChunk.objects.filter(pk=chunk.pk).update(status="failed", attempts=1, error="boom")
    summary = payment_runs_reconcile()  # eager: the re-enqueued chunk runs now
    assert summary["requeued"] == 1
    run.refresh_from_db()
    assert run.status == "completed"
    assert Payment.objects.count() == 6

    other, _ = payment_run_start(run_date=date(2026, 1, 26), enqueue=False)
    PaymentChunk.objects.filter(run=other).update(status="failed", attempts=3, error="boom")
    assert payment_runs_reconcile()["failed"] == 1
    other.refresh_from_db()
    assert other.status == "failed" and "boom" in other.error
    resumed, created = payment_run_start(run_date=date(2026, 1, 26), enqueue=False)
    assert not created and resumed.status == "running"
    resumed = payment_run_process_inline(run=resumed)
    assert resumed.status == "completed"
    assert Payment.objects.filter(kind="benefit", period_start=date(2026, 1, 19)).count() == 2


def test_payment_run_api_start_and_progress_PAY_13_RO_1(
    mixed_case, admin_api, api, django_capture_on_commit_callbacks, celery_eager
):
    """PAY-13, RO-1: administrators start a run over the API (Celery group after commit)
    and read status, progress, payments_created, started_at, finished_at; caseworkers may
    not start one; a bad date is a 400 naming run_date."""
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(
            "/api/v1/payment-runs/", {"run_date": "2026-01-19"}, format="json"
        )
    assert response.status_code == 201, response.content
    run_id = response.json()["id"]
    body = admin_api.get(f"/api/v1/payment-runs/{run_id}/").json()
    assert body["status"] == "completed"
    assert body["status_display"] == "Abgeschlossen"
    assert body["progress"] == {"done": 1, "total": 1}
    assert body["payments_created"] == 6
    assert body["started_at"] and body["finished_at"]
    assert body["run_date"] == "2026-01-19"

    assert api.post("/api/v1/payment-runs/", {"run_date": "2026-01-26"}).status_code == 403
    assert not PaymentRun.objects.filter(run_date=date(2026, 1, 26)).exists()
    assert api.get("/api/v1/payment-runs/").status_code == 200
    bad = admin_api.post("/api/v1/payment-runs/", {"run_date": "gestern"}, format="json")
    assert bad.status_code == 400 and "run_date" in bad.json()


def test_nightly_run_is_scheduled_at_one_and_runs_today_PAY_13(celery_eager, mixed_case):
    """PAY-13: a django-celery-beat periodic task starts the nightly run at 01:00 (editable
    in admin); the reconciler runs every minute; the nightly task starts a run for today."""
    from django.utils import timezone
    from django_celery_beat.models import PeriodicTask

    from config.celery import app
    from payments.tasks import payment_run_nightly

    nightly = PeriodicTask.objects.get(task="payments.tasks.payment_run_nightly")
    assert nightly.enabled
    assert (nightly.crontab.hour, nightly.crontab.minute) == ("1", "0")
    assert (
        PeriodicTask.objects.get(task="payments.tasks.payment_runs_reconcile").interval.every == 1
    )
    assert "payments.tasks.payment_run_nightly" in app.tasks
    payment_run_nightly.delay()
    run = PaymentRun.objects.get(run_date=timezone.localdate())
    assert run.trigger == "scheduled"


def test_management_command_runs_in_the_foreground_PAY_13(mixed_case, capsys):
    """PAY-13: manage.py payment_run --date runs a whole run with a console progress bar."""
    call_command("payment_run", "--date", "2026-01-19")
    out = capsys.readouterr().out
    assert "[########################################] 100%" in out
    assert "Abgeschlossen" in out
    run = PaymentRun.objects.get(run_date=date(2026, 1, 19))
    assert (run.status, run.trigger, run.payments_created) == ("completed", "command", 6)
    call_command("payment_run", "--date", "2026-01-19")
    assert Payment.objects.count() == 6


def test_case_with_inconsistent_data_is_left_out_and_reported_PAY_13(mixed_case, monkeypatch):
    """PAY-13: a case the engine refuses is reported on its chunk; the others are paid."""
    other = build_case(components=(("c1", "thomas", "100"),))
    from payments.selectors import batch as selectors

    original = selectors._case_input

    def refuse(row, *args, **kwargs):
        if row["id"] == other.case.pk:
            raise ValueError("Komponente ohne Leistungsempfänger")
        return original(row, *args, **kwargs)

    monkeypatch.setattr(selectors, "_case_input", refuse)
    run = _run()
    assert run.status == "completed"
    assert not Payment.objects.filter(case=other.case).exists()
    assert Payment.objects.filter(case=mixed_case["setup"].case).count() == 6
    assert f"Fall {other.case.pk}" in run.chunks.get().error


# --- limits: run date and periods per case ---------------------------------------------------


def test_run_date_too_far_ahead_is_refused_everywhere_PAY_13(
    mixed_case, admin_api, settings, capsys
):
    """PAY-13: a run pays every period due up to its date, so a date more than
    PAYMENT_RUN_MAX_DAYS_AHEAD days after today is refused — by the service (on run_date),
    the API (400 naming run_date) and the command (CommandError) — and nothing is written.
    Up to the limit a run is accepted."""
    from datetime import timedelta

    from django.core.management.base import CommandError
    from django.utils import timezone

    from config.exceptions import ValidationFailed

    settings.PAYMENT_RUN_MAX_DAYS_AHEAD = 7
    today = timezone.localdate()
    too_far = today + timedelta(days=8)
    for run_date in (too_far, date(9999, 12, 31)):
        with pytest.raises(ValidationFailed) as refused:
            payment_run_start(run_date=run_date, enqueue=False)
        assert "run_date" in refused.value.errors
        assert "höchstens 7 Tage" in refused.value.message
    response = admin_api.post(
        "/api/v1/payment-runs/", {"run_date": too_far.isoformat()}, format="json"
    )
    assert response.status_code == 400
    assert "höchstens 7 Tage" in response.json()["run_date"][0]
    with pytest.raises(CommandError, match="höchstens 7 Tage"):
        call_command("payment_run", "--date", "9999-12-31")
    assert not PaymentRun.objects.exists() and not Payment.objects.exists()

    settings.PAYMENT_RUN_MAX_DAYS_AHEAD = 8
    run, created = payment_run_start(run_date=too_far, enqueue=False)
    assert created and run.run_date == too_far


def test_case_with_more_periods_than_the_cap_is_left_out_and_reported_PAY_13_PAY_1(
    mixed_case, settings
):
    """PAY-13, PAY-1: a case with more periods due in one run than
    PAYMENT_RUN_MAX_PERIODS_PER_CASE (typically a wrong start date) is left out and
    reported on its chunk, like a case with inconsistent data; the other cases are paid.
    A case exactly at the cap is paid."""
    from datetime import timedelta

    typo = build_case(components=(("c1", "thomas", "100"),), start=date(1026, 1, 5))
    at_cap = build_case(components=(("c1", "thomas", "100"),), start=date(2025, 11, 3))
    settings.PAYMENT_RUN_MAX_PERIODS_PER_CASE = 11  # 3 Nov 2025 – 18 Jan 2026: 11 weeks
    assert (date(2026, 1, 19) - date(2025, 11, 3)) // timedelta(weeks=1) == 11
    run = _run()
    assert run.status == "completed"
    assert not Payment.objects.filter(case=typo.case).exists()
    assert Payment.objects.filter(case=at_cap.case).count() == 11
    assert Payment.objects.filter(case=mixed_case["setup"].case).count() == 6
    error = run.chunks.get().error
    assert f"Fall {typo.case.pk}: mehr als 11 Zahlungszeiträume" in error
    assert f"Fall {at_cap.case.pk}" not in error


# --- chunks that were never enqueued ----------------------------------------------------------


def test_reconciler_enqueues_chunks_never_enqueued_of_an_old_run_PAY_13(mixed_case, celery_eager):
    """PAY-13: a chunk whose message never left (the process died between the commit and
    the enqueue) has no enqueued_at; once its run is older than STALLED_AFTER the
    reconciler enqueues it, and the run completes. A run just created is left alone."""
    from django.utils import timezone

    from payments.services.runs import STALLED_AFTER

    run, _ = payment_run_start(run_date=RUN_DATE, enqueue=False)  # never enqueued
    assert run.chunks.get().enqueued_at is None
    assert payment_runs_reconcile()["requeued"] == 0  # still young: maybe being enqueued
    PaymentRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - STALLED_AFTER - STALLED_AFTER / 10
    )
    assert payment_runs_reconcile()["requeued"] == 1  # eager: processed now
    run.refresh_from_db()
    assert run.status == "completed"
    assert Payment.objects.count() == 6
    assert payment_runs_reconcile()["requeued"] == 0


def test_starting_a_pending_run_again_enqueues_its_unsent_chunks_PAY_13(
    mixed_case, celery_eager, django_capture_on_commit_callbacks
):
    """PAY-13: starting the date of a pending run again (API, page, admin, command) sends
    the chunks that were never enqueued; the run then completes, each payment once, and a
    further start sends nothing for the done chunk."""
    run, _ = payment_run_start(run_date=RUN_DATE, enqueue=False)
    with django_capture_on_commit_callbacks(execute=True):
        again, created = payment_run_start(run_date=RUN_DATE)
    assert not created and again.pk == run.pk
    run.refresh_from_db()
    assert run.status == "completed"
    assert Payment.objects.count() == 6
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        payment_run_start(run_date=RUN_DATE)
    assert callbacks == []
    assert Payment.objects.count() == 6


def test_starting_a_running_run_again_resends_only_stalled_chunks_PAY_13(
    mixed_case, settings, django_capture_on_commit_callbacks, monkeypatch
):
    """PAY-13: of a running run, only chunks never enqueued or enqueued longer than
    STALLED_AFTER ago are sent again; a chunk enqueued a moment ago is left to its worker."""
    from django.utils import timezone

    from payments.services import runs

    settings.PAYMENT_RUN_CHUNK_SIZE = 1
    build_case(components=(("c1", "thomas", "100"),))
    build_case(components=(("c1", "thomas", "100"),))
    run, _ = payment_run_start(run_date=RUN_DATE, enqueue=False)
    PaymentRun.objects.filter(pk=run.pk).update(status="running")
    fresh, stalled, unsent = run.chunks.order_by("number")
    now = timezone.now()
    PaymentChunk.objects.filter(pk=fresh.pk).update(enqueued_at=now)
    PaymentChunk.objects.filter(pk=stalled.pk).update(
        enqueued_at=now - runs.STALLED_AFTER - runs.STALLED_AFTER / 10
    )
    sent = []
    monkeypatch.setattr(runs, "enqueue_chunks", sent.extend)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        payment_run_start(run_date=RUN_DATE)
    assert len(callbacks) == 1
    assert sorted(sent) == sorted([stalled.pk, unsent.pk])


def test_suspension_withholds_and_resume_releases_the_periods_PAY_13_IC_6(caseworker):
    """PAY-13 / IC-6 (docs/decisions.md "Suspension withholds, it does not forfeit"): a
    suspended case is left out of runs; after resuming, the next run pays the periods that
    fell due meanwhile, each once, with its deductions."""
    from cases import services as case_services

    setup = build_case(components=(("c1", "thomas", "100"),))
    add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    case_services.product_delivery_case_suspend(case=setup.case, user=caseworker)
    _run(RUN_DATE)  # 5–11 Jan and 12–18 Jan fall due while suspended
    assert not Payment.objects.filter(case=setup.case).exists()

    case_services.product_delivery_case_resume(case=setup.case, user=caseworker)
    _run(date(2026, 1, 26))  # 19–25 Jan is due too
    periods = list(
        Payment.objects.filter(case=setup.case, kind="benefit")
        .order_by("period_start")
        .values_list("period_start", "net")
    )
    assert periods == [
        (date(2026, 1, 5), Decimal("80.00")),
        (date(2026, 1, 12), Decimal("80.00")),
        (date(2026, 1, 19), Decimal("80.00")),
    ]
