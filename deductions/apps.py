from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeductionsConfig(AppConfig):
    name = "deductions"
    verbose_name = _("Abzüge")

    def ready(self) -> None:
        from config import providers
        from workflow.context import register_provider
        from workflow.services import register_expiry_check

        from .home import cases_touched_by_user
        from .services.expiry import deductions_expired_raise
        from .workflow_context import provide

        register_provider(provide)
        register_expiry_check(deductions_expired_raise)
        providers.provide(providers.CASES_TOUCHED_BY_USER, cases_touched_by_user)
