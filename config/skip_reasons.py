"""The caseworker's sentences for the payment engine's skip reason codes (PAY-9).

The engine speaks codes only (``payments.engine.SkipReason``); the sentences are the
glossary's, in German as the translation catalogue's source text, with English in the
catalogue. Kept here so that every app that shows a skip reason (deductions' history,
payments' breakdowns, workflow tasks) reads the one mapping without importing a higher app.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

SKIP_REASON_SENTENCES = {
    "insufficient_balance": _("Der verbleibende Leistungsbetrag reicht für den Abzug nicht aus."),
    "below_min_deduction_amount": _("Der Abzug liegt unter dem Mindestabzugsbetrag des Produkts."),
    "below_type_min_amount": _(
        "Der berechnete Betrag liegt unter dem Mindestbetrag des Abzugstyps."
    ),
    "zero_amount": _("Der Abzugsbetrag ist 0."),
    "liability_settled": _("Die Verbindlichkeit ist bereits beglichen."),
}


def skip_reason_text(code: str, *, language: str | None = None) -> str:
    """The sentence for a skip reason code, in ``language`` (default: the active one).

    An unknown code raises ``ValueError``, as the engine's ``SkipReason(code)`` does."""
    try:
        sentence = SKIP_REASON_SENTENCES[str(code)]
    except KeyError:
        raise ValueError(f"unknown skip reason {code!r}") from None
    if language is None:
        return str(sentence)
    with translation.override(language):
        return str(sentence)
