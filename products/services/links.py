"""Links of deduction types to a product (DT-10, DT-11), ordered within the product."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from config.exceptions import ValidationFailed
from config.history import history_stamp

from .. import sequence
from ..errors import ProductError as E
from ..models import DeductionType, Product, ProductDeductionType
from .common import (
    DEDUCTION_TYPE_FIELDS,
    TYPES_SCOPE,
    _check_keys,
    _link_order,
    _priority_wanted,
    _resequence,
    links_scope,
)
from .deduction_types import deduction_type_create


# Long on purpose (~83 lines): the two locks (product row, then its links) and the reads
# they protect must stay in this order in one sequence (DT-11 shifting under concurrency).
@transaction.atomic
def product_links_add(
    *,
    product: Product,
    deduction_types: Sequence[DeductionType],
    priority: int | None = None,
    user: User | None = None,
) -> list[ProductDeductionType]:
    """DT-10, DT-11: link one or more existing types to `product`.

    Without `priority` each link takes its type's own priority (DT-6), at most n + 1 for
    a product with n links, and the links from there on shift down (the sequence function),
    so the product's links keep the agency-wide order of their types; several types are
    linked in the order of their type priorities. With p they take p, p+1, … in the given
    order and the links from p on shift down. Case deductions are not touched."""
    wanted = _priority_wanted(priority)
    pks: list[int] = []
    for deduction_type in deduction_types:
        if deduction_type.pk not in pks:
            pks.append(deduction_type.pk)
    if not pks:
        raise ValidationFailed(
            _("Bitte wählen Sie mindestens einen Abzugstyp."),
            field="deduction_type",
            code=E.LINK_TYPES_MISSING,
        )
    sequence.lock_scope(links_scope(product_id=product.pk))
    # The types scope too: see the lock order in the package docstring.
    sequence.lock_scope(TYPES_SCOPE)
    found = {
        t.pk: t for t in DeductionType.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    }
    missing = [pk for pk in pks if pk not in found]
    if missing:
        raise ValidationFailed(
            _("Der Abzugstyp %(id)s existiert nicht.") % {"id": missing[0]},
            field="deduction_type",
            code=E.DEDUCTION_TYPE_UNKNOWN,
        )
    already = list(
        ProductDeductionType.objects.filter(product=product, deduction_type_id__in=pks)
        .select_related("deduction_type")
        .order_by("priority")
    )
    if already:
        raise ValidationFailed(
            _(
                "Der Abzugstyp „%(type)s“ ist bereits mit dem Leistungsprodukt "
                "„%(product)s“ verknüpft."
            )
            % {"type": already[0].deduction_type.name, "product": product.name},
            field="deduction_type",
            code=E.LINK_DUPLICATE,
        )
    order: list[Any] = _link_order(product.pk)
    if wanted is None:
        # DT-11: each at its type's priority (insert_at clamps it to n + 1).
        pks.sort(key=lambda pk: (found[pk].priority, pk))
        new_keys = [("new", pk) for pk in pks]
        for key in new_keys:
            order = sequence.insert_at(order, key, found[key[1]].priority)
    else:
        new_keys = [("new", pk) for pk in pks]
        position = wanted
        for key in new_keys:
            order = sequence.insert_at(order, key, position)
            position += 1
    positions = sequence.priorities(order)
    _resequence(
        ProductDeductionType.objects.filter(product=product),
        {k: p for k, p in positions.items() if not isinstance(k, tuple)},
        user=user,
    )
    links = []
    for key in new_keys:
        link = history_stamp(
            ProductDeductionType(
                product=product, deduction_type=found[key[1]], priority=positions[key]
            ),
            user=user,
        )
        link.save()
        links.append(link)
    return links


def product_link_add(
    *,
    product: Product,
    deduction_type: DeductionType,
    priority: int | None = None,
    user: User | None = None,
) -> ProductDeductionType:
    """DT-10, DT-11: link one existing type (at its type's priority, or at `priority`)."""
    return product_links_add(
        product=product, deduction_types=[deduction_type], priority=priority, user=user
    )[0]


@transaction.atomic
def product_link_move(
    *, link: ProductDeductionType, priority: int | None, user: User | None = None
) -> ProductDeductionType:
    """DT-11: change a link's priority within its product; the links between shift by
    one (DT-6). None moves it to the end. Existing case deductions keep their
    priorities: the link only prefills new ones."""
    wanted = _priority_wanted(priority)
    sequence.lock_scope(links_scope(product_id=link.product_id))
    current = ProductDeductionType.objects.select_for_update().get(pk=link.pk)
    order = sequence.move_to(_link_order(current.product_id), current.pk, wanted)
    positions = sequence.priorities(order)
    if positions[current.pk] == current.priority:
        return current
    _resequence(
        ProductDeductionType.objects.filter(product_id=current.product_id),
        positions,
        user=user,
        skip_pk=current.pk,
    )
    current.priority = positions[current.pk]
    history_stamp(current, user=user)
    current.save(update_fields=["priority"])
    return current


@transaction.atomic
def product_link_remove(*, link: ProductDeductionType, user: User | None = None) -> None:
    """DT-10: unlink a type from a product and close the gap (DT-11). The type stays
    available to other products; case deductions of that type stay as they are."""
    sequence.lock_scope(links_scope(product_id=link.product_id))
    current = ProductDeductionType.objects.select_for_update().get(pk=link.pk)
    order = sequence.remove(_link_order(current.product_id), current.pk)
    history_stamp(current, user=user)
    current.delete()
    _resequence(
        ProductDeductionType.objects.filter(product_id=current.product_id),
        sequence.priorities(order),
        user=user,
    )


@transaction.atomic
def deduction_type_create_for_product(
    *,
    product: Product,
    link_priority: int | None = None,
    user: User | None = None,
    **type_fields: Any,
) -> ProductDeductionType:
    """DT-10: create a new type from a product; it is linked at once and stays available
    to other products. `type_fields` are those of deduction_type_create (including its
    global `priority`); `link_priority` places the link within the product, by default
    at the new type's priority (DT-11)."""
    _check_keys(type_fields, (*DEDUCTION_TYPE_FIELDS, "priority"))
    wanted_link = _priority_wanted(link_priority, field="link_priority")
    # Lock order: the product's links before the types (see the package docstring).
    sequence.lock_scope(links_scope(product_id=product.pk))
    deduction_type = deduction_type_create(user=user, **type_fields)
    return product_link_add(
        product=product, deduction_type=deduction_type, priority=wanted_link, user=user
    )
