"""Reads for participants: search, a participant's home page, the current third-party
deductions paid to them (PT-3, TP-1)."""

from __future__ import annotations

from datetime import date, datetime

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


PICK_LIMIT = 20
PICK_MIN_LENGTH = 2
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d")


def parse_birth_date(text: str) -> date | None:
    """A date of birth as typed: German "01.02.1980" (or "1.2.1980") or ISO "1980-02-01"."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def pick_condition(query: str) -> Q | None:
    """What the participant picker finds for `query`, each branch served by an index
    (docs/decisions.md, "Participant picker"):

    - a date of birth (dd.mm.yyyy or ISO): exact match, `participant_birth_idx` (btree);
    - the start of the reference ("B-00001", case-insensitive): `reference LIKE 'B-00001%'`,
      the unique index's `varchar_pattern_ops` twin that Django creates on PostgreSQL;
    - every word of the query at the start of the name or of a word in it ("schm ann" finds
      "Anna Schmidt"): `UPPER(name) LIKE 'SCHM%' OR UPPER(name) LIKE '% SCHM%'`, the
      trigram GIN index `participant_name_trgm` on PostgreSQL (migration 0003).
    None when the query is too short to search."""
    query = " ".join((query or "").split())
    if len(query) < PICK_MIN_LENGTH:
        return None
    born = parse_birth_date(query)
    if born is not None:
        return Q(date_of_birth=born)
    words = Q()
    for word in query.split(" "):
        words &= Q(name__istartswith=word) | Q(name__icontains=f" {word}")
    return Q(reference__startswith=query.upper()) | words


def participant_pick(
    *,
    query: str,
    types: list[str] | None = None,
    open_liability: bool = False,
    limit: int = PICK_LIMIT,
) -> list[Participant]:
    """The participant picker's results: at most `limit`, by name (PT-1 search).

    Restrictions, so that a picker offers only whom its field accepts: `types` (None: any
    type; an empty list: nobody) and `open_liability` (only holders of an open liability,
    CD-3; the condition is lent by the cases app)."""
    condition = pick_condition(query)
    if condition is None:
        return []
    qs = Participant.objects.filter(condition)
    if types is not None:
        qs = qs.filter(type__in=types)
    if open_liability:
        qs = qs.filter(hooks.open_liability_condition())
    return list(qs.order_by("name", "id")[:limit])


def participant_by_reference(reference: str) -> Participant | None:
    """The participant with this reference (case-insensitive), or None."""
    reference = (reference or "").strip()
    if not reference:
        return None
    return Participant.objects.filter(reference=reference.upper()).first()


def participants_by_references(references) -> dict[str, Participant]:
    """{reference: participant} for those of `references` (case-insensitive) that exist:
    one query, however many references are given."""
    wanted = {r.strip().upper() for r in references if r and r.strip()}
    if not wanted:
        return {}
    return {p.reference: p for p in Participant.objects.filter(reference__in=wanted)}
