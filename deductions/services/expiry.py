"""The daily "deduction expired" check (CD-16, WF-1; seed 2.4), registered with the
workflow app in DeductionsConfig.ready and run by its beat task at 02:00."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models import Q

from workflow.models import EventType, WorkflowEvent
from workflow.services import events_record_bulk

from ..models import Deduction, DeductionStatus


def deductions_expired_raise(*, today: date, batch_size: int = 500) -> int:
    """Raise "deduction expired" once per deduction whose end date has passed (not
    cancelled, not yet notified) and that was ever active — one that never ran did not
    end anything the user must hear of (seed 2.4) — in batches; the marker is set in the
    same transaction as the event. Returns the number of events raised."""
    ever_active = Q(activated_on__isnull=False) | Q(
        status__in=[DeductionStatus.ACTIVE, DeductionStatus.PROCESSED, DeductionStatus.SKIPPED]
    )

    total = 0
    while True:
        with transaction.atomic():
            qs = (
                Deduction.objects.filter(end_date__lt=today, expired_notified_on__isnull=True)
                .filter(ever_active)
                .exclude(status=DeductionStatus.CANCELLED)
                .order_by("pk")
            )
            if connection.features.has_select_for_update_skip_locked:
                qs = qs.select_for_update(skip_locked=True)
            batch = list(qs.values_list("pk", "case_id", "end_date")[:batch_size])
            if not batch:
                break
            events_record_bulk(
                events=[
                    WorkflowEvent(
                        event_type=EventType.DEDUCTION_EXPIRED,
                        deduction_id=pk,
                        case_id=case_id,
                        payload={"deduction": pk, "end_date": end_date.isoformat()},
                    )
                    for pk, case_id, end_date in batch
                ]
            )
            Deduction.objects.filter(pk__in=[row[0] for row in batch]).update(
                expired_notified_on=today
            )
            total += len(batch)
        if len(batch) < batch_size:
            break
    return total
