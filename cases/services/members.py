"""Members of an integrated case (IC-4, TP-5)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from config.exceptions import ValidationFailed
from config.history import history_stamp
from participants.models import PERSON_TYPES, Participant

from ..models import CaseMember, IntegratedCase, MemberRole
from .common import _register_client, _require_open_integrated_case, _today


def case_member_ensure(
    *,
    integrated_case: IntegratedCase,
    participant: Participant,
    role: str,
    user: User | None = None,
    added_on: date | None = None,
) -> CaseMember:
    """IC-4 / TP-5: make `participant` a member with `role`; idempotent and race-safe."""
    existing = CaseMember.objects.filter(
        integrated_case=integrated_case, participant=participant, role=role
    ).first()
    if existing:
        return existing
    member = CaseMember(
        integrated_case=integrated_case,
        participant=participant,
        role=role,
        added_on=added_on or _today(),
    )
    history_stamp(member, user=user)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        return CaseMember.objects.get(
            integrated_case=integrated_case, participant=participant, role=role
        )
    return member


@transaction.atomic
def case_member_add(
    *,
    integrated_case: IntegratedCase,
    user: User,
    participant: Participant | None = None,
    new_person: dict | None = None,
    role: str = MemberRole.HOUSEHOLD_MEMBER,
) -> CaseMember:
    """IC-4: add a household member (an existing person/prospect or a newly registered one).
    Nominee, third-party payee and liability holder memberships are added automatically."""
    case = IntegratedCase.objects.select_for_update().get(pk=integrated_case.pk)
    _require_open_integrated_case(case)
    if role != MemberRole.HOUSEHOLD_MEMBER:
        raise ValidationFailed(
            _(
                "Von Hand können nur Haushaltsmitglieder hinzugefügt werden; andere Rollen "
                "vergibt das System."
            ),
            field="role",
        )
    if (participant is None) == (not new_person):
        raise ValidationFailed(
            _("Bitte wählen Sie einen Beteiligten oder registrieren Sie eine neue Person."),
            field="participant",
        )
    if new_person:
        participant = _register_client(new_person, user)
    if participant.type not in PERSON_TYPES:
        raise ValidationFailed(
            _("Haushaltsmitglieder sind Personen oder Anwärter."), field="participant"
        )
    if participant.pk == case.primary_client_id:
        raise ValidationFailed(
            _("Der Hauptbeteiligte gehört bereits zum Fall."), field="participant"
        )
    if CaseMember.objects.filter(integrated_case=case, participant=participant, role=role).exists():
        raise ValidationFailed(
            _("%(name)s ist bereits Haushaltsmitglied in diesem Fall.")
            % {"name": participant.name},
            field="participant",
        )
    return case_member_ensure(integrated_case=case, participant=participant, role=role, user=user)
