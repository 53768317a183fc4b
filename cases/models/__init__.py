"""Integrated cases, product delivery cases, nominees, components, financial components,
applications, service deliveries, referrals, activities (IC-1..11) and liabilities (LI-1).
One module per entity; every model is imported here, so `cases.models.X`, migrations and
the app registry see them as before (app label "cases", tables unchanged)."""

from .activities import Activity, ActivityStatus, ActivityType
from .applications import Application, ApplicationStatus
from .delivery_cases import (
    CaseComponent,
    CaseStatus,
    DeliveryMethod,
    FinancialComponent,
    Nominee,
    ProductDeliveryCase,
)
from .integrated_cases import (
    CaseMember,
    IntegratedCase,
    IntegratedCaseStatus,
    IntegratedCaseType,
    MemberRole,
)
from .liabilities import Liability, LiabilityStatus
from .service_deliveries import Referral, ServiceDelivery

__all__ = [
    "Activity",
    "ActivityStatus",
    "ActivityType",
    "Application",
    "ApplicationStatus",
    "CaseComponent",
    "CaseMember",
    "CaseStatus",
    "DeliveryMethod",
    "FinancialComponent",
    "IntegratedCase",
    "IntegratedCaseStatus",
    "IntegratedCaseType",
    "Liability",
    "LiabilityStatus",
    "MemberRole",
    "Nominee",
    "ProductDeliveryCase",
    "Referral",
    "ServiceDelivery",
]
