"""The waterfall chart's data and drawing (SIM-2) and the skipped lines' amounts in the
results (PAY-9): skipped deductions are hatched bars that take nothing."""

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from payments.results import payment_dict, waterfall
from payments.templatetags.payments_tags import skip_reason

from .engine.test_calculate import THOMAS, case, component, deduction, limits, run

PAYMENT = {
    "gross": "100.00",
    "tax": "0.00",
    "net": "80.00",
    "deductions": [
        {"name": "Strom", "status": "processed", "amount": "20.00", "requested_amount": "20.00"},
        {
            "name": "Gas",
            "status": "skipped",
            "amount": "0.00",
            "requested_amount": "40.00",
            "reason": "insufficient_balance",
            "needed_amount": "40.00",
            "limit_amount": "10.00",
        },
        {
            "name": "Wasser",
            "status": "skipped",
            "amount": "0.00",
            "requested_amount": "0.00",
            "reason": "zero_amount",
        },
    ],
}


def test_waterfall_keeps_skipped_lines_as_hatched_bars_taking_nothing_SIM_2():
    """SIM-2: every step in order, skipped lines included; a skipped bar is what the line
    needed (40 of the 80 left, so 40 % … 80 %) and leaves the running total unchanged; one
    that asked nothing still shows, at the running total."""
    with translation.override("de"):
        chart = waterfall(PAYMENT)
    bars = chart["bars"]
    assert [(b["label"], b["kind"], b["value"]) for b in bars] == [
        ("Brutto", "total", "100.00"),
        ("Strom", "down", "20.00"),
        ("Gas", "skipped", "0.00"),
        ("Wasser", "skipped", "0.00"),
        ("Netto", "total", "80.00"),
    ]
    strom, gas, wasser, net = bars[1:]
    assert (strom["x"], strom["width"]) == ("80.00", "20.00")
    assert (gas["x"], gas["width"], gas["asked"]) == ("40.00", "40.00", "40.00")
    assert gas["joint_x"] == "80.00"  # unchanged by the skip
    assert Decimal(wasser["width"]) > 0 and wasser["end"] == "80.00"
    assert (net["x"], net["width"]) == ("0.00", "80.00")
    assert chart["skipped"] is True
    # Rows stack downwards; the chart is as tall as its rows.
    assert [b["y"] for b in bars] == sorted(b["y"] for b in bars)
    assert chart["height"] >= bars[-1]["y"] + bars[-1]["height"]


def test_waterfall_shortens_long_labels_keeping_the_full_name_SIM_2():
    payment = dict(PAYMENT, deductions=[dict(PAYMENT["deductions"][0], name="R" * 60)])
    bar = waterfall(payment)["bars"][1]
    assert bar["label"] == "R" * 60
    assert len(bar["short_label"]) <= 30 and bar["short_label"].endswith("…")


def test_waterfall_template_draws_hatch_legend_and_titles_SIM_2():
    """SIM-2: the skipped bar is filled with the hatch pattern, the legend names it, every
    bar has a <title>, and the chart is an image with a text description."""
    with translation.override("de"):
        html = render_to_string("payments/_waterfall.html", {"wf": waterfall(PAYMENT), "uid": 7})
    assert '<pattern id="wf-hatch-7"' in html
    assert html.count('fill="url(#wf-hatch-7)"') == 2
    assert 'data-testid="legend-skipped"' in html and "Übersprungen: nichts abgezogen" in html
    assert html.count("<title>") == 5
    assert "Gas: übersprungen, 0,00 € (angefragt 40,00 €)" in html
    assert 'role="img"' in html and "<desc" in html and 'width="100%"' in html
    assert "Brutto: 100,00 €; Strom: −20,00 €; Gas: übersprungen, 0,00 €" in html


def test_waterfall_without_skips_has_no_skip_legend_SIM_2():
    payment = dict(PAYMENT, deductions=PAYMENT["deductions"][:1])
    html = render_to_string("payments/_waterfall.html", {"wf": waterfall(payment), "uid": 1})
    assert "legend-skipped" not in html and "url(#wf-hatch" not in html


def test_results_name_the_amounts_on_skipped_lines_only_PAY_9():
    """PAY-9, SIM-2: a skipped line of the results names needed and available amounts; a
    processed line reads exactly as before (no new keys)."""
    (payment,) = run(
        case(
            [component(1, THOMAS, "100")],
            [
                deduction(1, amount="20", nominee=THOMAS),
                deduction(2, amount="40", nominee=THOMAS),
            ],
            product=limits("30"),
        )
    ).payments
    processed, skipped = payment_dict(payment)["deductions"]
    assert "needed_amount" not in processed and "limit_amount" not in processed
    assert (skipped["needed_amount"], skipped["limit_amount"]) == ("40.00", "10.00")
    with translation.override("de"):
        assert skip_reason(skipped).endswith("(benötigt 40,00 €, verfügbar 10,00 €)")
        assert skip_reason("insufficient_balance") == (
            "Der verbleibende Leistungsbetrag reicht für den Abzug nicht aus."
        )
