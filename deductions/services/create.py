"""deduction_create: a new deduction on a product delivery case (CD-1..CD-9, CD-11, TP-5)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from cases.models import (
    CaseComponent,
    CaseMember,
    Liability,
    MemberRole,
    ProductDeliveryCase,
)
from cases.services import case_member_ensure
from config.exceptions import ValidationFailed
from deductions.models import Deduction
from participants.models import Participant
from participants.services import account_number_normalise
from products import sequence
from products.models import DeductionCategory, DeductionType
from products.selectors import link_priority
from workflow.models import EventType

from . import common, validation
from .validation import AUTOMATIC, Errors

# Stand-in key for the new deduction inside the priority sequence (real ids are ≥ 1).
_NEW = 0


def wanted_position(
    *, priority: int | str | None, case: ProductDeliveryCase, deduction_type: DeductionType
) -> int | None:
    """CD-9: an explicit priority, the link's (None) or the next free one (AUTOMATIC → None)."""
    if priority == AUTOMATIC:
        return None
    if priority is None:
        return link_priority(product=case.product, deduction_type=deduction_type)
    return int(priority)


@transaction.atomic
def deduction_create(
    *,
    case: ProductDeliveryCase,
    deduction_type: DeductionType,
    user: User,
    category: str | None = None,
    amount: Decimal | None = None,
    percentage: Decimal | None = None,
    nominee: Participant | None = None,
    component: CaseComponent | None = None,
    all_nominees: bool = False,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    priority: int | str | None = None,
    liability_holder: Participant | None = None,
    liability: Liability | None = None,
    third_party: Participant | None = None,
    third_party_account_number: str = "",
    third_party_reference: str = "",
    activate: bool = False,
) -> Deduction:
    """Create an inactive deduction, optionally activating it at once (CD-11).

    `priority`: a number (its wanted position; the others are resequenced), None (the
    product link's priority) or "automatic" (the next free one). Writes the "created"
    event, and the "activated" event when activated. Any refusal leaves nothing behind."""
    case = common.lock_case(case_id=case.pk)
    category, liability_holder, liability = _validate(
        case=case,
        deduction_type=deduction_type,
        category=category,
        amount=amount,
        percentage=percentage,
        nominee=nominee,
        component=component,
        all_nominees=all_nominees,
        start_date=start_date,
        end_date=end_date,
        priority=priority,
        liability_holder=liability_holder,
        liability=liability,
        third_party=third_party,
        account_number=third_party_account_number,
        reference=third_party_reference,
    )
    deduction = _insert(
        case=case,
        deduction_type=deduction_type,
        category=category,
        amount=amount,
        percentage=percentage,
        nominee=nominee,
        component=component,
        all_nominees=all_nominees,
        start_date=start_date,
        end_date=end_date,
        priority=priority,
        liability_holder=liability_holder,
        liability=liability,
        third_party=third_party,
        account_number=third_party_account_number,
        reference=third_party_reference,
        user=user,
    )
    if activate:
        from .lifecycle import activate_locked

        deduction = activate_locked(deduction=deduction, case=case, user=user)
    return deduction


def _validate(
    *,
    case: ProductDeliveryCase,
    deduction_type: DeductionType | None,
    category: str | None,
    amount: Decimal | None,
    percentage: Decimal | None,
    nominee: Participant | None,
    component: CaseComponent | None,
    all_nominees: bool,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    priority: int | str | None,
    liability_holder: Participant | None,
    liability: Liability | None,
    third_party: Participant | None,
    account_number: str,
    reference: str,
) -> tuple[str | None, Participant | None, Liability | None]:
    """Every check of a new deduction, all errors at once (ValidationFailed). Returns the
    category (the type's when there is one) and, for an applied deduction, the liability
    holder and liability as resolved (an existing liability or one to create)."""
    errors = Errors()
    validation.check_case_open_for_deductions(errors=errors, case=case)
    validation.check_category_and_type(
        errors=errors, case=case, deduction_type=deduction_type, category=category
    )
    validation.check_amount(
        errors=errors, deduction_type=deduction_type, amount=amount, percentage=percentage
    )
    category = deduction_type.category if deduction_type is not None else category
    validation.check_assignment(
        errors=errors,
        case=case,
        category=category,
        fixed=amount is not None,
        nominee=nominee,
        component=component,
        all_nominees=all_nominees,
    )
    validation.check_period(errors=errors, case=case, start_date=start_date, end_date=end_date)
    validation.check_priority(errors=errors, priority=priority)
    validation.check_no_foreign_details(
        errors=errors,
        category=category,
        liability_holder=liability_holder,
        liability=liability,
        third_party=third_party,
        account_number=account_number,
        reference=reference,
    )
    if deduction_type is not None and category == DeductionCategory.APPLIED:
        liability_holder, liability = validation.resolve_applied(
            errors=errors,
            deduction_type=deduction_type,
            liability_holder=liability_holder,
            liability=liability,
        )
    if deduction_type is not None and category == DeductionCategory.THIRD_PARTY:
        validation.check_third_party(
            errors=errors,
            deduction_type=deduction_type,
            third_party=third_party,
            account_number=account_number,
            reference=reference,
        )
    errors.raise_if_any()
    return category, liability_holder, liability


def _insert(
    *,
    case: ProductDeliveryCase,
    deduction_type: DeductionType,
    category: str,
    amount: Decimal | None,
    percentage: Decimal | None,
    nominee: Participant | None,
    component: CaseComponent | None,
    all_nominees: bool,
    start_date: datetime.date,
    end_date: datetime.date,
    priority: int | str | None,
    liability_holder: Participant | None,
    liability: Liability | None,
    third_party: Participant | None,
    account_number: str,
    reference: str,
    user: User,
) -> Deduction:
    """Write a validated deduction: its place in the case's order (CD-9), the row with its
    history, the memberships it implies (TP-5) and the "created" event."""
    new_priority = _make_room(
        case=case, priority=priority, deduction_type=deduction_type, user=user
    )
    deduction = Deduction(
        case=case,
        deduction_type=deduction_type,
        category=category,
        amount=amount,
        percentage=percentage,
        nominee=nominee,
        component=component,
        all_nominees=bool(all_nominees),
        start_date=start_date,
        end_date=end_date,
        priority=new_priority,
        liability=liability if category == DeductionCategory.APPLIED else None,
        third_party=third_party if category == DeductionCategory.THIRD_PARTY else None,
        third_party_account_number=(
            account_number_normalise(account_number)
            if category == DeductionCategory.THIRD_PARTY
            else ""
        ),
        third_party_reference=(reference or "").strip(),
        created_by=user,
    )
    try:
        deduction.full_clean(exclude=["created_by", "status"])
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc)
    common.save_with_history(deduction=deduction, user=user)
    _add_members(
        case,
        category=category,
        third_party=third_party,
        liability_holder=liability_holder,
        user=user,
    )
    common.record_event(
        event_type=EventType.DEDUCTION_CREATED,
        deduction=deduction,
        user=user,
        amount=str(amount) if amount is not None else None,
        percentage=str(percentage) if percentage is not None else None,
        start_date=start_date.isoformat(),
        end_date=end_date.isoformat(),
    )
    return deduction


def _make_room(
    *, case: ProductDeliveryCase, priority, deduction_type: DeductionType, user: User
) -> int:
    """CD-9: move the case's other deductions aside at the wanted position; returns the
    priority the new deduction takes there."""
    order = common.sequence_order(case_id=case.pk)
    position = wanted_position(priority=priority, case=case, deduction_type=deduction_type)
    new_order = sequence.insert_at(order, _NEW, position)
    prios = sequence.priorities(new_order)
    new_priority = prios.pop(_NEW)
    common.apply_sequence(case_id=case.pk, wanted=prios, user=user)
    return new_priority


def _add_members(
    case: ProductDeliveryCase,
    *,
    category: str,
    third_party: Participant | None,
    liability_holder: Participant | None,
    user: User,
) -> None:
    """TP-5: the third party becomes a member of the integrated case as third-party payee;
    a liability holder not yet a member in any role, as liability holder."""
    if category == DeductionCategory.THIRD_PARTY:
        case_member_ensure(
            integrated_case=case.integrated_case,
            participant=third_party,
            role=MemberRole.THIRD_PARTY_PAYEE,
            user=user,
        )
    elif category == DeductionCategory.APPLIED and liability_holder is not None:
        already_member = CaseMember.objects.filter(
            integrated_case=case.integrated_case, participant=liability_holder
        ).exists()
        if not already_member:
            case_member_ensure(
                integrated_case=case.integrated_case,
                participant=liability_holder,
                role=MemberRole.LIABILITY_HOLDER,
                user=user,
            )
