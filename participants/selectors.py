"""Reads for participants: search, a participant's home page, the current third-party
deductions paid to them (PT-3, TP-1)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from . import hooks
from .models import END_DATE_TYPES, PERSON_TYPES, Participant, ParticipantType, TradingStatus


def participant_list(
    *, query: str = "", type: str | list[str] | None = None, exclude_ended: bool = False
) -> QuerySet[Participant]:
    """Search by name (parts, any order), reference, or type; newest references last."""
    qs = Participant.objects.all()
    if type:
        types = [type] if isinstance(type, str) else list(type)
        qs = qs.filter(type__in=types)
    query = (query or "").strip()
    if query:
        qs = qs.filter(search_condition(query))
    if exclude_ended:
        qs = qs.exclude(ended_condition())
    return qs.order_by("name", "id")


def ended_condition() -> Q:
    """PT-3 as a query: the same rule as Participant.is_ended."""
    return (
        Q(type__in=list(PERSON_TYPES), date_of_death__isnull=False)
        | Q(
            type=ParticipantType.EMPLOYER,
            trading_status__in=[TradingStatus.CEASED_TRADING, TradingStatus.WOUND_UP],
        )
        | Q(type__in=list(END_DATE_TYPES), end_date__isnull=False)
    )


def search_condition(query: str) -> Q:
    """Reference (part of it) or every word of the query in the name."""
    query = query.strip()
    words = Q()
    for word in query.split():
        words &= Q(name__icontains=word)
    return Q(reference__icontains=query) | words


def participant_get(*, participant_id: int) -> Participant:
    return Participant.objects.prefetch_related("bank_accounts").get(pk=participant_id)


def third_party_deductions_current(*, participant: Participant, on: date) -> QuerySet:
    """Third-party deductions paid to `participant` that are current on `on`: not
    cancelled and ending on or after that day (PT-3, TP-1). Read by the deductions app."""
    return hooks.third_party_deductions_current(participant=participant, on=on)


def participant_home(*, participant: Participant) -> dict:
    """What a participant's home page shows: cases as primary client, memberships,
    product delivery cases, nominations, liabilities, third-party deductions paid to them.
    The case rows are read by the cases app."""
    cases = hooks.participant_cases(participant=participant)
    is_person = participant.type in (ParticipantType.PERSON, ParticipantType.PROSPECT)
    return {
        "integrated_cases": list(cases["integrated_cases"]),
        "memberships": list(cases["memberships"]),
        "product_delivery_cases": list(cases["product_delivery_cases"]),
        "liabilities": list(cases["liabilities"]),
        "is_person": is_person,
        "third_party_deductions": list(
            third_party_deductions_current(participant=participant, on=date.min)
        ),
    }
