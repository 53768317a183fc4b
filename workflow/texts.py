"""The built-in texts of tasks and notifications (WF-2, WF-4), rendered from a code and
language-neutral parameters in the active language: stored in German when created, shown
in the reader's language on the task and notification pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.skip_reasons import SKIP_REASON_SENTENCES, skip_reason_text

from .context import EventContext, Target, date_text, reason_sentence
from .models import EventType


@dataclass(frozen=True)
class Text:
    subject: str
    description: str


def _event_label(code: str) -> str:
    try:
        return str(EventType(code).label)
    except ValueError:
        return str(code)


def _reasons(params: dict) -> list[str]:
    """Reason codes in the reader's language; a code nobody translates falls back to the
    sentence stored with the event (itself translated where the catalogue knows it)."""
    language = translation.get_language() or "de"
    codes = params.get("reasons") or []
    stored = params.get("reason_texts") or []
    amounts = params.get("reason_amounts") or []
    sentences = []
    for index in range(max(len(codes), len(stored))):
        code = codes[index] if index < len(codes) else ""
        sentence = reason_sentence(code, language) if code else ""
        if code and index < len(amounts) and amounts[index] and code in SKIP_REASON_SENTENCES:
            needed, limit = amounts[index]
            sentence = skip_reason_text(code, language=language, needed=needed, limit=limit)
        if (not sentence or sentence == code) and index < len(stored):
            sentence = _(stored[index])
        sentences.append(sentence or code)
    return sentences


def _skipped_lines(params: dict) -> list[str]:
    periods = params.get("periods") or 0
    if not periods:
        return []
    texts = [
        ngettext(
            "Übersprungen in %(n)s Zahlungszeitraum vom %(start)s bis %(end)s.",
            "Übersprungen in %(n)s Zahlungszeiträumen vom %(start)s bis %(end)s.",
            periods,
        )
        % {
            "n": periods,
            "start": date_text(params.get("period_start")),
            "end": date_text(params.get("period_end")),
        }
    ]
    nominees = params.get("nominees") or []
    if len(nominees) > 1:
        texts.append(
            _("Betroffene Leistungsempfänger: %(names)s.") % {"names": ", ".join(nominees)}
        )
    return texts


def _deduction_task(code: str, p: dict) -> Text:
    name, pk, ref = p.get("name", ""), p.get("id", ""), p.get("ref", "")
    if code == "participant_ended":
        who = p.get("who") or _("Unbekannter Beteiligter")
        return Text(
            _("Abzug „%(name)s“ (Nr. %(id)s) beenden: %(who)s ist beendet")
            % {"name": name, "id": pk, "who": who},
            _(
                "Der Beteiligte %(who)s, an den der Abzug „%(name)s“ im Fall %(ref)s gezahlt "
                "wird, wurde beendet. Bitte setzen Sie das Enddatum des Abzugs."
            )
            % {"who": who, "name": name, "ref": ref},
        )
    if code == "deduction_skipped":
        description = " ".join(
            [_("Fall %(ref)s. Bitte prüfen Sie den Abzug.") % {"ref": ref}, *_skipped_lines(p)]
        )
        reasons = _reasons(p)
        if reasons:
            description = f"{description} {_('Grund')}: {' '.join(reasons)}"
        return Text(
            _("Abzug „%(name)s“ (Nr. %(id)s) wurde übersprungen") % {"name": name, "id": pk},
            description,
        )
    if code == "deduction_expired":
        return Text(
            _("Abzug „%(name)s“ (Nr. %(id)s) ist abgelaufen") % {"name": name, "id": pk},
            _("Fall %(ref)s. Das Enddatum des Abzugs ist überschritten.") % {"ref": ref},
        )
    if code == "liability_settled":
        return Text(
            _("Verbindlichkeit durch Abzug „%(name)s“ (Nr. %(id)s) beglichen")
            % {"name": name, "id": pk},
            _("Fall %(ref)s. Die Verbindlichkeit ist beglichen; bitte beenden Sie den Abzug.")
            % {"ref": ref},
        )
    return Text(
        _("%(event)s: Abzug „%(name)s“ (Nr. %(id)s)")
        % {"event": _event_label(p.get("event", "")), "name": name, "id": pk},
        _("Fall %(ref)s.") % {"ref": ref},
    )


def render(code: str, params: dict) -> Text:
    """A built-in text in the active language."""
    params = params or {}
    if code == "case":
        return Text(
            _("%(event)s: Fall %(ref)s")
            % {"event": _event_label(params.get("event", "")), "ref": params.get("ref", "")},
            "",
        )
    if code == "summary":
        text = _event_label(params.get("event", ""))
        labels = [f"„{name or '?'}“ (Nr. {pk})" for name, pk in params.get("deductions") or []]
        if labels:
            text = f"{text}: {_('Abzug')} {', '.join(labels)}"
        if params.get("participant"):
            text = f"{text} – {params['participant']}"
        return Text(text[:500], "")
    return _deduction_task(code, params)


_TASK_CODES = {
    EventType.THIRD_PARTY_PARTICIPANT_ENDED: "participant_ended",
    EventType.DEDUCTION_SKIPPED: "deduction_skipped",
    EventType.DEDUCTION_EXPIRED: "deduction_expired",
    EventType.LIABILITY_SETTLED: "liability_settled",
}


def task_text_params(context: EventContext, target: Target) -> tuple[str, dict]:
    """The code and parameters of a task's built-in text for one target of the event."""
    event = context.event
    if not target.deduction_id:
        return "case", {"event": event.event_type, "ref": target.case_reference}
    params: dict = {
        "event": event.event_type,
        "name": target.deduction_name,
        "id": target.deduction_id,
        "ref": target.case_reference,
    }
    code = _TASK_CODES.get(event.event_type, "deduction")
    if code == "participant_ended":
        params["who"] = context.participant_name
    if code == "deduction_skipped":
        payload = context.payload
        lines = payload.get("lines") or []
        nominees = list(dict.fromkeys(line.get("nominee") for line in lines if line.get("nominee")))
        params.update(
            periods=len({line.get("period_start") for line in lines}),
            period_start=payload.get("period_start"),
            period_end=payload.get("period_end"),
            nominees=[str(context.names.get(int(pk), pk)) for pk in nominees],
            reasons=skip_reason_codes(payload),
            reason_texts=[str(t) for t in _stored_reason_texts(payload)],
            reason_amounts=_reason_amounts(payload),
        )
    return code, params


def skip_reason_codes(payload: dict) -> list[str]:
    codes = payload.get("reasons") or ([payload["reason"]] if payload.get("reason") else [])
    return [str(code) for code in codes]


def _reason_amounts(payload: dict) -> list:
    """Per reason code, the compared amounts of its first skipped line ([needed, limit]),
    or None where the event's lines do not name them (events of older runs)."""
    lines = payload.get("lines") or []
    amounts = []
    for code in skip_reason_codes(payload):
        line = next((line for line in lines if line.get("reason") == code), None) or {}
        needed, limit = line.get("needed_amount"), line.get("limit_amount")
        amounts.append(None if needed is None or limit is None else [needed, limit])
    return amounts


def _stored_reason_texts(payload: dict) -> list:
    return payload.get("reason_texts") or (
        [payload["reason_text"]] if payload.get("reason_text") else []
    )


def summary_params(context: EventContext) -> dict:
    return {
        "event": context.event.event_type,
        "deductions": [
            [t.deduction_name, t.deduction_id] for t in context.targets if t.deduction_id
        ],
        "participant": context.participant_name,
    }


def reason_text(context: EventContext) -> str:
    """The reasons of a skip event as German sentences (the `{reason}` placeholder)."""
    payload = context.payload
    texts = _stored_reason_texts(payload)
    codes = skip_reason_codes(payload)
    amounts = _reason_amounts(payload)
    if any(amounts) and len(texts) <= len(codes):
        # The sentences with the amounts of each reason's first line (PAY-9).
        return " ".join(
            skip_reason_text(code, language="de", needed=pair[0], limit=pair[1])
            if pair and code in SKIP_REASON_SENTENCES
            else (str(texts[index]) if index < len(texts) else reason_sentence(code, "de"))
            for index, (code, pair) in enumerate(zip(codes, amounts, strict=True))
        )
    if texts:
        return " ".join(str(t) for t in texts)
    return " ".join(reason_sentence(code, "de") for code in skip_reason_codes(payload))
