"""Writes for integrated cases, product delivery cases, nominees, components, financial
components, applications, service deliveries, referrals, activities (IC-1..11) and
liabilities (LI-1). One module per entity; import from here.

Every function is one atomic use case: it validates (German messages naming the field),
locks what it changes, calls the model's FSM transition (TransitionNotAllowed becomes
IllegalTransition, HTTP 409) and stamps django-simple-history with who and why.
"""

from .activities import activity_cancel, activity_create, activity_mark_done, activity_update
from .applications import application_approve, application_reject, application_submit
from .components import component_add, component_reassess, financial_components_follow_frequency
from .delivery_cases import (
    NOMINEE_TYPES,
    PRODUCT_DELIVERY_CASE_PREFIX,
    nominee_add,
    product_delivery_case_activate,
    product_delivery_case_close,
    product_delivery_case_create,
    product_delivery_case_resume,
    product_delivery_case_suspend,
    product_delivery_case_update,
)
from .integrated_cases import (
    INTEGRATED_CASE_PREFIX,
    PLANNED_ACTIVITIES_CANCEL,
    PLANNED_ACTIVITIES_CHOICES,
    PLANNED_ACTIVITIES_KEEP,
    integrated_case_close,
    integrated_case_create,
    integrated_case_reopen,
    integrated_case_type_default,
    integrated_case_type_save,
)
from .liabilities import liability_create, liability_update
from .members import case_member_add, case_member_ensure
from .service_deliveries import SERVICE_PROVIDER_TYPES, referral_create, service_delivery_create

__all__ = [
    "INTEGRATED_CASE_PREFIX",
    "NOMINEE_TYPES",
    "PLANNED_ACTIVITIES_CANCEL",
    "PLANNED_ACTIVITIES_CHOICES",
    "PLANNED_ACTIVITIES_KEEP",
    "PRODUCT_DELIVERY_CASE_PREFIX",
    "SERVICE_PROVIDER_TYPES",
    "activity_cancel",
    "activity_create",
    "activity_mark_done",
    "activity_update",
    "application_approve",
    "application_reject",
    "application_submit",
    "case_member_add",
    "case_member_ensure",
    "component_add",
    "component_reassess",
    "financial_components_follow_frequency",
    "integrated_case_close",
    "integrated_case_create",
    "integrated_case_reopen",
    "integrated_case_type_default",
    "integrated_case_type_save",
    "liability_create",
    "liability_update",
    "nominee_add",
    "product_delivery_case_activate",
    "product_delivery_case_close",
    "product_delivery_case_create",
    "product_delivery_case_resume",
    "product_delivery_case_suspend",
    "product_delivery_case_update",
    "referral_create",
    "service_delivery_create",
]
