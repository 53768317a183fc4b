"""What the products app asks of the apps above it (docs/architecture.md). Each hook is
provided by the app named beside it, in its AppConfig.ready."""

from config.providers import Hook

# cases: `(*, component_type) -> bool`: case components refer to the type.
component_type_in_use = Hook("products.component_type_in_use")

# cases: `(*, product_id, frequency) -> int`: the product's payment frequency changed (IC-9);
# its cases' financial components follow (returns how many changed).
product_frequency_changed = Hook("products.product_frequency_changed")

# deductions: `(*, deduction_type) -> int`: how many case deductions use the type.
deduction_type_use_count = Hook("products.deduction_type_use_count")

# payments: `(*, product_id) -> int`: how many cases of the product have a benefit payment.
benefit_paid_case_count = Hook("products.benefit_paid_case_count")
