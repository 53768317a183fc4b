"""The sentences of the engine's skip reason codes (PAY-9): glossary German, English from
the translation catalogue, and none of them inside the pure engine."""

from pathlib import Path

import pytest

import payments.engine
from config.skip_reasons import SKIP_REASON_SENTENCES, skip_reason_text
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
