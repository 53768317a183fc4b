"""Liabilities (LI-1): created here; afterwards only payment runs move their amounts."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from config.exceptions import ValidationFailed
from config.history import history_stamp
from participants.models import Participant
from participants.references import save_with_reference

from ..models import Liability, LiabilityStatus
from .common import _amount, _today


@transaction.atomic
def liability_create(
    *,
    participant: Participant,
    original_amount: Decimal | int | float | str | None,
    user: User,
    liability_case_id: str = "",
    description: str = "",
) -> Liability:
    """LI-1: a debt of a participant; outstanding starts at the original amount. Without a
    liability case id one is generated ("VB-2026-0001")."""
    amount = _amount(original_amount, field="original_amount", positive=True)
    liability_case_id = (liability_case_id or "").strip()
    if len(liability_case_id) > 40:
        raise ValidationFailed(_("Höchstens 40 Zeichen."), field="liability_case_id")
    if liability_case_id and Liability.objects.filter(liability_case_id=liability_case_id).exists():
        raise ValidationFailed(
            _("Die ID des Verbindlichkeitsfalls „%(id)s“ ist bereits vergeben.")
            % {"id": liability_case_id},
            field="liability_case_id",
        )
    liability = Liability(
        participant=participant,
        liability_case_id=liability_case_id,
        description=(description or "").strip()[:200],
        original_amount=amount,
        outstanding_amount=amount,
        status=LiabilityStatus.OPEN,
    )
    history_stamp(liability, user=user, reason=_("Angelegt"))
    if liability_case_id:
        try:
            with transaction.atomic():
                liability.save()
        except IntegrityError:
            raise ValidationFailed(
                _("Die ID des Verbindlichkeitsfalls „%(id)s“ ist bereits vergeben.")
                % {"id": liability_case_id},
                field="liability_case_id",
            )
    else:
        save_with_reference(
            liability, prefix=f"VB-{_today().year}-", width=4, field="liability_case_id"
        )
    return liability


@transaction.atomic
def liability_update(*, liability: Liability, data: dict, user: User) -> Liability:
    """Only the description changes after creation; amounts move only by deductions."""
    locked = Liability.objects.select_for_update().get(pk=liability.pk)
    unknown = set(data) - {"description"}
    if unknown:
        raise ValidationFailed(
            _("Nach dem Anlegen ändern sich nur die Beschreibung; Beträge ändern Abzüge."),
            field=sorted(unknown)[0],
        )
    if "description" in data:
        locked.description = (data["description"] or "").strip()[:200]
        history_stamp(locked, user=user, reason=_("Geändert"))
        locked.save(update_fields=["description"])
    return locked
