"""Reads for integrated cases, product delivery cases, applications, liabilities and
activities, and the case rows a participant's page shows. (The report of amounts
recovered per case and deduction type, LI-2, reads payment rows: payments.selectors.)"""

from __future__ import annotations

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from . import hooks
from .models import (
    Activity,
    ActivityStatus,
    Application,
    CaseComponent,
    CaseMember,
    FinancialComponent,
    IntegratedCase,
    IntegratedCaseType,
    Liability,
    LiabilityStatus,
    Nominee,
    ProductDeliveryCase,
)


def integrated_case_types(*, active_only: bool = True) -> QuerySet[IntegratedCaseType]:
    qs = IntegratedCaseType.objects.all()
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("-is_default", "name")


def integrated_case_list(
    *,
    query: str = "",
    status: str | None = None,
    case_type: str | None = None,
    primary_client_id: int | None = None,
    member_id: int | None = None,
) -> QuerySet[IntegratedCase]:
    # The number of delivery cases as a subquery per listed row, not a join grouped over
    # every case: the list reads one page on the primary key and counts the plain table.
    delivery_cases = (
        ProductDeliveryCase.objects.filter(integrated_case=OuterRef("pk"))
        .order_by()
        .values("integrated_case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = IntegratedCase.objects.select_related("case_type", "primary_client").annotate(
        pdc_count=Coalesce(Subquery(delivery_cases), 0)
    )
    if status:
        qs = qs.filter(status=status)
    if case_type:
        qs = qs.filter(case_type__code=case_type)
    if primary_client_id:
        qs = qs.filter(primary_client_id=primary_client_id)
    if member_id:
        qs = qs.filter(members__participant_id=member_id).distinct()
    query = (query or "").strip()
    if query:
        qs = qs.filter(pk__in=case_search_ids(query))
    return qs.order_by("-id")


def case_search_ids(query: str) -> QuerySet:
    """The ids of the cases found by ``query``: part of the case reference, the client's
    exact reference, or every word of the query in the client's name.

    A union of two searches, each served by its own trigram index on PostgreSQL (cases
    0007, participants 0003/0005), not one OR across the join of cases and participants,
    which no index serves (every case joined to its client and tested)."""
    words = Q()
    for word in query.split():
        words &= Q(primary_client__name__icontains=word)
    by_case = IntegratedCase.objects.filter(reference__icontains=query)
    by_client = IntegratedCase.objects.filter(Q(primary_client__reference__iexact=query) | words)
    return by_case.order_by().values("pk").union(by_client.order_by().values("pk"))


def integrated_case_get(*, case_id: int) -> IntegratedCase:
    members = CaseMember.objects.select_related("participant").order_by("id")
    pdcs = ProductDeliveryCase.objects.select_related("product", "case_supervisor").order_by("id")
    return (
        IntegratedCase.objects.select_related("case_type", "primary_client", "created_by")
        .prefetch_related(
            Prefetch("members", queryset=members),
            Prefetch("product_delivery_cases", queryset=pdcs),
            "service_deliveries__provider",
            "referrals__provider",
        )
        .get(pk=case_id)
    )


def integrated_case_history(*, case: IntegratedCase) -> list:
    """Who changed the case, when, to which status, and why (IC-3)."""
    return list(case.history.select_related("history_user").order_by("-history_date", "-pk"))


def product_delivery_case_list(
    *,
    integrated_case_id: int | None = None,
    primary_client_id: int | None = None,
    status: str | None = None,
    product_id: int | None = None,
    nominee_id: int | None = None,
) -> QuerySet[ProductDeliveryCase]:
    qs = ProductDeliveryCase.objects.select_related(
        "product", "primary_client", "integrated_case", "case_supervisor"
    ).prefetch_related("nominee_links")
    if integrated_case_id:
        qs = qs.filter(integrated_case_id=integrated_case_id)
    if primary_client_id:
        qs = qs.filter(primary_client_id=primary_client_id)
    if status:
        qs = qs.filter(status=status)
    if product_id:
        qs = qs.filter(product_id=product_id)
    if nominee_id:
        # A semi-join on the person's nominee rows (their participant index), not a join
        # made DISTINCT over the cases.
        qs = qs.filter(pk__in=Nominee.objects.filter(participant_id=nominee_id).values("case_id"))
    return qs.order_by("-id")


def product_delivery_case_get(*, case_id: int) -> ProductDeliveryCase:
    return (
        ProductDeliveryCase.objects.select_related(
            "product", "primary_client", "integrated_case", "case_supervisor", "created_by"
        )
        .prefetch_related(
            Prefetch(
                "nominee_links",
                queryset=Nominee.objects.select_related("participant").order_by("id"),
            ),
            Prefetch(
                "components",
                queryset=CaseComponent.objects.select_related("component_type", "nominee").order_by(
                    "id"
                ),
            ),
            Prefetch(
                "financial_components",
                queryset=FinancialComponent.objects.select_related(
                    "component__component_type", "nominee"
                ).order_by("component_id", "start_date"),
            ),
        )
        .get(pk=case_id)
    )


def nominees_ordered(*, case: ProductDeliveryCase) -> list:
    """The primary client first, then by participant id (PAY-6 order)."""
    links = list(case.nominee_links.select_related("participant").all())
    links.sort(key=lambda n: (n.participant_id != case.primary_client_id, n.participant_id))
    return [n.participant for n in links]


def application_list(
    *, status: str | None = None, applicant_id: int | None = None
) -> QuerySet[Application]:
    qs = Application.objects.select_related(
        "applicant", "product", "case_type", "product_delivery_case"
    )
    if status:
        qs = qs.filter(status=status)
    if applicant_id:
        qs = qs.filter(applicant_id=applicant_id)
    return qs.order_by("-id")


def liability_list(
    *, participant_id: int | None = None, status: str | None = None
) -> QuerySet[Liability]:
    qs = Liability.objects.select_related("participant")
    if participant_id:
        qs = qs.filter(participant_id=participant_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def liability_deductions(*, liability: Liability) -> QuerySet:
    """The deductions paying off the liability, not cancelled (LI-1). Read by deductions."""
    return hooks.liability_deductions(liability=liability)


def participant_cases(*, participant) -> dict:
    """A participant's integrated cases (as primary client), memberships (other than as
    primary client), product delivery cases (as primary client or nominee) and liabilities,
    for their home page (participants)."""
    integrated_cases = IntegratedCase.objects.filter(primary_client=participant)
    memberships = (
        CaseMember.objects.filter(participant=participant)
        .exclude(role="primary_client")
        .select_related("integrated_case", "integrated_case__primary_client")
        .order_by("-integrated_case_id", "id")
    )
    # The cases as primary client united with the cases as nominee, each by its own
    # index: not one OR across the join to every nominee row, made DISTINCT.
    as_client = ProductDeliveryCase.objects.filter(primary_client=participant).order_by()
    as_nominee = Nominee.objects.filter(participant=participant).order_by()
    pdcs = (
        ProductDeliveryCase.objects.filter(
            pk__in=as_client.values("pk").union(as_nominee.values("case_id"))
        )
        .select_related("product", "integrated_case")
        .order_by("-id")
    )
    liabilities = Liability.objects.filter(participant=participant).order_by("-id")
    return {
        "integrated_cases": integrated_cases.select_related("case_type").order_by("-id"),
        "memberships": memberships,
        "product_delivery_cases": pdcs,
        "liabilities": liabilities,
    }


def open_liability_condition() -> Exists:
    """A condition on participants: they hold at least one open liability (CD-3: who may be
    the holder of an applied deduction). Lent to participants for the picker's
    `open_liability` restriction and used by the deduction wizard, so both offer the same
    participants."""
    return Exists(Liability.objects.filter(participant=OuterRef("pk"), status=LiabilityStatus.OPEN))


def component_type_in_use(*, component_type) -> bool:
    """Case components refer to the type (it can then not be deleted; products)."""
    return CaseComponent.objects.filter(component_type=component_type).exists()


# --- activities (IC-11) ---------------------------------------------------------------------


def activities_for_case(*, case: IntegratedCase) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(integrated_case=case)
        .select_related("activity_type", "responsible")
        .prefetch_related("participants")
        .order_by("planned_at", "pk")
    )


def activities_planned_for_user(*, user) -> QuerySet[Activity]:
    """The user's planned activities, soonest first ("Meine geplanten Aktivitäten")."""
    return (
        Activity.objects.filter(responsible=user, status=ActivityStatus.PLANNED)
        .select_related("activity_type", "integrated_case__primary_client")
        .order_by("planned_at", "pk")
    )


def activity_get(*, activity_id: int) -> Activity:
    return (
        Activity.objects.select_related(
            "activity_type", "responsible", "integrated_case__primary_client"
        )
        .prefetch_related("participants")
        .get(pk=activity_id)
    )


def activity_history(*, activity: Activity) -> list:
    return list(activity.history.select_related("history_user").order_by("-history_date", "-pk"))


def recent_cases_for_user(*, user, limit: int) -> list[ProductDeliveryCase]:
    """The user's recent product delivery cases, most recently touched first (home page).

    "Recent" means: cases the user changed (the case record or one of its deductions, as
    their history records it) or supervises; a case counts at the user's latest change,
    a supervised case the user never changed at its creation. Three bounded reads over the
    history indexes and the supervisor index, then one read of at most `limit` cases —
    the cost does not grow with the number of cases. Each case carries `last_touched`."""
    touched: dict[int, object] = {}
    own = (
        ProductDeliveryCase.history.filter(history_user=user)
        .values("id")
        .annotate(last=Max("history_date"))
        .order_by("-last")
        .values_list("id", "last")[:limit]
    )
    # Deductions live in a higher app: it lends its history through a hook (cases/hooks.py).
    for case_id, when in [*own, *hooks.cases_touched_by_user(user=user, limit=limit)]:
        if case_id and (case_id not in touched or when > touched[case_id]):
            touched[case_id] = when
    supervised = (
        ProductDeliveryCase.objects.filter(case_supervisor=user)
        .order_by("-created_at", "-id")
        .values_list("id", "created_at")[:limit]
    )
    for case_id, created_at in supervised:
        touched.setdefault(case_id, created_at)
    newest = sorted(touched, key=lambda case_id: touched[case_id], reverse=True)[:limit]
    cases = ProductDeliveryCase.objects.select_related("product", "primary_client").in_bulk(newest)
    result = []
    for case_id in newest:
        if case_id in cases:
            case = cases[case_id]
            case.last_touched = touched[case_id]
            result.append(case)
    return result
