"""Writes for products (PR-1..3), deduction types (DT-1..9) and product links (DT-10..11).
One module per entity; import from here.

Every function is one transaction. Priorities are kept dense with `products.sequence`:
take the scope's lock, read the current order, compute the new order with
insert_at / move_to / remove, write it with apply_priorities, all in one transaction.

Lock order (so two transactions never wait for each other in a circle): a product's
link scope `product-links:<id>` first, then `deduction_types`, then rows. Moving and
removing links take only the link scope. Adding links takes both: inserting a link
locks the linked type rows (foreign key check, and our own row lock against a
concurrent delete), and a type resequencing updates those rows (their priority is
unique, so the update takes the strongest row lock); without the types scope a link
insert holding type row A and waiting for B could meet a resequencing holding B and
waiting for A. Creating a type from a product takes both too, in that order.

History (PR-3, DT-12): simple-history records the row a service saves (who, when, old
and new values). `apply_priorities` writes with `bulk_update`, which records nothing, so
the neighbours a resequencing moved get one history row each here, with the change
reason `RESEQUENCE_REASON`: the history of a type or link shows every priority it ever
had, not only the ones an administrator typed.
"""

from .common import (
    COMPONENT_TYPE_FIELDS,
    DEDUCTION_TYPE_FIELDS,
    PRODUCT_FIELDS,
    RESEQUENCE_REASON,
    TYPES_SCOPE,
    links_scope,
)
from .component_types import component_type_add, component_type_delete, component_type_update
from .deduction_types import (
    deduction_type_check_amount,
    deduction_type_create,
    deduction_type_delete,
    deduction_type_delete_refusal,
    deduction_type_update,
    deduction_type_usage,
    deduction_type_validate,
)
from .links import (
    deduction_type_create_for_product,
    product_link_add,
    product_link_move,
    product_link_remove,
    product_links_add,
)
from .products import (
    product_create,
    product_frequency_change_refusal,
    product_update,
    product_validate,
)

__all__ = [
    "COMPONENT_TYPE_FIELDS",
    "DEDUCTION_TYPE_FIELDS",
    "PRODUCT_FIELDS",
    "RESEQUENCE_REASON",
    "TYPES_SCOPE",
    "component_type_add",
    "component_type_delete",
    "component_type_update",
    "deduction_type_check_amount",
    "deduction_type_create",
    "deduction_type_create_for_product",
    "deduction_type_delete",
    "deduction_type_delete_refusal",
    "deduction_type_update",
    "deduction_type_usage",
    "deduction_type_validate",
    "links_scope",
    "product_create",
    "product_frequency_change_refusal",
    "product_link_add",
    "product_link_move",
    "product_link_remove",
    "product_links_add",
    "product_update",
    "product_validate",
]
