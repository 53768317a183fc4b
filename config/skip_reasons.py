"""The caseworker's sentences for the payment engine's skip reason codes (PAY-9).

The engine speaks codes only (``payments.engine.SkipReason``); the sentences are the
glossary's, in German as the translation catalogue's source text, with English in the
catalogue. Kept here so that every app that shows a skip reason (deductions' history,
payments' breakdowns, workflow tasks) reads the one mapping without importing a higher app.

Where the engine knows the two amounts its failing check compared (a skipped line's
``needed_amount`` and ``limit_amount``), the sentence is followed by them in brackets:
"… reicht für den Abzug nicht aus. (benötigt 150,00 €, verfügbar 112,00 €)". Rows and
events written before the amounts were kept show the plain sentence.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils import formats, translation
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

# The bracket after the sentence, for the reasons whose check compares two amounts.
SKIP_REASON_AMOUNTS = {
    "insufficient_balance": _("benötigt %(needed)s, verfügbar %(limit)s"),
    "below_min_deduction_amount": _("Abzug %(needed)s, Mindestabzugsbetrag %(limit)s"),
    "below_type_min_amount": _("berechnet %(needed)s, Mindestbetrag %(limit)s"),
}


def _euros(value) -> str | None:
    """An amount as the active language writes money ("1.234,50 €"), the way the payments
    templates' ``money`` filter does; None for what is no amount."""
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)} €"


def _text(code: str, needed, limit) -> str:
    try:
        sentence = str(SKIP_REASON_SENTENCES[str(code)])
    except KeyError:
        raise ValueError(f"unknown skip reason {code!r}") from None
    amounts = SKIP_REASON_AMOUNTS.get(str(code))
    needed, limit = _euros(needed), _euros(limit)
    if amounts is None or needed is None or limit is None:
        return sentence
    return f"{sentence} ({amounts % {'needed': needed, 'limit': limit}})"


def skip_reason_text(code: str, *, language: str | None = None, needed=None, limit=None) -> str:
    """The sentence for a skip reason code, in ``language`` (default: the active one),
    followed by the compared amounts when both ``needed`` and ``limit`` are given (Decimal
    or money strings, as results and events keep them) and the reason compares amounts.

    An unknown code raises ``ValueError``, as the engine's ``SkipReason(code)`` does."""
    if language is None:
        return _text(code, needed, limit)
    with translation.override(language):
        return _text(code, needed, limit)


def skip_line_reason_text(line, *, language: str | None = None) -> str | None:
    """The reason of a skipped line kept as data (a results line, a skip event's line):
    ``reason`` with its ``needed_amount``/``limit_amount`` where present; None when the
    line has no reason."""
    code = line.get("reason")
    if not code:
        return None
    return skip_reason_text(
        code,
        language=language,
        needed=line.get("needed_amount"),
        limit=line.get("limit_amount"),
    )
