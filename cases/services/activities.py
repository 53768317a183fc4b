"""Activities planned on an integrated case (IC-11)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config import roles
from config.exceptions import IllegalTransition, ValidationFailed
from config.history import history_stamp
from config.transitions import transition
from participants.models import Participant

from ..models import Activity, ActivityStatus, ActivityType, IntegratedCase
from .common import _require_open_integrated_case


def _activity_values(
    integrated_case: IntegratedCase,
    *,
    subject: str,
    activity_type: ActivityType | None,
    planned_at: datetime | None,
    responsible: User | None,
    participants: Iterable[Participant],
) -> list[Participant]:
    """Check an activity's fields; returns its participants (members of the case)."""
    errors: dict[str, list[str]] = {}
    if not (subject or "").strip():
        errors["subject"] = [_("Bitte geben Sie einen Betreff an.")]
    if activity_type is None:
        errors["activity_type"] = [_("Bitte wählen Sie die Art der Aktivität.")]
    elif not activity_type.active:
        errors["activity_type"] = [
            _("Die Art „%(name)s“ wird nicht mehr verwendet.") % {"name": activity_type.name}
        ]
    if planned_at is None:
        errors["planned_at"] = [_("Bitte geben Sie Datum und Uhrzeit an.")]
    if responsible is None or not roles.is_caseworker(responsible):
        errors["responsible"] = [
            _("Verantwortlich kann nur ein Fallbearbeiter oder Fall-Supervisor sein.")
        ]
    people = list(dict.fromkeys(participants or []))
    members = set(integrated_case.members.values_list("participant_id", flat=True))
    strangers = [p.name for p in people if p.pk not in members]
    if strangers:
        errors["participants"] = [
            _("Nur Fallbeteiligte können teilnehmen; nicht beteiligt: %(names)s.")
            % {"names": ", ".join(strangers)}
        ]
    if errors:
        raise ValidationFailed(errors=errors)
    return people


@transaction.atomic
def activity_create(
    *,
    integrated_case: IntegratedCase,
    subject: str,
    activity_type: ActivityType | None,
    planned_at: datetime | None,
    responsible: User | None,
    user: User,
    participants: Iterable[Participant] = (),
) -> Activity:
    """IC-11: plan an activity on an open integrated case."""
    case = IntegratedCase.objects.select_for_update().get(pk=integrated_case.pk)
    _require_open_integrated_case(case)
    people = _activity_values(
        case,
        subject=subject,
        activity_type=activity_type,
        planned_at=planned_at,
        responsible=responsible,
        participants=participants,
    )
    activity = Activity(
        integrated_case=case,
        subject=subject.strip(),
        activity_type=activity_type,
        planned_at=planned_at,
        responsible=responsible,
        created_by=user,
    )
    history_stamp(activity, user=user, reason=_("Geplant"))
    activity.save()
    activity.participants.set(people)
    return activity


def _locked_activity(activity: Activity) -> Activity:
    return (
        Activity.objects.select_for_update().select_related("integrated_case").get(pk=activity.pk)
    )


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    user: User,
    subject: str,
    activity_type: ActivityType | None,
    planned_at: datetime | None,
    responsible: User | None,
    participants: Iterable[Participant] = (),
    outcome: str | None = None,
) -> Activity:
    """IC-11: change a planned activity (a done or cancelled one keeps what happened; only
    its outcome note may still be completed)."""
    locked = _locked_activity(activity)
    if not locked.is_planned:
        if outcome is not None and outcome.strip() and locked.status == ActivityStatus.DONE:
            locked.outcome = outcome.strip()
            history_stamp(locked, user=user, reason=_("Ergebnis geändert"))
            locked.save(update_fields=["outcome"])
            return locked
        raise IllegalTransition(
            _("Die Aktivität ist %(status)s und kann nicht mehr geändert werden.")
            % {"status": locked.get_status_display()}
        )
    people = _activity_values(
        locked.integrated_case,
        subject=subject,
        activity_type=activity_type,
        planned_at=planned_at,
        responsible=responsible,
        participants=participants,
    )
    locked.subject = subject.strip()
    locked.activity_type = activity_type
    locked.planned_at = planned_at
    locked.responsible = responsible
    if outcome is not None:
        locked.outcome = outcome.strip()
    history_stamp(locked, user=user, reason=_("Geändert"))
    locked.save()
    locked.participants.set(people)
    return locked


@transaction.atomic
def activity_mark_done(*, activity: Activity, outcome: str, user: User) -> Activity:
    """IC-11: planned → done, with what came of it."""
    locked = _locked_activity(activity)
    outcome = (outcome or "").strip()
    if locked.is_planned and not outcome:
        raise ValidationFailed(
            _("Bitte halten Sie das Ergebnis der Aktivität fest."), field="outcome"
        )
    transition(
        locked,
        "mark_done",
        _("Die Aktivität ist %(status)s und kann nicht erledigt werden.")
        % {"status": locked.get_status_display()},
        outcome=outcome,
        at=timezone.now(),
    )
    history_stamp(locked, user=user, reason=_("Erledigt"))
    locked.save()
    return locked


@transaction.atomic
def activity_cancel(*, activity: Activity, user: User, note: str = "") -> Activity:
    """IC-11: planned → cancelled, with an optional note why."""
    locked = _locked_activity(activity)
    transition(
        locked,
        "cancel",
        _("Die Aktivität ist %(status)s und kann nicht abgesagt werden.")
        % {"status": locked.get_status_display()},
        note=(note or "").strip(),
        at=timezone.now(),
    )
    history_stamp(locked, user=user, reason=_("Abgesagt"))
    locked.save()
    return locked
