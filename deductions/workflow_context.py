"""What the workflow app may know of deductions and cases (WF-4): names, references and
the case's supervisor and owner for the deductions or case an event is about. Registered
in DeductionsConfig.ready, so the workflow app imports no domain model."""

from cases.models import ProductDeliveryCase

from .models import Deduction


def provide(context) -> None:
    ids = [t.deduction_id for t in context.targets if t.deduction_id]
    if ids:
        rows = {
            row[0]: row
            for row in Deduction.objects.filter(pk__in=ids).values_list(
                "pk",
                "deduction_type__name",
                "case_id",
                "case__reference",
                "case__case_supervisor_id",
                "case__integrated_case__created_by_id",
            )
        }
        for target in context.targets:
            if not target.deduction_id:
                continue
            row = rows.get(target.deduction_id)
            if row is None:
                target.missing = True
                continue
            (
                _pk,
                target.deduction_name,
                target.case_id,
                target.case_reference,
                target.supervisor_id,
                target.owner_id,
            ) = row
    case_ids = [t.case_id for t in context.targets if not t.deduction_id and t.case_id]
    if case_ids:
        cases = {
            row[0]: row
            for row in ProductDeliveryCase.objects.filter(pk__in=case_ids).values_list(
                "pk", "reference", "case_supervisor_id", "integrated_case__created_by_id"
            )
        }
        for target in context.targets:
            if target.deduction_id or not target.case_id:
                continue
            row = cases.get(target.case_id)
            if row is None:
                target.missing = True
                continue
            _pk, target.case_reference, target.supervisor_id, target.owner_id = row
