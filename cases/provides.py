"""What the cases app lends to the apps below it; registered in CasesConfig.ready."""

from config import home_sections
from participants import hooks as participant_hooks
from products import hooks as product_hooks

from . import selectors, services
from .home import planned_activities_panel, recent_cases_panel


def register() -> None:
    home_sections.register_panel(recent_cases_panel, order=home_sections.ORDER_RECENT_CASES)
    home_sections.register_panel(planned_activities_panel, order=home_sections.ORDER_ACTIVITIES)
    participant_hooks.participant_cases.provide(selectors.participant_cases)
    participant_hooks.open_liability_condition.provide(selectors.open_liability_condition)
    product_hooks.component_type_in_use.provide(selectors.component_type_in_use)
    product_hooks.product_frequency_changed.provide(services.financial_components_follow_frequency)
