"""LI-3 payoff forecast: computed by running the engine forward, so it must equal what the
payment runs then actually do (run them period by period, then compare)."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from cases.models import Liability, ProductDeliveryCase
from payments.models import DeductionProcessing
from payments.services import payment_run_process_inline, payment_run_start
from payments.services.forecast import ForecastStatus, liability_forecast
from tests import factories
from tests.payments.builders import START, add_deduction, build_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _runs_ahead(settings):
    settings.PAYMENT_RUN_MAX_DAYS_AHEAD = 3650


def _run_every_week_until(last: date):
    """A payment run on every weekly payment date (the Monday after each period)."""
    day = START + timedelta(days=7)
    while day <= last:
        run, _created = payment_run_start(run_date=day, enqueue=False)
        payment_run_process_inline(run=run)
        day += timedelta(days=7)


def _actual(liability) -> list[tuple[date, Decimal]]:
    """What the runs took from the liability, per payment date (the period's end + 1)."""
    rows = (
        DeductionProcessing.objects.filter(liability=liability, amount__gt=0)
        .values("period_end")
        .annotate(total=Sum("amount"))
        .order_by("period_end")
    )
    return [(row["period_end"] + timedelta(days=1), row["total"]) for row in rows]


def _liability(setup, amount):
    return factories.LiabilityFactory(participant=setup.thomas, original_amount=Decimal(amount))


def test_forecast_of_fixed_applied_deduction_equals_runs_LI_3():
    """LI-3: a fixed 30 € deduction on a 500 € liability: 17 payments, the last 20 €."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    liability = _liability(setup, "500.00")
    add_deduction(
        setup,
        name="Überzahlung",
        category="applied",
        amount="30",
        liability=liability,
        action="partial",
    )
    forecast = liability_forecast(liability_id=liability.pk)
    assert forecast.status == ForecastStatus.REPAID
    assert forecast.payments == 17
    assert forecast.regular_amount == Decimal("30.00")
    assert forecast.last_amount == Decimal("20.00")

    _run_every_week_until(forecast.payoff_date + timedelta(days=14))
    actual = _actual(liability)
    assert len(actual) == forecast.payments
    assert actual[-1][0] == forecast.payoff_date
    assert [amount for _day, amount in actual] == [i.amount for i in forecast.schedule]
    liability.refresh_from_db()
    assert liability.status == "settled"


def test_forecast_of_variable_deduction_on_all_nominees_equals_runs_LI_3():
    """LI-3: a 10 % variable deduction on all nominees, two nominees paying one liability."""
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "55")))
    liability = _liability(setup, "123.45")
    add_deduction(
        setup,
        name="Überzahlung",
        category="applied",
        percentage="10",
        all_nominees=True,
        liability=liability,
        action="partial",
    )
    forecast = liability_forecast(liability_id=liability.pk)
    assert forecast.status == ForecastStatus.REPAID
    assert forecast.regular_amount == Decimal("15.50")  # 10.00 + 5.50 per payment date

    _run_every_week_until(forecast.payoff_date + timedelta(days=14))
    actual = _actual(liability)
    assert [day for day, _amount in actual] == [i.date for i in forecast.schedule]
    assert [amount for _day, amount in actual] == [i.amount for i in forecast.schedule]


def test_forecast_of_shared_liability_counts_every_case_LI_3():
    """LI-3: one liability paid from two cases: the forecast runs both, in run order, and
    names both cases; the runs then repay it on the date and in the count forecast."""
    first = build_case(components=(("c1", "thomas", "100"),))
    liability = _liability(first, "300.00")
    add_deduction(
        first,
        name="Überzahlung",
        category="applied",
        amount="20",
        liability=liability,
        action="partial",
    )
    second = build_case(components=(("c1", "thomas", "80"),))
    add_deduction(
        second,
        name="Überzahlung B",
        category="applied",
        amount="25",
        liability=liability,
        action="partial",
    )
    forecast = liability_forecast(liability_id=liability.pk)
    assert forecast.shared
    assert set(forecast.case_ids) == {first.case.pk, second.case.pk}
    # 20 € + 25 € capped at the product's 30 % of 80 € = 24 €: 44 € a week, 6 × 44 + 36.
    assert forecast.regular_amount == Decimal("44.00")
    assert forecast.payments == 7

    _run_every_week_until(forecast.payoff_date + timedelta(days=14))
    actual = _actual(liability)
    assert len(actual) == forecast.payments
    assert actual[-1] == (forecast.payoff_date, Decimal("36.00"))


def test_forecast_of_liability_never_repaid_says_what_stays_open_LI_3():
    """LI-3: 10 € a week from 5 January to the expected end (31.12.2026) repays 520 € of
    2,000 €: the forecast has no payoff date and says that 1.480,00 € stay open; the runs
    up to the end leave exactly that outstanding."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    liability = _liability(setup, "2000.00")
    add_deduction(
        setup,
        name="Überzahlung",
        category="applied",
        amount="10",
        liability=liability,
    )
    forecast = liability_forecast(liability_id=liability.pk)
    assert forecast.status == ForecastStatus.NOT_REPAID
    assert forecast.payoff_date is None
    assert forecast.payments == 52
    assert forecast.remaining == Decimal("1480.00")
    assert forecast.reason == (
        "wird bis zum voraussichtlichen Fallende (31.12.2026) nicht getilgt: "
        "1.480,00 € bleiben offen"
    )
    case = ProductDeliveryCase.objects.get(pk=setup.case.pk)
    _run_every_week_until(case.expected_end_date + timedelta(days=7))
    liability.refresh_from_db()
    assert liability.outstanding_amount == forecast.remaining
    assert len(_actual(liability)) == forecast.payments


def test_forecast_without_deduction_and_settled_LI_3():
    setup = build_case(components=(("c1", "thomas", "100"),))
    liability = _liability(setup, "50.00")
    forecast = liability_forecast(liability_id=liability.pk)
    assert forecast.status == ForecastStatus.NO_DEDUCTION
    Liability.objects.filter(pk=liability.pk).update(outstanding_amount=0, status="settled")
    assert liability_forecast(liability_id=liability.pk).status == ForecastStatus.SETTLED


def test_forecast_starts_after_the_last_paid_period_LI_3():
    """LI-3: after runs paid some weeks, the forecast starts from today's outstanding."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    liability = _liability(setup, "100.00")
    add_deduction(
        setup,
        name="Überzahlung",
        category="applied",
        amount="30",
        liability=liability,
        action="partial",
    )
    before = liability_forecast(liability_id=liability.pk)
    _run_every_week_until(START + timedelta(days=14))
    after = liability_forecast(liability_id=liability.pk)
    assert after.outstanding == Decimal("40.00")
    assert after.payoff_date == before.payoff_date
    assert after.payments == 2
    by_day = defaultdict(Decimal)
    for item in after.schedule:
        by_day[item.date] += item.amount
    assert sum(by_day.values()) == Decimal("40.00")


# --- where the forecast is shown (LI-3) and who may see it (RO-1) -------------------------


@pytest.fixture
def repaid():
    setup = build_case(components=(("c1", "thomas", "100"),))
    liability = _liability(setup, "1000.00")
    deduction = add_deduction(
        setup,
        name="Überzahlung",
        category="applied",
        amount="30",
        liability=liability,
        action="partial",
    )
    return setup, liability, deduction


def test_forecast_api_LI_3(api, admin_api, anon_api, repaid):
    """LI-3: GET /api/v1/liabilities/{id}/forecast/; caseworkers and administrators read it
    (RO-1), anonymous callers get 401, an unknown liability 404."""
    _setup, liability, deduction = repaid
    url = f"/api/v1/liabilities/{liability.pk}/forecast/"
    response = api.get(url)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "repaid"
    assert body["payments"] == 34
    assert body["amount_per_payment"] == "30.00"
    assert body["last_amount"] == "10.00"
    assert body["payoff_date"] == body["schedule"][-1]["date"]
    assert body["deductions"] == [deduction.pk]
    assert body["reason"] is None
    assert admin_api.get(url).status_code == 200
    assert anon_api.get(url).status_code == 401
    assert api.get("/api/v1/liabilities/999999/forecast/").status_code == 404


def test_forecast_shown_on_liability_deduction_and_case_list_LI_3(client, caseworker, repaid):
    """LI-3: the liability page (with the plan), the applied deduction's detail and the
    case's deduction list show the payoff date and the amount per payment in German."""
    setup, liability, deduction = repaid
    forecast = liability_forecast(liability_id=liability.pk)
    payoff = forecast.payoff_date.strftime("%d.%m.%Y")
    client.force_login(caseworker)
    for url in (
        f"/cases/liabilities/{liability.pk}/",
        f"/deductions/{deduction.pk}/",
        f"/cases/pdc/{setup.case.pk}/deductions/",
        f"/cases/pdc/{setup.case.pk}/deductions/applied/",
    ):
        html = client.get(url).content.decode()
        assert f"getilgt voraussichtlich am {payoff} nach 34 Zahlungen" in html, url
        assert "je 30,00 €" in html and "zuletzt 10,00 €" in html, url
    html = client.get(f"/cases/liabilities/{liability.pk}/").content.decode()
    assert 'data-testid="forecast-schedule"' in html and "1.000,00 €" in html


def test_liability_page_roles_RO_1(client, repaid):
    """RO-1: caseworkers, supervisors and administrators may read a liability's page; a
    user without a role may not."""
    _setup, liability, _deduction = repaid
    url = f"/cases/liabilities/{liability.pk}/"
    client.force_login(factories.UserFactory(role=None))
    assert client.get(url).status_code == 403
    for role in ("Caseworker", "Case supervisor", "Administrator"):
        client.force_login(factories.UserFactory(role=role))
        assert client.get(url).status_code == 200
