from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Fälle und Verbindlichkeiten")

    def ready(self) -> None:
        from config.home_sections import register_panel

        from .home import planned_activities_panel

        register_panel(planned_activities_panel)
