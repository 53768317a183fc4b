"""Issue 14 (item 6), PAY-12, SIM-2: money, numbers and percentages written in the page's
language by one module (config.money_format) and the builtin template filters: German
"1.234,56 €" and "12,50 %" exactly as before, English "€1,234.56" and "12.50%"."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from config.money_format import format_amount, format_money, format_percent


@pytest.mark.parametrize(
    "value, german, english",
    [
        (Decimal("1234.56"), "1.234,56 €", "€1,234.56"),
        (Decimal("30"), "30,00 €", "€30.00"),
        ("40050.00", "40.050,00 €", "€40,050.00"),
        (Decimal("0.005"), "0,01 €", "€0.01"),
        (Decimal("1234567.8"), "1.234.567,80 €", "€1,234,567.80"),
        (Decimal("-5"), "-5,00 €", "-€5.00"),
        (Decimal("-0.001"), "0,00 €", "€0.00"),
        (None, "", ""),
        ("", "", ""),
    ],
)
def test_format_money_per_language_PAY_12(value, german, english):
    assert format_money(value, language="de") == german
    assert format_money(value, language="en") == english
    with translation.override("en"):
        assert format_money(value) == english
    with translation.override("de"):
        assert format_money(value) == german


def test_text_that_is_no_number_is_shown_as_it_is():
    assert format_money("n/a", language="en") == "n/a"
    assert format_money("NaN", language="de") == "NaN"


def test_format_amount_and_percent_PAY_12():
    assert format_amount(Decimal("1234.5"), language="de") == "1.234,50"
    assert format_amount(Decimal("1234.5"), language="en") == "1,234.50"
    assert format_percent(Decimal("12.5"), language="de") == "12,50 %"
    assert format_percent(Decimal("12.5"), language="en") == "12.50%"
    assert format_percent(None, language="en") == ""


def test_money_never_goes_through_float():
    # 0.1 + 0.2 as Decimals is exactly 0.30; a float would print 0.30000000000000004.
    assert format_money(Decimal("0.1") + Decimal("0.2"), language="en") == "€0.30"
    assert format_money(Decimal("2.675"), language="de") == "2,68 €"  # half up, not banker's


@pytest.mark.parametrize(
    "language, expected",
    [
        ("de", "1.234,56 €|1.234,56|12,50 %|05.01.2026|05.01.2026|05.01.2026 09:05:07|–"),
        ("en", "€1,234.56|1,234.56|12.50%|5 Jan 2026|5 Jan 2026|5 Jan 2026 09:05:07|–"),
    ],
)
def test_builtin_filters_per_language_SIM_2(language, expected):
    """SIM-2: the filters need no {% load %} (settings TEMPLATES builtins) and accept ISO
    date text as kept in simulation results."""
    template = Template(
        "{{ m|money }}|{{ m|amount }}|{{ p|percent }}|{{ d|day }}|{{ iso|day }}|"
        "{{ t|moment:'seconds' }}|{{ none|day|default:'–' }}"
    )
    moment = timezone.make_aware(datetime(2026, 1, 5, 9, 5, 7))
    context = {
        "m": Decimal("1234.56"),
        "p": Decimal("12.5"),
        "d": date(2026, 1, 5),
        "iso": "2026-01-05",
        "t": moment,
        "none": None,
    }
    with translation.override(language), timezone.override("Europe/Berlin"):
        assert Template.render(template, Context(context)) == expected


def test_payments_money_filter_is_the_same_PAY_12():
    """The payments pages' own ``money`` filter writes what the builtin one writes."""
    template = Template("{% load payments_tags %}{{ m|money }}")
    with translation.override("en"):
        assert template.render(Context({"m": "40050.00"})) == "€40,050.00"
    with translation.override("de"):
        assert template.render(Context({"m": "40050.00"})) == "40.050,00 €"
