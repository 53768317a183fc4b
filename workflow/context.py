"""What an event is about, for processes to address and fill templates (WF-4).

The workflow app knows no domain model: the apps that raise events register providers
here (in their AppConfig.ready) that add names, references and the responsible users
to an event's context from its ids and payload."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from config.dates import format_date

from .models import EventType, WorkflowEvent

# Pages where users act (paths only; each app builds its own pages).
DEDUCTION_DETAIL_PATH = "/deductions/{id}/"
DEDUCTION_EDIT_PATH = "/deductions/{id}/edit/"
CASE_PATH = "/cases/pdc/{id}/"

# Events whose task asks the supervisor to end (edit) the deduction; the others link to
# the deduction's page.
END_DEDUCTION_EVENTS = {
    EventType.THIRD_PARTY_PARTICIPANT_ENDED,
    EventType.DEDUCTION_EXPIRED,
    EventType.LIABILITY_SETTLED,
}


def deduction_link(event_type: str, deduction_id: int) -> str:
    template = DEDUCTION_EDIT_PATH if event_type in END_DEDUCTION_EVENTS else DEDUCTION_DETAIL_PATH
    return template.format(id=deduction_id)


def event_deduction_ids(event: WorkflowEvent) -> list[int]:
    """The deductions an event is about: the payload's list for "participant ended",
    otherwise the event's own deduction."""
    payload = event.payload or {}
    if event.event_type == EventType.THIRD_PARTY_PARTICIPANT_ENDED:
        ids = payload.get("deductions") or []
    else:
        single = event.deduction_id or payload.get("deduction") or payload.get("deduction_id")
        ids = [single] if single else []
    result: list[int] = []
    for value in ids:
        pk = int(value)
        if pk not in result:
            result.append(pk)
    return result


@dataclass
class Target:
    """One thing an event is about: a deduction (with its case) or, without one, a case."""

    deduction_id: int | None = None
    case_id: int | None = None
    deduction_name: str = ""
    case_reference: str = ""
    supervisor_id: int | None = None
    owner_id: int | None = None
    missing: bool = False  # named by the event but not found

    def link(self, event_type: str) -> str:
        if self.deduction_id:
            return deduction_link(event_type, self.deduction_id)
        if self.case_id:
            return CASE_PATH.format(id=self.case_id)
        return ""


@dataclass
class EventContext:
    event: WorkflowEvent
    targets: list[Target]
    participant_id: int | None = None
    participant_name: str = ""
    participant_found: bool = False
    names: dict[int, str] = field(default_factory=dict)  # participant names (nominees)

    @property
    def payload(self) -> dict:
        return self.event.payload or {}

    @property
    def found_targets(self) -> list[Target]:
        return [t for t in self.targets if not t.missing]


Provider = Callable[[EventContext], None]
_providers: list[Provider] = []
_reason_texts: list[Callable[[str, str], str | None]] = []


def register_provider(provider: Provider) -> None:
    """Called by a domain app's AppConfig.ready: `provider(context)` fills in what it knows."""
    if provider not in _providers:
        _providers.append(provider)


def register_reason_text(translate: Callable[[str, str], str | None]) -> None:
    """`translate(code, language)` gives the sentence of a reason code, or None."""
    if translate not in _reason_texts:
        _reason_texts.append(translate)


def reason_sentence(code: str, language: str) -> str:
    for translate in _reason_texts:
        try:
            text = translate(code, language)
        except (KeyError, ValueError):
            text = None
        if text:
            return text
    return str(code)


def event_context(event: WorkflowEvent) -> EventContext:
    payload = event.payload or {}
    ids = event_deduction_ids(event)
    if ids:
        targets = [Target(deduction_id=pk, case_id=event.case_id) for pk in ids]
    elif event.case_id:
        targets = [Target(case_id=event.case_id)]
    else:
        targets = []
    participant = event.participant_id or payload.get("participant")
    context = EventContext(
        event=event, targets=targets, participant_id=int(participant) if participant else None
    )
    for provider in _providers:
        provider(context)
    return context


def date_text(value) -> str:
    """An ISO date in the active language's short format (as it is when not a date)."""
    try:
        return format_date(str(value))
    except ValueError:
        return str(value or "")
