"""The one parser of typed money and percentages (config.money_input): both UI languages,
every refusal, and format → parse giving back the same Decimal (CD-6, IC-8, LI-1, DT-2,
PR-1: every money and percentage a user enters goes through it)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.money_input import EntryError, format_decimal, parse_decimal

MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}


def money(text, language):
    return parse_decimal(text, language=language, **MONEY)


def refusal(text, language, **column):
    with pytest.raises(EntryError) as caught:
        parse_decimal(text, language=language, **(column or MONEY))
    return caught.value.code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("400,50", "400.50"),
        ("1.234,56", "1234.56"),
        ("1234,56", "1234.56"),
        ("400", "400"),
        ("0,5", "0.5"),
        ("1.234.567,89", "1234567.89"),
        ("1.234.567", "1234567"),
        ("  400,50 ", "400.50"),
        ("0", "0"),
    ],
)
def test_german_accepts_comma_decimals_and_dot_thousands_CD_6(text, expected):
    """CD-6, IC-8: German pages take 400,50, 1.234,56, 1234,56 and 400."""
    assert money(text, "de") == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("400.50", "400.50"),
        ("1,234.56", "1234.56"),
        ("1234.56", "1234.56"),
        ("400", "400"),
        ("1,234,567.89", "1234567.89"),
    ],
)
def test_english_accepts_point_decimals_and_comma_thousands_CD_6(text, expected):
    """CD-6, IC-8: English pages take 400.50, 1,234.56 and 1234.56."""
    assert money(text, "en") == Decimal(expected)


def test_language_variants_and_unknown_languages():
    """A regional code ("en-us") reads as its language; an unknown one as German."""
    assert money("1,234.56", "en-us") == Decimal("1234.56")
    assert money("1.234,56", "fr") == Decimal("1234.56")
    assert money("1.234,56", None) == Decimal("1234.56")


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_entry_is_none(text):
    assert money(text, "de") is None


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "12a",
        "EUR 5",
        "5 €",
        "1e3",
        "1E3",
        "1,5e2",
        "NaN",
        "nan",
        "Infinity",
        "inf",
        "-Infinity",
        "٤٠٠",  # Arabic-Indic digits
        "۴۰۰",  # Extended Arabic-Indic digits
        "４００",  # full-width digits
        "1 234,56",  # space inside
        "0x10",
        ",50",
        ".50",
        "400,",
        "400.",
        "1..234",
        "1,,234",
        "--5",
        "−5",  # Unicode minus
    ],
)
def test_refuses_letters_exponents_nan_and_non_ascii_digits_CD_6(text, language):
    """CD-6: letters, exponents, NaN/Infinity and non-ASCII digits are never read."""
    assert refusal(text, language) == "format"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("1.23,4", "de"),  # a thousands group of two digits
        ("12.34", "de"),  # a dot on a German page is a thousands separator
        ("400.50", "de"),
        ("1.234,5.6", "de"),
        ("1,234.56", "de"),
        ("0.123", "de"),  # a group after a leading 0
        ("1.2345", "de"),
        ("1,23.4", "en"),
        ("12,34", "en"),
        ("400,50", "en"),
        ("1.234,56", "en"),
        ("1,2345", "en"),
    ],
)
def test_refuses_misplaced_thousands_groups_CD_6(text, language):
    """CD-6: a thousands separator must separate groups of three digits before the
    decimal separator; otherwise the text is refused, not guessed."""
    assert refusal(text, language) == "format"


@pytest.mark.parametrize(
    ("text", "language"), [("1,234", "de"), ("12,345", "de"), ("1.234", "en"), ("400,500", "de")]
)
def test_three_decimal_places_are_refused_never_read_as_thousands_CD_6(text, language):
    """CD-6: German 1,234 (English 1.234) has three decimal places and is refused; it is
    never read as 1234."""
    assert refusal(text, language) == "places"


@pytest.mark.parametrize(("text", "language"), [("1.234", "de"), ("12.345", "de"), ("1,234", "en")])
def test_lone_thousands_separator_before_three_digits_is_ambiguous_CD_6(text, language):
    """CD-6: German 1.234 would be 1.234 on an English page; such text is refused in both
    languages (1234 or 1.234,00 are accepted)."""
    assert refusal(text, language) == "ambiguous"
    assert money("1234", language) == Decimal("1234")


@pytest.mark.parametrize(("text", "language"), [("1,234", "de"), ("1.234", "en")])
def test_ambiguous_also_with_more_decimal_places_than_two(text, language):
    """Even a column with three places refuses a lone separator before three digits."""
    assert refusal(text, language, max_digits=12, decimal_places=3) == "ambiguous"


def test_more_decimal_places_than_the_column_DT_4():
    """DT-4: percentages follow the column's two decimal places."""
    assert refusal("12,555", "de", **PERCENT) == "places"
    assert refusal("1,5555", "de", **PERCENT) == "places"
    assert refusal("400,5000", "de") == "places"
    assert parse_decimal("12,5", language="de", **PERCENT) == Decimal("12.5")
    assert parse_decimal("12.55", language="en", **PERCENT) == Decimal("12.55")


@pytest.mark.parametrize("language", ["de", "en"])
def test_signs_where_negative_is_not_allowed_IC_8_LI_1(language):
    """IC-8, LI-1: amounts are never negative; a sign is refused, not dropped."""
    assert refusal("-5", language) == "negative"
    assert refusal("-0", language) == "negative"
    assert refusal("+5", language) == "sign"
    assert parse_decimal("-5", language=language, allow_negative=True, **MONEY) == Decimal("-5")


@pytest.mark.parametrize("language", ["de", "en"])
def test_values_beyond_the_column_are_refused_PR_1(language):
    """PR-1: more digits than the column holds (12 digits, 2 places; 5 digits for a
    percentage) are refused instead of failing in the database."""
    assert money("9999999999", language) == Decimal("9999999999")
    assert refusal("10000000000", language) == "range"
    assert refusal("99999999999999999999999999", language) == "range"
    assert parse_decimal("999", language=language, **PERCENT) == Decimal("999")
    assert refusal("1000", language, **PERCENT) == "range"
    assert money("00000000000001", language) == Decimal("1")  # leading zeros are no digits


@pytest.mark.parametrize(
    ("value", "language", "text"),
    [
        (Decimal("1234.56"), "de", "1.234,56"),
        (Decimal("1234.56"), "en", "1,234.56"),
        (Decimal("400.5"), "de", "400,50"),
        (Decimal("400"), "en", "400.00"),
        (Decimal("1234567.8"), "de", "1.234.567,80"),
        (Decimal("0"), "de", "0,00"),
        (Decimal("-1234.5"), "en", "-1,234.50"),
        (None, "de", ""),
    ],
)
def test_format_for_the_language_CD_13(value, language, text):
    """CD-13: a saved amount is shown back in the page's language, with its places."""
    assert format_decimal(value, language=language, decimal_places=2) == text


def test_format_without_places_writes_no_ambiguous_group():
    assert format_decimal(Decimal("1234"), language="de", decimal_places=0) == "1234"


@given(
    value=st.decimals(
        min_value=Decimal("0"), max_value=Decimal("9999999999.99"), places=2, allow_nan=False
    ),
    language=st.sampled_from(["de", "en"]),
)
def test_round_trip_money_CD_6(value, language):
    """CD-6: format then parse gives the same Decimal, over the whole money column."""
    text = format_decimal(value, language=language, decimal_places=2)
    assert parse_decimal(text, language=language, **MONEY) == value


@given(
    value=st.decimals(min_value=Decimal("0"), max_value=Decimal("999.99"), places=2),
    language=st.sampled_from(["de", "en"]),
)
def test_round_trip_percent_DT_4(value, language):
    """DT-4: the same for the percentage column (5 digits, 2 places)."""
    text = format_decimal(value, language=language, decimal_places=2)
    assert parse_decimal(text, language=language, **PERCENT) == value


@given(
    value=st.decimals(
        min_value=Decimal("-9999999999.99"), max_value=Decimal("9999999999.99"), places=2
    ),
    language=st.sampled_from(["de", "en"]),
)
def test_round_trip_signed(value, language):
    text = format_decimal(value, language=language, decimal_places=2)
    assert parse_decimal(text, language=language, allow_negative=True, **MONEY) == value


@given(text=st.text(alphabet="0123456789.,", min_size=1, max_size=14))
def test_no_text_means_two_different_numbers_in_the_two_languages_CD_6(text):
    """CD-6: a text is refused in one language or means the same in both, so a German
    entry on an English page (or the reverse) is refused, never misread."""
    readings = []
    for language in ("de", "en"):
        try:
            readings.append(money(text, language))
        except EntryError:
            pass
    assert len(set(readings)) <= 1
