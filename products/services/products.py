"""Products (PR-1..3): validate, create (with component types), update."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.exceptions import ValidationFailed
from config.history import history_stamp

from .. import hooks
from ..errors import ProductError as E
from ..models import PaymentFrequency, Product
from .common import (
    _HUNDRED,
    _ZERO,
    COMPONENT_TYPE_FIELDS,
    PRODUCT_FIELDS,
    _check_keys,
    _decimal,
    _full_clean,
)
from .component_types import component_type_add


def product_validate(*, data: Mapping[str, Any]) -> dict[str, Any]:
    """PR-1 rules on the given product fields: rates 0–100, amounts ≥ 0, a known payment
    frequency. Returns the values with numbers as Decimal; raises ValidationFailed naming
    every field at fault."""
    errors: dict[str, list[tuple[str, str]]] = {}
    values = dict(data)
    if "payment_frequency" in values and values["payment_frequency"] not in (
        PaymentFrequency.values
    ):
        errors["payment_frequency"] = [
            (
                _("Unbekannte Zahlungshäufigkeit „%(value)s“.")
                % {"value": values["payment_frequency"]},
                E.FREQUENCY_UNKNOWN,
            )
        ]
    if "name" in values:
        values["name"] = str(values["name"] or "").strip()
        if not values["name"]:
            errors["name"] = [(_("Bitte geben Sie einen Namen an."), E.NAME_MISSING)]
    rates = {
        "max_deduction_rate": _("Der maximale Abzugssatz muss zwischen 0 und 100 Prozent liegen."),
        "tax_rate": _("Die Steueranpassung muss zwischen 0 und 100 Prozent liegen."),
    }
    for field, message in rates.items():
        if field not in values:
            continue
        number = _decimal(values[field], field=field, errors=errors)
        values[field] = number
        if number is None:
            if field == "max_deduction_rate" and field not in errors:
                errors[field] = [
                    (_("Bitte geben Sie den maximalen Abzugssatz an."), E.MAX_RATE_MISSING)
                ]
            continue
        if not (_ZERO <= number <= _HUNDRED):
            errors.setdefault(field, []).append((message, E.PERCENTAGE_OUT_OF_RANGE))
    amounts = {
        "min_deduction_amount": _("Der Mindestabzugsbetrag darf nicht negativ sein."),
        "min_payment_amount": _("Der minimale Zahlungsbetrag darf nicht negativ sein."),
    }
    for field, message in amounts.items():
        if field not in values:
            continue
        number = _decimal(values[field], field=field, errors=errors)
        if number is None:
            if field not in errors:
                number = Decimal("0.00")
            else:
                continue
        values[field] = number
        if number < _ZERO:
            errors.setdefault(field, []).append((message, E.AMOUNT_NEGATIVE))
    if errors:
        raise ValidationFailed(errors=errors)
    return values


def _component_types_validate(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Nested component types of a new product (PR-2): each needs a name, names unique."""
    cleaned: list[dict[str, Any]] = []
    messages: list[tuple[str, str]] = []
    seen: set[str] = set()
    for position, raw in enumerate(items, start=1):
        unknown = set(raw) - set(COMPONENT_TYPE_FIELDS) - {"id"}
        if unknown:
            messages.append(
                (
                    _("Komponententyp %(n)s: unbekanntes Feld „%(field)s“.")
                    % {"n": position, "field": sorted(unknown)[0]},
                    E.COMPONENT_TYPE_FIELD_UNKNOWN,
                )
            )
            continue
        name = str(raw.get("name") or "").strip()
        if not name:
            messages.append(
                (
                    _("Komponententyp %(n)s: Bitte geben Sie einen Namen an.") % {"n": position},
                    E.NAME_MISSING,
                )
            )
            continue
        if name.casefold() in seen:
            messages.append(
                (
                    _("Komponententyp %(n)s: Der Name „%(name)s“ kommt mehrfach vor.")
                    % {"n": position, "name": name},
                    E.COMPONENT_TYPE_DUPLICATE,
                )
            )
            continue
        seen.add(name.casefold())
        cleaned.append(
            {
                "name": name,
                "deductible": bool(raw.get("deductible", True)),
                "taxable": bool(raw.get("taxable", False)),
            }
        )
    if messages:
        raise ValidationFailed(errors={"component_types": messages})
    return cleaned


@transaction.atomic
def product_create(
    *,
    name: str,
    payment_frequency: str,
    max_deduction_rate: Decimal,
    min_deduction_amount: Decimal = Decimal("0.00"),
    min_payment_amount: Decimal = Decimal("0.00"),
    tax_rate: Decimal | None = None,
    has_application_process: bool = False,
    component_types: Iterable[Mapping[str, Any]] = (),
    user: User | None = None,
) -> Product:
    """PR-1, PR-2: a product with its deduction settings and, optionally, its component
    types (all or nothing)."""
    values = product_validate(
        data={
            "name": name,
            "payment_frequency": payment_frequency,
            "max_deduction_rate": max_deduction_rate,
            "min_deduction_amount": min_deduction_amount,
            "min_payment_amount": min_payment_amount,
            "tax_rate": tax_rate,
            "has_application_process": bool(has_application_process),
        }
    )
    types = _component_types_validate(component_types)
    product = history_stamp(Product(**values), user=user)
    _full_clean(product)
    product.save()
    for item in types:
        component_type_add(product=product, user=user, **item)
    return product


def product_frequency_change_refusal(*, product: Product) -> str | None:
    """Why the payment frequency of `product` can no longer change, or None.

    Payment runs continue each case after its last paid period, with periods laid out
    from the case start in the product's frequency. Once a case has benefit payments,
    another frequency lays out periods that overlap the paid ones (the run's write hits
    `payment_unique_benefit_per_period`), so the change is refused while any product
    delivery case of the product has a benefit payment (one query, by payments)."""
    paid_cases = hooks.benefit_paid_case_count(product_id=product.pk)
    if not paid_cases:
        return None
    return ngettext(
        "Die Zahlungshäufigkeit kann nicht mehr geändert werden: für %(n)s "
        "Produktbereitstellungsfall dieses Leistungsprodukts wurden bereits Zahlungen "
        "erstellt, deren Zeiträume sich mit einer anderen Häufigkeit überschneiden würden.",
        "Die Zahlungshäufigkeit kann nicht mehr geändert werden: für %(n)s "
        "Produktbereitstellungsfälle dieses Leistungsprodukts wurden bereits Zahlungen "
        "erstellt, deren Zeiträume sich mit einer anderen Häufigkeit überschneiden würden.",
        paid_cases,
    ) % {"n": paid_cases}


@transaction.atomic
def product_update(
    *, product: Product, data: Mapping[str, Any], user: User | None = None
) -> Product:
    """PR-3: change deduction settings or other product fields. Saves (and records
    history) only when a value differs from the stored one. The payment frequency is
    fixed once a case of the product has been paid (`product_frequency_change_refusal`);
    before that, a change is carried into the cases' financial components (IC-9)."""
    _check_keys(data, PRODUCT_FIELDS)
    values = product_validate(data=data)
    current = Product.objects.select_for_update().get(pk=product.pk)
    changed = [f for f, v in values.items() if getattr(current, f) != v]
    if not changed:
        return current
    if "payment_frequency" in changed:
        refusal = product_frequency_change_refusal(product=current)
        if refusal:
            raise ValidationFailed(refusal, field="payment_frequency", code=E.FREQUENCY_FIXED)
        hooks.product_frequency_changed(
            product_id=current.pk, frequency=values["payment_frequency"]
        )
    for field in changed:
        setattr(current, field, values[field])
    history_stamp(current, user=user)
    _full_clean(current)
    current.save(update_fields=changed)
    return current
