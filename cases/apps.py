from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Fälle und Verbindlichkeiten")

    def ready(self) -> None:
        from config import home_sections

        from .home import planned_activities_panel, recent_cases_panel

        home_sections.register_panel(recent_cases_panel, order=home_sections.ORDER_RECENT_CASES)
        home_sections.register_panel(planned_activities_panel, order=home_sections.ORDER_ACTIVITIES)
