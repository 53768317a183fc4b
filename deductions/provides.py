"""What the deductions app lends to the apps below it; registered in
DeductionsConfig.ready."""

from cases import hooks as case_hooks
from participants import hooks as participant_hooks
from products import hooks as product_hooks
from workflow.context import register_provider
from workflow.services import register_expiry_check

from . import selectors, workflow_context
from .home import cases_touched_by_user
from .services.expiry import deductions_expired_raise


def register() -> None:
    register_provider(workflow_context.provide)
    register_expiry_check(deductions_expired_raise)
    participant_hooks.third_party_deductions_current.provide(
        selectors.third_party_deductions_current
    )
    case_hooks.liability_deductions.provide(selectors.liability_deductions)
    case_hooks.cases_touched_by_user.provide(cases_touched_by_user)
    product_hooks.deduction_type_use_count.provide(selectors.deduction_type_use_count)
