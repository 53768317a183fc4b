"""The built-in workflow processes (WF-2): what a mapped event does.

Each process takes the event and the mapping, runs inside the dispatcher's transaction
(together with the `HandledProcess` row that records it) and is idempotent on its own
too: tasks and notifications are unique per event, mapping and deduction. A process
raises to report a failure; the dispatcher records the error and retries."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.skip_reasons import skip_reason_text

from .models import (
    EventProcessMapping,
    EventType,
    Notification,
    ProcessKind,
    Task,
    WorkflowEvent,
)

logger = logging.getLogger("workflow")

# Pages of the deductions app where the case supervisor acts (built by the deductions app).
DEDUCTION_DETAIL_PATH = "/deductions/{id}/"
DEDUCTION_EDIT_PATH = "/deductions/{id}/edit/"
CASE_PATH = "/cases/pdc/{id}/"  # the cases app's product delivery case page

# Events whose task asks the supervisor to end (edit) the deduction; the others link to
# the deduction's page.
_END_DEDUCTION_EVENTS = {
    EventType.THIRD_PARTY_PARTICIPANT_ENDED,
    EventType.DEDUCTION_EXPIRED,
    EventType.LIABILITY_SETTLED,
}


def deduction_link(event_type: str, deduction_id: int) -> str:
    template = DEDUCTION_EDIT_PATH if event_type in _END_DEDUCTION_EVENTS else DEDUCTION_DETAIL_PATH
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


def _participant(event: WorkflowEvent):
    from participants.models import Participant

    pk = event.participant_id or (event.payload or {}).get("participant")
    if not pk:
        return None
    return Participant.objects.filter(pk=pk).first()


def skip_reason_sentences(payload: dict) -> list[str]:
    """The German sentences (glossary) of a skip event's reasons: as stored by the payment
    run, or mapped from the reason codes; an unknown code is shown as it is."""
    texts = payload.get("reason_texts") or (
        [payload["reason_text"]] if payload.get("reason_text") else []
    )
    if texts:
        return [str(text) for text in texts]
    codes = payload.get("reasons") or ([payload["reason"]] if payload.get("reason") else [])
    sentences = []
    for code in codes:
        try:
            sentences.append(skip_reason_text(code, language=settings.LANGUAGE_CODE))
        except ValueError:
            sentences.append(str(code))
    return sentences


def _skipped_lines_text(payload: dict) -> list[str]:
    """Which periods (and, if several, which nominees) a payment run skipped the deduction
    in: one skip event covers all its lines of one run."""
    from participants.models import Participant

    lines = payload.get("lines") or []
    if not lines:
        return []
    periods = len({line.get("period_start") for line in lines})
    texts = [
        ngettext(
            "Übersprungen in %(n)s Zahlungszeitraum vom %(start)s bis %(end)s.",
            "Übersprungen in %(n)s Zahlungszeiträumen vom %(start)s bis %(end)s.",
            periods,
        )
        % {
            "n": periods,
            "start": _date_text(payload.get("period_start")),
            "end": _date_text(payload.get("period_end")),
        }
    ]
    nominees = list(dict.fromkeys(line.get("nominee") for line in lines if line.get("nominee")))
    if len(nominees) > 1:
        names = dict(Participant.objects.filter(pk__in=nominees).values_list("pk", "name"))
        texts.append(
            _("Betroffene Leistungsempfänger: %(names)s.")
            % {"names": ", ".join(str(names.get(pk, pk)) for pk in nominees)}
        )
    return texts


def _date_text(value) -> str:
    try:
        return formats.date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(value or "")


@dataclass(frozen=True)
class TaskText:
    subject: str
    description: str


def _task_text(event: WorkflowEvent, deduction, participant) -> TaskText:
    """German (the source language) subject and description of a task, stored as text."""
    name = deduction.deduction_type.name
    ref = deduction.case.reference
    payload = event.payload or {}
    if event.event_type == EventType.THIRD_PARTY_PARTICIPANT_ENDED:
        who = participant.name if participant else _("Unbekannter Beteiligter")
        subject = _("Abzug „%(name)s“ (Nr. %(id)s) beenden: %(who)s ist beendet") % {
            "name": name,
            "id": deduction.pk,
            "who": who,
        }
        description = _(
            "Der Beteiligte %(who)s, an den der Abzug „%(name)s“ im Fall %(ref)s gezahlt "
            "wird, wurde beendet. Bitte setzen Sie das Enddatum des Abzugs."
        ) % {"who": who, "name": name, "ref": ref}
    elif event.event_type == EventType.DEDUCTION_SKIPPED:
        subject = _("Abzug „%(name)s“ (Nr. %(id)s) wurde übersprungen") % {
            "name": name,
            "id": deduction.pk,
        }
        description = _("Fall %(ref)s. Bitte prüfen Sie den Abzug.") % {"ref": ref}
        description = " ".join([description, *_skipped_lines_text(payload)])
        reasons = skip_reason_sentences(payload)
        if reasons:
            description = f"{description} {_('Grund')}: {' '.join(reasons)}"
    elif event.event_type == EventType.DEDUCTION_EXPIRED:
        subject = _("Abzug „%(name)s“ (Nr. %(id)s) ist abgelaufen") % {
            "name": name,
            "id": deduction.pk,
        }
        description = _("Fall %(ref)s. Das Enddatum des Abzugs ist überschritten.") % {"ref": ref}
    elif event.event_type == EventType.LIABILITY_SETTLED:
        subject = _("Verbindlichkeit durch Abzug „%(name)s“ (Nr. %(id)s) beglichen") % {
            "name": name,
            "id": deduction.pk,
        }
        description = _(
            "Fall %(ref)s. Die Verbindlichkeit ist beglichen; bitte beenden Sie den Abzug."
        ) % {"ref": ref}
    else:
        subject = _("%(event)s: Abzug „%(name)s“ (Nr. %(id)s)") % {
            "event": event.get_event_type_display(),
            "name": name,
            "id": deduction.pk,
        }
        description = _("Fall %(ref)s.") % {"ref": ref}
    return TaskText(subject=subject[:300], description=description)


def create_supervisor_task(*, event: WorkflowEvent, mapping: EventProcessMapping) -> int:
    """A task for the case supervisor: one per deduction the event is about (TP-1), or one
    for the event's case when it names no deduction. Returns the number of new tasks."""
    from cases.models import ProductDeliveryCase
    from deductions.models import Deduction

    due = timezone.localdate(event.created_at) + timedelta(days=mapping.due_in_days)
    participant = _participant(event)
    created = 0
    deduction_ids = event_deduction_ids(event)
    if deduction_ids:
        deductions = Deduction.objects.select_related(
            "case__case_supervisor", "deduction_type"
        ).in_bulk(deduction_ids)
        for pk in deduction_ids:
            deduction = deductions.get(pk)
            if deduction is None:
                logger.warning("Workflow event %s names unknown deduction %s", event.pk, pk)
                continue
            text = _task_text(event, deduction, participant)
            _task, was_created = Task.objects.get_or_create(
                event=event,
                mapping=mapping,
                deduction=deduction,
                defaults={
                    "subject": text.subject,
                    "description": text.description,
                    "assignee": deduction.case.case_supervisor,
                    "case": deduction.case,
                    "participant": participant,
                    "link": deduction_link(event.event_type, deduction.pk),
                    "due_date": due,
                },
            )
            created += was_created
        return created
    if event.case_id:
        case = ProductDeliveryCase.objects.select_related("case_supervisor").get(pk=event.case_id)
        _task, was_created = Task.objects.get_or_create(
            event=event,
            mapping=mapping,
            deduction=None,
            defaults={
                "subject": _("%(event)s: Fall %(ref)s")
                % {"event": event.get_event_type_display(), "ref": case.reference},
                "assignee": case.case_supervisor,
                "case": case,
                "participant": participant,
                "link": CASE_PATH.format(id=case.pk),
                "due_date": due,
            },
        )
        return int(was_created)
    logger.warning("Workflow event %s names neither a deduction nor a case: no task", event.pk)
    return 0


def event_summary(event: WorkflowEvent) -> tuple[str, str]:
    """A one-line German description of an event and the link to act on it."""
    from deductions.models import Deduction

    text = str(event.get_event_type_display())
    link = ""
    ids = event_deduction_ids(event)
    if ids:
        names = dict(Deduction.objects.filter(pk__in=ids).values_list("pk", "deduction_type__name"))
        labels = [f"„{names.get(pk, '?')}“ (Nr. {pk})" for pk in ids]
        text = f"{text}: {_('Abzug')} {', '.join(labels)}"
        link = deduction_link(event.event_type, ids[0])
    participant = _participant(event)
    if participant is not None:
        text = f"{text} – {participant.name}"
    return text[:500], link


def notify_user(*, event: WorkflowEvent, mapping: EventProcessMapping) -> int:
    """An in-app notification for the mapping's user."""
    if mapping.user_id is None:
        raise ValueError("Die Zuordnung nennt keinen Benutzer für die Benachrichtigung.")
    message, link = event_summary(event)
    _notification, created = Notification.objects.get_or_create(
        event=event,
        mapping=mapping,
        recipient_id=mapping.user_id,
        defaults={"message": message, "link": link},
    )
    return int(created)


def log_only(*, event: WorkflowEvent, mapping: EventProcessMapping) -> int:
    logger.info("Workflow event #%s %s payload=%s", event.pk, event.event_type, event.payload or {})
    return 0


PROCESSES: dict[str, Callable[..., int]] = {
    ProcessKind.CREATE_SUPERVISOR_TASK: create_supervisor_task,
    ProcessKind.NOTIFY_USER: notify_user,
    ProcessKind.LOG_ONLY: log_only,
}


def process_run(*, event: WorkflowEvent, mapping: EventProcessMapping) -> int:
    """Run the mapping's process; texts are stored in the source language (German)."""
    with translation.override(settings.LANGUAGE_CODE):
        return PROCESSES[mapping.process](event=event, mapping=mapping)
