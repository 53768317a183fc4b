"""Component types of a product (PR-2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _

from config.exceptions import Conflict, ValidationFailed
from config.history import history_stamp

from ..models import ComponentType, Product
from .common import COMPONENT_TYPE_FIELDS, _check_keys, _full_clean


@transaction.atomic
def component_type_add(
    *,
    product: Product,
    name: str,
    deductible: bool = True,
    taxable: bool = False,
    user: User | None = None,
) -> ComponentType:
    """PR-2: a component type of `product`, flagged deductible and taxable."""
    name = str(name or "").strip()
    if not name:
        raise ValidationFailed(_("Bitte geben Sie einen Namen an."), field="name")
    if ComponentType.objects.filter(product=product, name__iexact=name).exists():
        raise ValidationFailed(
            _("Das Leistungsprodukt hat bereits einen Komponententyp „%(name)s“.") % {"name": name},
            field="name",
        )
    component_type = history_stamp(
        ComponentType(
            product=product, name=name, deductible=bool(deductible), taxable=bool(taxable)
        ),
        user=user,
    )
    _full_clean(component_type)
    component_type.save()
    return component_type


@transaction.atomic
def component_type_update(
    *, component_type: ComponentType, data: Mapping[str, Any], user: User | None = None
) -> ComponentType:
    _check_keys(data, COMPONENT_TYPE_FIELDS)
    current = ComponentType.objects.select_for_update().get(pk=component_type.pk)
    values = dict(data)
    if "name" in values:
        values["name"] = str(values["name"] or "").strip()
        if not values["name"]:
            raise ValidationFailed(_("Bitte geben Sie einen Namen an."), field="name")
        clash = ComponentType.objects.filter(
            product_id=current.product_id, name__iexact=values["name"]
        ).exclude(pk=current.pk)
        if clash.exists():
            raise ValidationFailed(
                _("Das Leistungsprodukt hat bereits einen Komponententyp „%(name)s“.")
                % {"name": values["name"]},
                field="name",
            )
    for flag in ("deductible", "taxable"):
        if flag in values:
            values[flag] = bool(values[flag])
    changed = [f for f, v in values.items() if getattr(current, f) != v]
    if not changed:
        return current
    for field in changed:
        setattr(current, field, values[field])
    history_stamp(current, user=user)
    _full_clean(current)
    current.save(update_fields=changed)
    return current


@transaction.atomic
def component_type_delete(*, component_type: ComponentType, user: User | None = None) -> None:
    """Refused while case components use the type (they keep their type for history)."""
    current = ComponentType.objects.select_for_update().get(pk=component_type.pk)
    history_stamp(current, user=user)
    try:
        current.delete()
    except ProtectedError:
        raise Conflict(
            _(
                "Der Komponententyp „%(name)s“ wird von Fallkomponenten verwendet und kann "
                "nicht gelöscht werden."
            )
            % {"name": current.name}
        ) from None
