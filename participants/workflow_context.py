"""Participant names for workflow texts (WF-4): the event's participant and the nominees a
skip event names. Registered in ParticipantsConfig.ready."""

from .models import Participant


def provide(context) -> None:
    wanted = {int(pk) for pk in (context.payload.get("nominees") or []) if pk}
    for line in context.payload.get("lines") or []:
        if line.get("nominee"):
            wanted.add(int(line["nominee"]))
    if context.participant_id:
        wanted.add(context.participant_id)
    if not wanted:
        return
    names = dict(Participant.objects.filter(pk__in=wanted).values_list("pk", "name"))
    context.names.update(names)
    if context.participant_id in names:
        context.participant_name = names[context.participant_id]
        context.participant_found = True
