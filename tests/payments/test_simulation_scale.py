"""Simulation at scale (issue 14, SIM-1..SIM-3): a ten-year weekly simulation opens with
its totals and the save form, its payments are one-line collapsed cards, filtered and
paged by GET parameters; it stops at the case's expected end unless asked not to; saved
simulations carry a name, a note and their totals; the comparison starts with the totals
per nominee and can show only the payments that differ."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import ProductDeliveryCase
from deductions.models import Deduction
from payments.models import Simulation
from payments.results import compare_totals, filter_payments, simulation_totals
from payments.services import simulation_run
from tests.payments.builders import add_deduction, build_case

pytestmark = pytest.mark.django_db

# 2026-01-05 (start) to here: 494 weekly periods, two nominees: 988 payments.
TEN_YEARS = "2035-06-25"
PAGE_BYTES_LIMIT = 500_000


@pytest.fixture
def cw_client(client, caseworker):
    client.force_login(caseworker)
    return client


@pytest.fixture
def ten_years():
    """Thomas 100 € a week with Strom 20 € (ends 31.12.2026) and Gas 40 € (always
    skipped: 30 % leave 10 € after Strom); Linda 50 € a week, nothing deducted. The case
    is expected to end in 2036."""
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    add_deduction(setup, name="Gas", amount="40", nominee="thomas", end=date(2036, 1, 1))
    ProductDeliveryCase.objects.filter(pk=setup.case.pk).update(expected_end_date=date(2036, 1, 1))
    return setup


def _url(setup):
    return reverse("payments:simulate", args=[setup.case.pk])


# --- SIM-2: the page at scale -----------------------------------------------------------


def test_ten_year_weekly_simulation_first_page_is_small_and_collapsed_SIM_2(cw_client, ten_years):
    """SIM-2: the first load of ~1,000 payments is under 500 kB; totals and the save form
    come before the payments; 52 payments a page, each a collapsed card whose one-line
    summary names period, effective date, nominee, gross, deductions, net and skips."""
    response = cw_client.get(_url(ten_years), {"up_to": TEN_YEARS})
    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < PAGE_BYTES_LIMIT, len(response.content)
    assert "988 Zahlungen" in html and "Zahlungen 1–52 von 988" in html
    totals_at = html.index('data-testid="simulation-totals"')
    save_at = html.index('data-testid="save-simulation"')
    first_payment = html.index('data-testid="payment"')
    assert totals_at < save_at < first_payment
    cards = re.findall(r'<details class="card payment" data-testid="payment"[^>]*>', html)
    assert len(cards) == 52 and not any(" open" in card for card in cards)
    first_line = html.split('data-testid="payment-line"')[1].split("</summary>")[0]
    for text in ("05.01.2026 – 11.01.2026", "12.01.2026", "Thomas Müller", "100,00 €"):
        assert text in first_line
    assert "20,00 €" in first_line and "80,00 €" in first_line
    assert "1 Abzug übersprungen" in first_line
    # Linda's line: nothing skipped, no marker.
    assert "übersprungen" not in html.split('data-testid="payment-line"')[2].split("</summary>")[0]
    assert 'href="?up_to=2035-06-25&amp;page=2"' in html


def test_ten_year_totals_per_nominee_and_overall_are_exact_SIM_2(cw_client, ten_years):
    """SIM-2: the totals cover every payment of the simulation (not the page): per
    nominee and overall, gross, deductions, net and skipped lines."""
    response = cw_client.get(_url(ten_years), {"up_to": TEN_YEARS})
    totals = response.context["totals"]
    thomas, linda = totals["nominees"]
    assert thomas["nominee_name"] == "Thomas Müller" and thomas["count"] == 494
    assert thomas["gross"] == Decimal("49400.00")
    # Strom 20 € a week until its end on 31.12.2026 (the 52 weeks of 2026), nothing after.
    assert thomas["deducted"] == Decimal("1040.00")
    assert thomas["net"] == thomas["gross"] - thomas["deducted"]
    assert thomas["skipped"] > 0
    assert linda["count"] == 494 and linda["deducted"] == Decimal("0.00")
    assert linda["skipped"] == 0
    overall = totals["overall"]
    assert overall["count"] == 988
    assert overall["gross"] == Decimal("74100.00")
    assert overall["net"] == thomas["net"] + linda["net"]
    html = response.content.decode()
    row = html.split('data-testid="overall-totals"')[1].split("</tr>")[0]
    assert "74.100,00 €" in row


def test_filters_and_paging_work_with_get_parameters_SIM_2(cw_client, ten_years):
    """SIM-2: nominee, "nur mit Abzügen" and "nur mit übersprungenen Abzügen" narrow the
    list, pages follow, and each card keeps its number in the whole simulation."""
    url = _url(ten_years)
    thomas = ten_years.thomas.pk
    only_thomas = cw_client.get(url, {"up_to": TEN_YEARS, "nominee": thomas})
    rows = only_thomas.context["summary"]["rows"]
    assert len(rows) == 52 and {row["nominee"] for row in rows} == {thomas}
    assert "Zahlungen 1–52 von 494" in only_thomas.content.decode()
    assert "(gefiltert aus 988)" in only_thomas.content.decode()
    assert [row["anchor"] for row in rows[:2]] == ["payment-1", "payment-3"]

    deducted = cw_client.get(url, {"up_to": TEN_YEARS, "with_deductions": "on"})
    assert deducted.context["page"].paginator.count == 52
    assert all(row["deducted"] > 0 for row in deducted.context["summary"]["rows"])
    # The sum row sums what the filter chose (every page), not the whole simulation.
    assert deducted.context["summary"]["totals"]["deducted"] == Decimal("1040.00")

    skipped = cw_client.get(url, {"up_to": TEN_YEARS, "with_skips": "on", "page": "2"})
    assert skipped.context["page"].number == 2
    assert all(row["skipped"] for row in skipped.context["summary"]["rows"])
    html = skipped.content.decode()
    assert "Zahlungen 53–104 von 494" in html
    assert 'id="payment-105"' in html  # Thomas's 53rd payment, number 105 of all

    # A page past the end (or no number) shows the last one: 988 = 19 × 52.
    last = cw_client.get(url, {"up_to": TEN_YEARS, "page": "99"})
    assert last.context["page"].number == 19 and 'id="payment-988"' in last.content.decode()
    # "Alle aufklappen" opens every card of the page.
    opened = cw_client.get(url, {"up_to": TEN_YEARS, "expand": "1"}).content.decode()
    assert opened.count('data-testid="payment" id="payment-1" open') == 1


def test_filters_and_paging_with_htmx_return_the_list_fragment_SIM_2(cw_client, ten_years):
    """SIM-2: with htmx the filter form and the page links ask for the list only."""
    response = cw_client.get(
        _url(ten_years),
        {"up_to": TEN_YEARS, "nominee": ten_years.linda.pk, "page": "3"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="simulation-payments",
    )
    html = response.content.decode()
    assert html.startswith('<div id="simulation-payments"')
    assert 'data-testid="simulation-totals"' not in html
    assert "Zahlungen 105–156 von 494" in html
    assert "Thomas Müller</td>" not in html


def test_saved_simulation_page_is_paged_and_filtered_too_SIM_2_SIM_3(
    cw_client, ten_years, caseworker
):
    """SIM-2, SIM-3: a saved ten-year simulation opens as small as the live one."""
    saved = simulation_run(
        case_id=ten_years.case.pk, up_to=date.fromisoformat(TEN_YEARS), user=caseworker, save=True
    )["id"]
    url = reverse("payments:simulation-detail", args=[ten_years.case.pk, saved])
    response = cw_client.get(url)
    assert len(response.content) < PAGE_BYTES_LIMIT
    html = response.content.decode()
    assert "Simulation bis 25.06.2035" in html and "Zahlungen 1–52 von 988" in html
    skips = cw_client.get(url, {"with_skips": "on"}).content.decode()
    assert "von 494" in skips and 'href="?with_skips=on&amp;page=2"' in skips


# --- SIM-1: the expected end ------------------------------------------------------------


def test_page_stops_at_the_expected_end_unless_asked_SIM_1(cw_client):
    """SIM-1: the page simulates up to the period containing the expected end date
    (31.12.2026) and says it was cut there; the checkbox goes beyond."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    url = reverse("payments:simulate", args=[setup.case.pk])
    cut = cw_client.get(url, {"up_to": "2027-03-31"})
    html = cut.content.decode()
    periods = [p["period_start"] for p in cut.context["result"]["payments"]]
    assert periods[-1] == "2026-12-28"  # the week 28.12.2026–03.01.2027 holds the end
    assert 'data-testid="cut-notice"' in html and "31.12.2026" in html
    beyond = cw_client.get(url, {"up_to": "2027-03-31", "beyond_end": "on"})
    later = [p["period_start"] for p in beyond.context["result"]["payments"]]
    assert later[-1] == "2027-03-22" and 'data-testid="cut-notice"' not in beyond.content.decode()
    # The filter form and the save form keep the choice.
    assert beyond.content.decode().count('name="beyond_end" value="on"') == 2
    # A date before the end: nothing is cut, no notice.
    early = cw_client.get(url, {"up_to": "2026-02-28"}).content.decode()
    assert 'data-testid="cut-notice"' not in early


def test_api_keeps_simulating_past_the_end_unless_asked_SIM_1(api):
    """SIM-1: the API keeps api.md's behaviour (runs do not stop at the expected end,
    D-104); "stop_at_expected_end": true cuts there and names the date in cut_at."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    path = f"/api/v1/product-delivery-cases/{setup.case.pk}/simulate/"
    plain = api.post(path, {"up_to": "2027-01-31"}, format="json").json()
    assert plain["payments"][-1]["period_start"] == "2027-01-18" and plain["cut_at"] is None
    cut = api.post(
        path, {"up_to": "2027-01-31", "stop_at_expected_end": True}, format="json"
    ).json()
    assert cut["payments"][-1]["period_start"] == "2026-12-28"
    assert cut["cut_at"] == "2026-12-31"


def test_stop_at_end_is_not_limited_by_a_far_date_SIM_1(caseworker):
    """SIM-1: a date centuries ahead is no error when the case ends first."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    result = simulation_run(
        case_id=setup.case.pk,
        up_to=date(2199, 12, 31),
        user=caseworker,
        stop_at_expected_end=True,
    )
    assert len(result["payments"]) == 52 and result["cut_at"] == "2026-12-31"


# --- SIM-3: names, notes, totals, comparison --------------------------------------------


def test_saving_with_name_and_note_and_the_default_name_SIM_3(cw_client, caseworker):
    """SIM-3: the save form at the top takes a name and a note; without a name the
    simulation is called "Simulation bis <date>"; its totals are stored with it and the
    list shows name, date, user, up_to and totals."""
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    url = reverse("payments:simulate", args=[setup.case.pk])
    cw_client.post(url, {"up_to": "2026-01-19", "name": "Plan Januar", "note": "Mit Strom"})
    cw_client.post(url, {"up_to": "2026-01-12", "name": "  "})
    named, default = Simulation.objects.order_by("pk")
    assert (named.name, named.note) == ("Plan Januar", "Mit Strom")
    assert default.name == "Simulation bis 12.01.2026" and default.note == ""
    assert named.payment_count == 4 and named.skipped_count == 0
    assert (named.total_gross, named.total_deducted, named.total_net) == (
        Decimal("300.00"),
        Decimal("40.00"),
        Decimal("260.00"),
    )
    listing = cw_client.get(url).content.decode()
    table = listing.split('data-testid="saved-simulations"')[1].split("</table>")[0]
    row = table.split('data-testid="saved-simulation"')[2]  # newest first: "Plan Januar"
    assert "Plan Januar" in row and "Mit Strom" in row and "19.01.2026" in row
    assert (
        caseworker.get_full_name() in row
        and "300,00 €" in row
        and "40,00 €" in row
        and "260,00 €" in row
    )
    assert "Simulation bis 12.01.2026" in table
    detail = cw_client.get(
        reverse("payments:simulation-detail", args=[setup.case.pk, named.pk])
    ).content.decode()
    assert "<h1>Plan Januar</h1>" in detail and "Mit Strom" in detail

    api_row = cw_client.get(f"/api/v1/simulations/{named.pk}/").json()
    assert api_row["name"] == "Plan Januar" and api_row["total_net"] == "260.00"


def test_a_too_long_name_is_shown_beside_the_field_and_nothing_is_saved_SIM_3(cw_client):
    """SIM-3: a name over 200 characters is refused beside the name; the result stays."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    url = reverse("payments:simulate", args=[setup.case.pk])
    response = cw_client.post(url, {"up_to": "2026-01-19", "name": "x" * 201})
    html = response.content.decode()
    assert response.status_code == 200 and Simulation.objects.count() == 0
    name_field = html.split('name="name"')[1].split("</div>")[0]
    assert 'class="field-error"' in name_field
    assert 'data-testid="simulation-totals"' in html


def test_admin_lists_saved_simulations_with_names_and_totals_SIM_3(
    client, administrator, caseworker
):
    """SIM-3: the administrators' list shows name and totals (read-only)."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    simulation_run(
        case_id=setup.case.pk, up_to=date(2026, 1, 19), user=caseworker, save=True, name="Q1"
    )
    client.force_login(administrator)
    html = client.get("/admin/payments/simulation/").content.decode()
    assert "Q1" in html and "200,00" in html


def test_compare_page_starts_with_totals_and_filters_to_differences_SIM_3(cw_client, caseworker):
    """SIM-3: the comparison opens with the totals of A and B per nominee and B − A; a
    link leads to the first differing payment; "Nur Unterschiede" hides identical ones,
    and differing values keep the class diff."""
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    strom = add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    a = simulation_run(
        case_id=setup.case.pk, up_to=date(2026, 1, 26), user=caseworker, save=True, name="A"
    )["id"]
    Deduction.objects.filter(pk=strom.pk).update(amount=Decimal("25.00"))
    b = simulation_run(
        case_id=setup.case.pk, up_to=date(2026, 1, 26), user=caseworker, save=True, name="B"
    )["id"]
    url = reverse("payments:simulation-compare", args=[setup.case.pk])
    response = cw_client.get(url, {"a": a, "b": b})
    html = response.content.decode()
    assert html.index('data-testid="compare-totals"') < html.index('data-testid="comparison"')
    thomas, linda = response.context["totals"]["nominees"]
    assert thomas["a"]["deducted"] == Decimal("60.00")
    assert thomas["b"]["deducted"] == Decimal("75.00")
    assert thomas["difference"]["net"] == Decimal("-15.00")
    assert thomas["differs"] == ["deducted", "net"] and linda["differs"] == []
    totals = html.split('data-testid="compare-totals"')[1].split("</table>")[0]
    assert "−15,00 €" in totals or "-15,00 €" in totals
    assert 'href="#erster-unterschied"' in html
    rows = html.split('data-testid="comparison"')[1].split("</table>")[0]
    assert rows.count('data-testid="compare-row"') == 6
    # Payments sort by period then nominee: Thomas's first week differs first.
    first = rows.split('data-testid="compare-row"')[0]
    assert first.rstrip().endswith('id="erster-unterschied"') and 'class="num diff"' in rows

    only = cw_client.get(url, {"a": a, "b": b, "only_differences": "on"}).content.decode()
    only_rows = only.split('data-testid="comparison"')[1].split("</table>")[0]
    assert only_rows.count('data-testid="compare-row"') == 3
    assert "Linda Müller" not in only_rows and "3 von 6 Zahlungen unterscheiden sich." in only


# --- the pure helpers -------------------------------------------------------------------


def _payment(nominee, gross, deducted, skipped=0, start="2026-01-05"):
    lines = [{"status": "processed", "amount": deducted}] + [
        {"status": "skipped", "amount": "0.00"} for _ in range(skipped)
    ]
    net = f"{Decimal(gross) - Decimal(deducted):.2f}"
    return {
        "period_start": start,
        "nominee": nominee,
        "gross": gross,
        "tax": "0.00",
        "net": net,
        "total_deducted": deducted,
        "deductions": lines,
    }


def test_totals_filters_and_compared_totals_are_decimal_sums_SIM_2_SIM_3():
    """SIM-2, SIM-3: totals per nominee in order of first payment; filters keep each
    payment's number; compared totals name what differs."""
    payments = [
        _payment(1, "100.10", "20.05", skipped=1),
        _payment(2, "50.00", "0.00"),
        _payment(1, "100.10", "0.00", start="2026-01-12"),
    ]
    totals = simulation_totals(payments)
    assert [row["nominee"] for row in totals["nominees"]] == [1, 2]
    assert totals["nominees"][0]["gross"] == Decimal("200.20")
    assert totals["nominees"][0]["skipped"] == 1
    assert totals["overall"]["net"] == Decimal("230.15")
    assert [n for n, _p in filter_payments(payments, nominee=1)] == [1, 3]
    assert [n for n, _p in filter_payments(payments, with_deductions=True)] == [1]
    assert [n for n, _p in filter_payments(payments, with_skips=True)] == [1]
    compared = compare_totals(payments, payments[:2])
    assert compared["nominees"][0]["differs"] == ["count", "gross", "net"]
    assert compared["nominees"][1]["differs"] == []
    assert compared["overall"]["difference"]["gross"] == Decimal("-100.10")
