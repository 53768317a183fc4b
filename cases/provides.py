"""What the cases app lends to the apps below it; registered in CasesConfig.ready."""

from config.home_sections import register_panel
from participants import hooks as participant_hooks
from products import hooks as product_hooks

from . import selectors, services
from .home import planned_activities_panel


def register() -> None:
    register_panel(planned_activities_panel)
    participant_hooks.participant_cases.provide(selectors.participant_cases)
    product_hooks.component_type_in_use.provide(selectors.component_type_in_use)
    product_hooks.product_frequency_changed.provide(services.financial_components_follow_frequency)
