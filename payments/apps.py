from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Zahlungen")

    def ready(self) -> None:
        from config import providers

        from .services.forecast import liability_forecasts

        providers.provide(providers.LIABILITY_FORECASTS, liability_forecasts)
