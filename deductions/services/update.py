"""deduction_update: editing amount, percentage, dates, priority and third-party details
while the deduction is not cancelled (CD-13), validated like creation."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import MemberRole
from cases.services import case_member_ensure
from config.exceptions import IllegalTransition, ValidationFailed
from deductions.models import Deduction, DeductionStatus
from participants.models import Participant
from participants.services import account_number_normalise
from products import sequence
from products.models import DeductionCategory
from workflow.models import EventType

from . import common, validation
from .create import wanted_position
from .validation import Errors


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET = _Unset()

# The fields CD-13 lets a caseworker change after creation.
EDITABLE_FIELDS = (
    "amount",
    "percentage",
    "start_date",
    "end_date",
    "priority",
    "third_party",
    "third_party_account_number",
    "third_party_reference",
)


def _as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, Participant):
        return str(value.pk)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


@transaction.atomic
def deduction_update(
    *,
    deduction: Deduction,
    user: User,
    amount: Decimal | None | _Unset = UNSET,
    percentage: Decimal | None | _Unset = UNSET,
    start_date: datetime.date | _Unset = UNSET,
    end_date: datetime.date | _Unset = UNSET,
    priority: int | str | None | _Unset = UNSET,
    third_party: Participant | None | _Unset = UNSET,
    third_party_account_number: str | _Unset = UNSET,
    third_party_reference: str | _Unset = UNSET,
) -> Deduction:
    """Apply the given changes (UNSET = keep). A fixed deduction stays fixed and a variable
    one variable (the assignment of CD-7 depends on it). `priority` as in deduction_create.
    Writes one "modified" event when something changed; an edit that changes nothing
    writes nothing."""
    deduction, case = common.lock_deduction(deduction_id=deduction.pk)
    if deduction.status == DeductionStatus.CANCELLED:
        raise IllegalTransition(common.refusal_reason(deduction=deduction, action="update"))
    new = _proposed(
        deduction,
        amount=amount,
        percentage=percentage,
        start_date=start_date,
        end_date=end_date,
        third_party=third_party,
        third_party_account_number=third_party_account_number,
        third_party_reference=third_party_reference,
    )
    _validate(deduction, case=case, new=new, priority=priority)

    changes: dict[str, list[str | None]] = {}
    for field, value in new.items():
        old = getattr(deduction, field)
        if old != value:
            changes[field] = [_as_text(old), _as_text(value)]
            setattr(deduction, field, value)
    if priority is not UNSET:
        _move(deduction, case=case, priority=priority, changes=changes, user=user)

    if not changes:
        return deduction
    try:
        deduction.full_clean(exclude=["created_by", "case", "deduction_type", "status"])
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc)
    common.save_with_history(deduction=deduction, user=user)
    if "third_party" in changes and deduction.third_party is not None:
        case_member_ensure(
            integrated_case=case.integrated_case,
            participant=deduction.third_party,
            role=MemberRole.THIRD_PARTY_PAYEE,
            user=user,
        )
    common.record_event(
        event_type=EventType.DEDUCTION_MODIFIED,
        deduction=deduction,
        user=user,
        changes=changes,
    )
    return deduction


def _proposed(
    deduction: Deduction,
    *,
    amount,
    percentage,
    start_date,
    end_date,
    third_party,
    third_party_account_number,
    third_party_reference,
) -> dict:
    """The deduction's fields after the edit: the given values (UNSET keeps the current
    one), the account number normalised and the reference trimmed."""
    return {
        "amount": deduction.amount if amount is UNSET else amount,
        "percentage": deduction.percentage if percentage is UNSET else percentage,
        "start_date": deduction.start_date if start_date is UNSET else start_date,
        "end_date": deduction.end_date if end_date is UNSET else end_date,
        "third_party": deduction.third_party if third_party is UNSET else third_party,
        "third_party_account_number": (
            deduction.third_party_account_number
            if third_party_account_number is UNSET
            else account_number_normalise(third_party_account_number)
        ),
        "third_party_reference": (
            deduction.third_party_reference
            if third_party_reference is UNSET
            else (third_party_reference or "").strip()
        ),
    }


def _validate(deduction: Deduction, *, case, new: dict, priority) -> None:
    """The checks of creation on the edited values, all errors at once (ValidationFailed):
    a fixed deduction stays fixed and a variable one variable."""
    errors = Errors()
    if deduction.is_fixed and new["percentage"] is not None:
        errors.add(
            "percentage",
            _("Ein Abzug mit festem Betrag bleibt fest; legen Sie für einen Satz einen neuen an."),
        )
    elif not deduction.is_fixed and new["amount"] is not None:
        errors.add(
            "amount",
            _(
                "Ein Abzug mit variablem Satz bleibt variabel; legen Sie für einen festen Betrag "
                "einen neuen an."
            ),
        )
    else:
        validation.check_amount(
            errors=errors,
            deduction_type=deduction.deduction_type,
            amount=new["amount"],
            percentage=new["percentage"],
        )
    validation.check_period(
        errors=errors, case=case, start_date=new["start_date"], end_date=new["end_date"]
    )
    if priority is not UNSET:
        validation.check_priority(errors=errors, priority=priority)
    if deduction.category == DeductionCategory.THIRD_PARTY:
        validation.check_third_party(
            errors=errors,
            deduction_type=deduction.deduction_type,
            third_party=new["third_party"],
            account_number=new["third_party_account_number"],
            reference=new["third_party_reference"],
            refuse_ended=new["third_party"] != deduction.third_party,
            check_account=(
                new["third_party_account_number"] != deduction.third_party_account_number
            ),
        )
    else:
        validation.check_no_foreign_details(
            errors=errors,
            category=deduction.category,
            third_party=new["third_party"],
            account_number=new["third_party_account_number"],
            reference=new["third_party_reference"],
        )
    errors.raise_if_any()


def _move(deduction: Deduction, *, case, priority, changes: dict, user: User) -> None:
    """CD-9: move the deduction to the wanted position, the others shifting by one; the
    move is added to ``changes`` (nothing happens when the position stays)."""
    order = common.sequence_order(case_id=case.pk)
    position = wanted_position(
        priority=priority, case=case, deduction_type=deduction.deduction_type
    )
    new_order = sequence.move_to(order, deduction.pk, position)
    prios = sequence.priorities(new_order)
    if prios[deduction.pk] != deduction.priority:
        changes["priority"] = [str(deduction.priority), str(prios[deduction.pk])]
        # Step aside first, then let the others move, then take the wanted place.
        others = {pk: prio for pk, prio in prios.items() if pk != deduction.pk}
        Deduction.objects.filter(pk=deduction.pk).update(priority=10_000_000)
        common.apply_sequence(case_id=case.pk, wanted=others, user=user)
        deduction.priority = prios[deduction.pk]
