"""Django admin of the payments app: payment runs (start, view, resume) and the ledger
lists (PAY-12, PAY-13, LI-2)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from payments.models import PaymentRun
from payments.services import payment_run_start
from tests import factories
from tests.payments.builders import add_deduction, build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    setup = build_case(components=(("c1", "thomas", "100"),))
    add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    return setup


def test_existing_run_is_read_only_in_admin_and_saving_is_refused_PAY_13(
    administrator_client, setup
):
    """PAY-13: an existing run is viewable in admin but has no save button; posting its
    change form is refused (403), never a 500, and changes nothing."""
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    url = reverse("admin:payments_paymentrun_change", args=[run.pk])
    page = administrator_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<progress" in html
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    response = administrator_client.post(
        url,
        {
            "run_date": "2026-01-13",
            "chunks-TOTAL_FORMS": "1",
            "chunks-INITIAL_FORMS": "1",
            "chunks-MIN_NUM_FORMS": "0",
            "chunks-MAX_NUM_FORMS": "0",
            "_save": "Sichern",
        },
    )
    assert response.status_code == 403
    run.refresh_from_db()
    assert run.run_date == date(2026, 1, 12) and run.status == "pending"
    assert (
        administrator_client.get(reverse("admin:payments_paymentrun_changelist")).status_code == 200
    )


def test_admin_add_form_refuses_a_run_date_too_far_ahead_beside_the_field_PAY_13(
    administrator_client, setup, settings
):
    """PAY-13: a run date more than PAYMENT_RUN_MAX_DAYS_AHEAD days ahead is an error beside
    the field of the admin add form, and no run is created; a valid date starts a run."""
    settings.PAYMENT_RUN_MAX_DAYS_AHEAD = 7
    too_far = timezone.localdate() + timedelta(days=8)
    response = administrator_client.post(
        reverse("admin:payments_paymentrun_add"), {"run_date": too_far.isoformat()}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "höchstens 7 Tage" in errors["run_date"][0]
    assert not PaymentRun.objects.exists()
    response = administrator_client.post(
        reverse("admin:payments_paymentrun_add"), {"run_date": "2026-01-12"}
    )
    assert response.status_code == 302
    assert PaymentRun.objects.get().total_chunks == 1


def test_resume_action_still_resumes_a_failed_run_in_admin_PAY_13(
    administrator_client, setup, django_capture_on_commit_callbacks
):
    """PAY-13: the read-only run list keeps the retry action ("Fehlgeschlagene Pakete
    erneut versuchen", action name resume_runs) for a failed run."""
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    PaymentRun.objects.filter(pk=run.pk).update(status="failed")
    run.chunks.update(status="failed", attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post(
            reverse("admin:payments_paymentrun_changelist"),
            {"action": "resume_runs", "_selected_action": [run.pk], "index": "0"},
        )
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == "completed"  # eager Celery: resumed and processed


def _payment():
    """A third-party payment of a case of its own (own product): rows that do not share
    related objects, so a list query per row would show."""
    return factories.ThirdPartyPaymentFactory()


def _agency_entry():
    return factories.AgencyAccountEntryFactory(payment=_payment())


def _processing():
    payment = _payment()
    return factories.DeductionProcessingFactory(
        deduction=payment.deduction,
        payment=payment,
        amount=payment.net,
        balance_after=payment.net,
    )


def _simulation():
    return factories.SimulationFactory(up_to=date(2026, 1, 12), payments=[{}])


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name, make",
    [
        ("admin:payments_payment_changelist", _payment),
        ("admin:payments_agencyaccountentry_changelist", _agency_entry),
        ("admin:payments_deductionprocessing_changelist", _processing),
        ("admin:payments_simulation_changelist", _simulation),
    ],
    ids=["payments", "agency-account", "processing", "simulations"],
)
def test_admin_ledger_lists_do_not_query_per_row_PAY_12_LI_2(administrator_client, url_name, make):
    """PAY-12, LI-2: the admin lists read their related rows with the list query (a case's
    name includes its product): ten rows take as many queries as one."""
    url = reverse(url_name)
    make()
    one = _queries(administrator_client, url)
    for _ in range(9):
        make()
    assert _queries(administrator_client, url) == one


def test_chunk_inline_shows_each_chunks_duration_PAY_13():
    """PAY-13 (operations): the chunk table shows seconds from claim to end, "–" while a
    chunk has not finished."""
    from datetime import UTC, datetime

    from django.contrib.admin.sites import site as admin_site

    from payments.admin import PaymentChunkInline
    from payments.models import PaymentChunk, PaymentRun

    inline = PaymentChunkInline(PaymentRun, admin_site)
    claimed = datetime(2026, 3, 2, 2, 0, 0, tzinfo=UTC)
    done = PaymentChunk(
        claimed_at=claimed, finished_at=datetime(2026, 3, 2, 2, 0, 1, 250000, tzinfo=UTC)
    )
    assert inline.duration(done) == "1.2"  # 1.25 s, formatted to one place (half-even)
    assert inline.duration(PaymentChunk(claimed_at=claimed)) == "–"
    assert "duration" in inline.fields
