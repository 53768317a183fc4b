"""What the payments app lends to the apps below it; registered in PaymentsConfig.ready."""

from cases import hooks as case_hooks
from config import home_sections, providers
from deductions import hooks as deduction_hooks
from products import hooks as product_hooks
from workflow.context import register_reason_text

from . import selectors, workflow_context
from .home import payment_run_panel, skipped_cases_panel
from .services.forecast import liability_forecasts


def register() -> None:
    providers.forecasts.provide(liability_forecasts)
    register_reason_text(workflow_context.reason_text)
    home_sections.register_panel(skipped_cases_panel, order=home_sections.ORDER_SKIPS)
    home_sections.register_panel(payment_run_panel, order=home_sections.ORDER_PAYMENT_RUN)
    deduction_hooks.deduction_processings.provide(selectors.deduction_processings)
    deduction_hooks.liability_processing_times.provide(selectors.liability_processing_times)
    case_hooks.benefit_paid_until.provide(selectors.benefit_paid_until)
    product_hooks.benefit_paid_case_count.provide(selectors.benefit_paid_case_count)
