from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Workflow")

    def ready(self) -> None:
        from config import home_sections

        from .home import open_tasks_panel

        home_sections.register_panel(open_tasks_panel, order=home_sections.ORDER_TASKS)
