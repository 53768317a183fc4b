"""REST endpoints of the cases app (registered on config.api.router), as api.md names them:

/api/v1/integrated-case-types/      GET [{"code", "name"}]
/api/v1/integrated-cases/           POST/GET; .../{id}/close/, .../{id}/reopen/, plus
                                    members, service-deliveries, referrals, history,
                                    activities (GET/POST), activities/{aid}/ (GET/PATCH),
                                    activities/{aid}/done/, activities/{aid}/cancel/
/api/v1/product-delivery-cases/     POST/GET/PATCH; .../{id}/components/ (GET/POST),
                                    .../{id}/activate/, nominees, reassess, suspend,
                                    resume, close, financial-components
/api/v1/liabilities/                POST/GET/PATCH (description only after creation)
/api/v1/applications/               POST/GET; .../{id}/approve/, .../{id}/reject/

One module per entity; importing this package registers the viewsets (in this order).
"""

from config.api import router

from .applications import ApplicationViewSet
from .delivery_cases import ProductDeliveryCaseViewSet
from .integrated_cases import IntegratedCaseTypeViewSet, IntegratedCaseViewSet
from .liabilities import LiabilityViewSet

app_name = "cases"
urlpatterns: list = []

router.register("integrated-case-types", IntegratedCaseTypeViewSet, basename="integrated-case-type")
router.register("integrated-cases", IntegratedCaseViewSet, basename="integrated-case")
router.register(
    "product-delivery-cases", ProductDeliveryCaseViewSet, basename="product-delivery-case"
)
router.register("liabilities", LiabilityViewSet, basename="liability")
router.register("applications", ApplicationViewSet, basename="application")

__all__ = [
    "ApplicationViewSet",
    "IntegratedCaseTypeViewSet",
    "IntegratedCaseViewSet",
    "LiabilityViewSet",
    "ProductDeliveryCaseViewSet",
    "app_name",
    "urlpatterns",
]
