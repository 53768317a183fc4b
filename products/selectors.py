"""Reads for products, component types, deduction types and product links.

`deduction_types_for_case_category` and `link_priority` are what case deductions use
(CD-2, CD-9): only types linked to the case's product are offered (DT-10), prefilled
with the link's priority (DT-11).
"""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from . import hooks
from .models import ComponentType, DeductionType, Product, ProductDeductionType


def product_list() -> QuerySet[Product]:
    return Product.objects.prefetch_related("component_types").order_by("name")


def component_types_of(*, product: Product) -> QuerySet[ComponentType]:
    return ComponentType.objects.filter(product=product).order_by("id")


def component_type_in_use(*, component_type: ComponentType) -> bool:
    """Case components refer to the type (it can then not be deleted). Read by cases."""
    return hooks.component_type_in_use(component_type=component_type)


def deduction_type_use_count(*, deduction_type: DeductionType) -> int:
    """How many case deductions use the type. Read by deductions."""
    return hooks.deduction_type_use_count(deduction_type=deduction_type)


def deduction_type_in_use(*, deduction_type: DeductionType) -> bool:
    """Case deductions use the type (its category is then fixed, it cannot be deleted)."""
    return deduction_type_use_count(deduction_type=deduction_type) > 0


def deduction_type_list(
    *,
    category: str | None = None,
    insufficient_balance_action: str | None = None,
    search: str | None = None,
) -> QuerySet[DeductionType]:
    """All types in priority order (DT-6), optionally filtered."""
    qs = DeductionType.objects.order_by("priority", "pk")
    if category:
        qs = qs.filter(category=category)
    if insufficient_balance_action:
        qs = qs.filter(insufficient_balance_action=insufficient_balance_action)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs


def product_links(*, product: Product | int) -> QuerySet[ProductDeductionType]:
    """The product's links in link priority order, with their types (DT-11)."""
    product_id = product if isinstance(product, int) else product.pk
    return (
        ProductDeductionType.objects.filter(product_id=product_id)
        .select_related("deduction_type")
        .order_by("priority", "pk")
    )


def product_link_get(*, product: Product | int, deduction_type: DeductionType | int):
    """The link of a type to a product, or None."""
    product_id = product if isinstance(product, int) else product.pk
    type_id = deduction_type if isinstance(deduction_type, int) else deduction_type.pk
    return (
        ProductDeductionType.objects.filter(product_id=product_id, deduction_type_id=type_id)
        .select_related("deduction_type", "product")
        .first()
    )


def deduction_types_for_case_category(
    *, product: Product, category: str
) -> QuerySet[DeductionType]:
    """CD-2 / DT-10: the types of `category` linked to `product`, ordered by link priority.
    Each carries `link_priority` (DT-11), the prefill of a new case deduction's priority.
    An empty result means the category has no configured type for the product."""
    link = ProductDeductionType.objects.filter(product=product, deduction_type=OuterRef("pk"))
    return (
        DeductionType.objects.filter(category=category)
        .annotate(link_priority=Subquery(link.values("priority")[:1]))
        .filter(link_priority__isnull=False)
        .order_by("link_priority", "pk")
    )


def link_priority(*, product: Product, deduction_type: DeductionType) -> int | None:
    """DT-11: the type's priority within the product, None when it is not linked."""
    return (
        ProductDeductionType.objects.filter(product=product, deduction_type=deduction_type)
        .values_list("priority", flat=True)
        .first()
    )


def deduction_type_is_linked(*, product: Product, deduction_type: DeductionType) -> bool:
    """DT-10: only linked types may be used for deductions on the product's cases."""
    return ProductDeductionType.objects.filter(
        product=product, deduction_type=deduction_type
    ).exists()


def history_entries(*, instance) -> list[dict]:
    """PR-3 / DT-12: the instance's simple-history rows, newest first, each with who,
    when, what happened and the changed fields (old → new)."""
    records = list(
        instance.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    events = {"+": "created", "~": "changed", "-": "deleted"}
    result = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [{"field": c.field, "old": c.old, "new": c.new} for c in delta.changes]
        user = record.history_user
        result.append(
            {
                "date": record.history_date,
                "user": user.get_username() if user else None,
                "event": events.get(record.history_type, record.history_type),
                "reason": record.history_change_reason or "",
                "changes": changes,
            }
        )
    return result
