from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Zahlungen")

    def ready(self) -> None:
        from workflow.context import register_reason_text

        from .workflow_context import reason_text

        register_reason_text(reason_text)
