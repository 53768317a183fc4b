from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Zahlungen")

    def ready(self) -> None:
        from config import providers
        from workflow.context import register_reason_text

        from .services.forecast import liability_forecasts
        from .workflow_context import reason_text

        providers.provide(providers.LIABILITY_FORECASTS, liability_forecasts)
        register_reason_text(reason_text)
