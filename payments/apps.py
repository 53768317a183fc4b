from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Zahlungen")

    def ready(self) -> None:
        from config import home_sections, providers
        from workflow.context import register_reason_text

        from .home import payment_run_panel, skipped_cases_panel
        from .services.forecast import liability_forecasts
        from .workflow_context import reason_text

        providers.provide(providers.LIABILITY_FORECASTS, liability_forecasts)
        register_reason_text(reason_text)
        home_sections.register_panel(skipped_cases_panel, order=home_sections.ORDER_SKIPS)
        home_sections.register_panel(payment_run_panel, order=home_sections.ORDER_PAYMENT_RUN)
