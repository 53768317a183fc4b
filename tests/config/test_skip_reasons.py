"""The sentences of the engine's skip reason codes (PAY-9): glossary German, English from
the translation catalogue, and none of them inside the pure engine."""

from decimal import Decimal
from pathlib import Path

import pytest

import payments.engine
from config.skip_reasons import SKIP_REASON_SENTENCES, skip_line_reason_text, skip_reason_text
from payments.engine import SkipReason

GLOSSARY = {
    "insufficient_balance": "Der verbleibende Leistungsbetrag reicht für den Abzug nicht aus.",
    "below_min_deduction_amount": "Der Abzug liegt unter dem Mindestabzugsbetrag des Produkts.",
    "below_type_min_amount": "Der berechnete Betrag liegt unter dem Mindestbetrag des Abzugstyps.",
    "zero_amount": "Der Abzugsbetrag ist 0.",
    "liability_settled": "Die Verbindlichkeit ist bereits beglichen.",
}


def test_skip_reason_texts_match_glossary_PAY_9():
    """PAY-9, SIM-2: every skip reason has the glossary's German sentence and an English
    one from the catalogue."""
    assert set(SKIP_REASON_SENTENCES) == {str(reason) for reason in SkipReason}
    for code, german in GLOSSARY.items():
        assert skip_reason_text(code, language="de") == german
        english = skip_reason_text(SkipReason(code), language="en")
        assert english and english != german
    assert skip_reason_text("zero_amount", language="en") == "The deduction amount is 0."


def test_unknown_skip_reason_is_refused():
    with pytest.raises(ValueError):
        skip_reason_text("no_such_reason", language="de")


def test_engine_holds_codes_not_sentences_PAY_9():
    """The engine speaks codes only: no sentence of the glossary appears in its source."""
    engine_dir = Path(payments.engine.__file__).parent
    source = "".join(path.read_text() for path in engine_dir.glob("*.py"))
    for sentence in GLOSSARY.values():
        assert sentence not in source
    assert not hasattr(payments.engine, "skip_reason_text")


# --- the compared amounts after the sentence (PAY-9, SIM-2, CD-15) -------------------------


@pytest.mark.parametrize(
    ("code", "language", "expected"),
    [
        (
            "insufficient_balance",
            "de",
            "Der verbleibende Leistungsbetrag reicht für den Abzug nicht aus. "
            "(benötigt 150,00 €, verfügbar 112,00 €)",
        ),
        (
            "insufficient_balance",
            "en",
            "The remaining benefit amount is not enough for the deduction. "
            "(needed 150.00 €, available 112.00 €)",
        ),
        (
            "below_min_deduction_amount",
            "de",
            "Der Abzug liegt unter dem Mindestabzugsbetrag des Produkts. "
            "(Abzug 150,00 €, Mindestabzugsbetrag 112,00 €)",
        ),
        (
            "below_type_min_amount",
            "de",
            "Der berechnete Betrag liegt unter dem Mindestbetrag des Abzugstyps. "
            "(berechnet 150,00 €, Mindestbetrag 112,00 €)",
        ),
        (
            "below_type_min_amount",
            "en",
            "The calculated amount is below the deduction type's minimum amount. "
            "(calculated 150.00 €, minimum amount 112.00 €)",
        ),
    ],
)
def test_skip_reason_names_the_compared_amounts_PAY_9(code, language, expected):
    """PAY-9: the glossary's sentence stays as it is and the amounts follow in brackets,
    written as the language writes money; Decimal and money strings read alike."""
    assert skip_reason_text(code, language=language, needed="150.00", limit="112") == expected
    assert (
        skip_reason_text(code, language=language, needed=Decimal("150"), limit=Decimal("112"))
        == expected
    )


def test_skip_reason_amounts_group_thousands_PAY_9():
    text = skip_reason_text("insufficient_balance", language="de", needed="1234.5", limit="0.00")
    assert text.endswith("(benötigt 1.234,50 €, verfügbar 0,00 €)")


@pytest.mark.parametrize(
    ("code", "needed", "limit"),
    [
        ("insufficient_balance", None, None),  # rows and events written before the amounts
        ("insufficient_balance", "150.00", None),
        ("insufficient_balance", "", "112.00"),
        ("zero_amount", "0.00", "0.00"),  # compares nothing: never a bracket
        ("liability_settled", "5.00", "0.00"),
    ],
)
def test_skip_reason_without_both_amounts_is_the_plain_sentence_PAY_9(code, needed, limit):
    assert skip_reason_text(code, language="de", needed=needed, limit=limit) == GLOSSARY[code]


def test_skip_line_reason_text_reads_a_results_line_PAY_9():
    line = {"reason": "insufficient_balance", "needed_amount": "40.00", "limit_amount": "10.00"}
    assert skip_line_reason_text(line, language="de") == (
        f"{GLOSSARY['insufficient_balance']} (benötigt 40,00 €, verfügbar 10,00 €)"
    )
    assert (
        skip_line_reason_text({"reason": "zero_amount"}, language="de") == GLOSSARY["zero_amount"]
    )
    assert skip_line_reason_text({"reason": None}, language="de") is None
