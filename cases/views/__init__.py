"""Caseworker pages for integrated cases (IC-1, IC-3..5), product delivery cases
(IC-6..9), applications (IC-2), liabilities (LI-1) and activities (IC-11), one module per
entity; cases/urls.py imports them from here. Thin: forms parse, services write,
selectors read; service errors are shown beside the fields. Caseworkers and case
supervisors write; administrators may read (RO-1)."""

from .activities import activity_cancel, activity_create, activity_detail, activity_done
from .applications import application_create, application_decide, application_list
from .delivery_cases import (
    pdc_action,
    pdc_close,
    pdc_component_add,
    pdc_component_reassess,
    pdc_create,
    pdc_detail,
    pdc_nominee_add,
    pdc_update,
)
from .integrated_cases import (
    integrated_case_close,
    integrated_case_create,
    integrated_case_detail,
    integrated_case_list,
    integrated_case_reopen,
    member_add,
    referral_add,
    service_delivery_add,
)
from .liabilities import liability_create, liability_detail
from .recent import recent_cases

__all__ = [
    "activity_cancel",
    "activity_create",
    "activity_detail",
    "activity_done",
    "application_create",
    "application_decide",
    "application_list",
    "integrated_case_close",
    "integrated_case_create",
    "integrated_case_detail",
    "integrated_case_list",
    "integrated_case_reopen",
    "liability_create",
    "liability_detail",
    "member_add",
    "pdc_action",
    "pdc_close",
    "pdc_component_add",
    "pdc_component_reassess",
    "pdc_create",
    "pdc_detail",
    "pdc_nominee_add",
    "pdc_update",
    "recent_cases",
    "referral_add",
    "service_delivery_add",
]
