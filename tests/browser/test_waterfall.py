"""Browser: the simulation's waterfall chart is readable at a phone's and a desktop's
width (SIM-2): it fills the card, no label or amount is cut off or runs into another,
and a skipped deduction is a hatched bar with a legend entry."""

import pytest
from django.urls import reverse

from config import roles
from tests import factories
from tests.payments.builders import add_deduction, build_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every text of every waterfall: its box in the svg's user units (pixels: the chart has
# no viewBox, so its text keeps the page's size) and the svg's size.
TEXT_BOXES = """() => [...document.querySelectorAll('figure.waterfall > svg')].map(svg => {
  const rect = svg.getBoundingClientRect();
  const card = svg.closest('.card').getBoundingClientRect();
  return {
    width: rect.width, height: rect.height, card: card.width,
    rows: [...svg.querySelectorAll('g.wf-bar')].map(g => [...g.querySelectorAll('text')]
      .map(t => { const b = t.getBBox(); return {x: b.x, y: b.y, w: b.width, h: b.height,
                                             text: t.textContent}; })),
  };
})"""


@pytest.mark.parametrize("width", [390, 1366])
def test_waterfall_labels_fit_and_skips_are_hatched_SIM_2(page, login, width):
    """SIM-2: at 390 and 1366 px every label and amount lies inside the chart, label and
    amount of a row do not overlap, the chart is as wide as its card's content, and the
    skipped line (Gas, 40 € with 10 € left) is a hatched bar named in the legend."""
    factories.UserFactory(username="clara", role=roles.CASEWORKER)
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    add_deduction(
        setup, name="Rückforderung überzahlter Leistungen Januar", amount="20", nominee="thomas"
    )
    add_deduction(setup, name="Gas", amount="40", nominee="thomas")

    page.set_viewport_size({"width": width, "height": 900})
    login("clara")
    # expand=1: the payments' cards open ("Alle aufklappen"; collapsed by default, issue 14).
    page.goto(reverse("payments:simulate", args=[setup.case.pk]) + "?up_to=2026-01-12&expand=1")
    page.locator("figure.waterfall").first.wait_for()

    charts = page.evaluate(TEXT_BOXES)
    assert charts
    for chart in charts:
        # Full card width: the card's padding is all that is left beside the chart.
        assert chart["width"] >= chart["card"] - 60
        for label, value in chart["rows"]:
            for box in (label, value):
                assert box["x"] >= -0.5 and box["x"] + box["w"] <= chart["width"] + 0.5, box
                assert box["y"] >= -0.5 and box["y"] + box["h"] <= chart["height"] + 0.5, box
            assert label["x"] + label["w"] < value["x"], (label, value)

    thomas = page.locator("figure.waterfall").first
    skipped = thomas.locator("g.wf-skipped")
    assert skipped.count() == 1
    assert skipped.locator("rect").get_attribute("fill").startswith("url(#wf-hatch-")
    assert "übersprungen · 0,00 €" in skipped.locator("text").nth(1).text_content()
    assert "angefragt 40,00 €" in skipped.locator("title").text_content()
    assert thomas.get_by_test_id("legend-skipped").is_visible()
    # The long name is shortened on the chart; its bar's title has it in full.
    long_bar = thomas.locator("g.wf-down").filter(has_text="Rückforderung")
    assert "Rückforderung überzahlter Leistungen Januar" in long_bar.locator("title").text_content()
