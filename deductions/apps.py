from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeductionsConfig(AppConfig):
    name = "deductions"
    verbose_name = _("Abzüge")

    def ready(self) -> None:
        from .provides import register

        register()
