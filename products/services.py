"""Writes for products (PR-1..3), deduction types (DT-1..9) and product links (DT-10..11).

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

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.exceptions import Conflict, ValidationFailed
from participants.models import ParticipantType

from . import sequence
from .models import (
    ComponentType,
    DeductionCategory,
    DeductionType,
    InsufficientBalanceAction,
    PaymentFrequency,
    Product,
    ProductDeductionType,
)

TYPES_SCOPE = "deduction_types"
# Stored in the history rows of neighbours moved by a resequencing (German source text).
RESEQUENCE_REASON = "Priorität durch Neuordnung angepasst"

PRODUCT_FIELDS = (
    "name",
    "payment_frequency",
    "max_deduction_rate",
    "min_deduction_amount",
    "min_payment_amount",
    "tax_rate",
    "has_application_process",
)
COMPONENT_TYPE_FIELDS = ("name", "deductible", "taxable")
DEDUCTION_TYPE_FIELDS = (
    "name",
    "category",
    "max_amount",
    "min_amount",
    "default_amount",
    "max_percentage",
    "default_percentage",
    "allowed_participant_types",
    "insufficient_balance_action",
)
_HUNDRED = Decimal("100")
_ZERO = Decimal("0")


def links_scope(product_id: int) -> str:
    return f"product-links:{product_id}"


# --- helpers ------------------------------------------------------------------------------


def _money_text(value: Decimal) -> str:
    """50 → "50,00 €" (German) or "50.00 €" (English), for messages."""
    return f"{formats.number_format(value, decimal_pos=2, use_l10n=True)} €"


def _percent_text(value: Decimal) -> str:
    return f"{formats.number_format(value, decimal_pos=2, use_l10n=True)} %"


def _decimal(value: Any, *, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    """None stays None; numbers and numeric strings become Decimal; anything else is an
    error on `field`."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors.setdefault(field, []).append(_("Bitte geben Sie eine Zahl an."))
        return None
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append(_("Bitte geben Sie eine Zahl an."))
        return None
    if not result.is_finite():
        errors.setdefault(field, []).append(_("Bitte geben Sie eine Zahl an."))
        return None
    return result


def _full_clean(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc


def _with_actor(instance: models.Model, actor) -> models.Model:
    """The user simple-history records; without one it takes the request's user."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        instance._history_user = actor
    return instance


def _check_keys(data: Mapping[str, Any], allowed: Sequence[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _priority_wanted(value: Any, *, field: str = "priority") -> int | None:
    """A wanted priority: None (automatic) or an integer ≥ 1. Values above n + 1 are
    clamped by the sequence function (they mean "at the end")."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationFailed(_("Die Priorität muss eine ganze Zahl sein."), field=field)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Die Priorität muss eine ganze Zahl sein."), field=field) from None
    if number != Decimal(str(value)):
        raise ValidationFailed(_("Die Priorität muss eine ganze Zahl sein."), field=field)
    if number < 1:
        raise ValidationFailed(_("Die Priorität muss mindestens 1 sein."), field=field)
    return number


def _resequence(queryset, wanted: dict[int, int], *, actor, skip_pk: int | None = None) -> None:
    """Write `wanted` (pk → priority) with apply_priorities and give every row whose
    priority it changed (other than `skip_pk`, which its caller saves itself) a history
    row with RESEQUENCE_REASON."""
    current = dict(queryset.filter(pk__in=list(wanted)).values_list("pk", "priority"))
    moved = [pk for pk, prio in wanted.items() if current.get(pk) != prio and pk != skip_pk]
    sequence.apply_priorities(queryset, wanted)
    if not moved:
        return
    model = queryset.model
    rows = list(model._base_manager.filter(pk__in=moved).order_by("pk"))
    model.history.bulk_history_create(
        rows,
        update=True,
        default_user=actor if getattr(actor, "is_authenticated", False) else None,
        default_change_reason=RESEQUENCE_REASON,
    )


def _type_order() -> list[int]:
    """Deduction type pks in priority order (ties, which the constraint forbids, by pk)."""
    return list(DeductionType.objects.order_by("priority", "pk").values_list("pk", flat=True))


def _link_order(product_id: int) -> list[int]:
    return list(
        ProductDeductionType.objects.filter(product_id=product_id)
        .order_by("priority", "pk")
        .values_list("pk", flat=True)
    )


# --- products (PR-1..3) -------------------------------------------------------------------


def product_validate(data: Mapping[str, Any]) -> dict[str, Any]:
    """PR-1 rules on the given product fields: rates 0–100, amounts ≥ 0, a known payment
    frequency. Returns the values with numbers as Decimal; raises ValidationFailed naming
    every field at fault."""
    errors: dict[str, list[str]] = {}
    values = dict(data)
    if "payment_frequency" in values and values["payment_frequency"] not in (
        PaymentFrequency.values
    ):
        errors["payment_frequency"] = [
            _("Unbekannte Zahlungshäufigkeit „%(value)s“.") % {"value": values["payment_frequency"]}
        ]
    if "name" in values:
        values["name"] = str(values["name"] or "").strip()
        if not values["name"]:
            errors["name"] = [_("Bitte geben Sie einen Namen an.")]
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
                errors[field] = [_("Bitte geben Sie den maximalen Abzugssatz an.")]
            continue
        if not (_ZERO <= number <= _HUNDRED):
            errors.setdefault(field, []).append(message)
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
            errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationFailed(errors=errors)
    return values


def _component_types_validate(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Nested component types of a new product (PR-2): each needs a name, names unique."""
    cleaned: list[dict[str, Any]] = []
    messages: list[str] = []
    seen: set[str] = set()
    for position, raw in enumerate(items, start=1):
        unknown = set(raw) - set(COMPONENT_TYPE_FIELDS) - {"id"}
        if unknown:
            messages.append(
                _("Komponententyp %(n)s: unbekanntes Feld „%(field)s“.")
                % {"n": position, "field": sorted(unknown)[0]}
            )
            continue
        name = str(raw.get("name") or "").strip()
        if not name:
            messages.append(
                _("Komponententyp %(n)s: Bitte geben Sie einen Namen an.") % {"n": position}
            )
            continue
        if name.casefold() in seen:
            messages.append(
                _("Komponententyp %(n)s: Der Name „%(name)s“ kommt mehrfach vor.")
                % {"n": position, "name": name}
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
    actor=None,
) -> Product:
    """PR-1, PR-2: a product with its deduction settings and, optionally, its component
    types (all or nothing)."""
    values = product_validate(
        {
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
    product = _with_actor(Product(**values), actor)
    _full_clean(product)
    product.save()
    for item in types:
        component_type_add(product=product, actor=actor, **item)
    return product


def product_frequency_change_refusal(*, product: Product) -> str | None:
    """Why the payment frequency of `product` can no longer change, or None.

    Payment runs continue each case after its last paid period, with periods laid out
    from the case start in the product's frequency. Once a case has benefit payments,
    another frequency lays out periods that overlap the paid ones (the run's write hits
    `payment_unique_benefit_per_period`), so the change is refused while any product
    delivery case of the product has a benefit payment (one query)."""
    from payments.models import Payment, PaymentKind

    paid_cases = (
        Payment.objects.filter(case__product_id=product.pk, kind=PaymentKind.BENEFIT)
        .values("case_id")
        .distinct()
        .count()
    )
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
def product_update(*, product: Product, data: Mapping[str, Any], actor=None) -> Product:
    """PR-3: change deduction settings or other product fields. Saves (and records
    history) only when a value differs from the stored one. The payment frequency is
    fixed once a case of the product has been paid (`product_frequency_change_refusal`);
    before that, a change is carried into the cases' financial components (IC-9)."""
    _check_keys(data, PRODUCT_FIELDS)
    values = product_validate(data)
    current = Product.objects.select_for_update().get(pk=product.pk)
    changed = [f for f, v in values.items() if getattr(current, f) != v]
    if not changed:
        return current
    if "payment_frequency" in changed:
        refusal = product_frequency_change_refusal(product=current)
        if refusal:
            raise ValidationFailed(refusal, field="payment_frequency")
        from cases.services import financial_components_follow_frequency

        financial_components_follow_frequency(
            product_id=current.pk, frequency=values["payment_frequency"]
        )
    for field in changed:
        setattr(current, field, values[field])
    _with_actor(current, actor)
    _full_clean(current)
    current.save(update_fields=changed)
    return current


@transaction.atomic
def component_type_add(
    *,
    product: Product,
    name: str,
    deductible: bool = True,
    taxable: bool = False,
    actor=None,
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
    component_type = _with_actor(
        ComponentType(
            product=product, name=name, deductible=bool(deductible), taxable=bool(taxable)
        ),
        actor,
    )
    _full_clean(component_type)
    component_type.save()
    return component_type


@transaction.atomic
def component_type_update(
    *, component_type: ComponentType, data: Mapping[str, Any], actor=None
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
    _with_actor(current, actor)
    _full_clean(current)
    current.save(update_fields=changed)
    return current


@transaction.atomic
def component_type_delete(*, component_type: ComponentType, actor=None) -> None:
    """Refused while case components use the type (they keep their type for history)."""
    current = ComponentType.objects.select_for_update().get(pk=component_type.pk)
    _with_actor(current, actor)
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


# --- deduction types (DT-1..9) ------------------------------------------------------------


def deduction_type_validate(values: Mapping[str, Any]) -> dict[str, Any]:
    """DT-5 (and DT-1, DT-8, DT-9 inputs) on a complete set of type values: amounts ≥ 0,
    percentages 0–100, min ≤ max, default amount within min/max, default percentage ≤
    maximum percentage, allowed participant types known codes (at least one for applied
    and third-party types). Returns the normalised values; raises ValidationFailed naming
    every field at fault."""
    errors: dict[str, list[str]] = {}
    result = dict(values)

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if "name" in result:
        result["name"] = str(result["name"] or "").strip()
        if not result["name"]:
            add("name", _("Bitte geben Sie einen Namen an."))
    category = result.get("category")
    if "category" in result and category not in DeductionCategory.values:
        add("category", _("Bitte wählen Sie eine gültige Abzugskategorie."))
    action = result.get("insufficient_balance_action")
    if "insufficient_balance_action" in result and action not in InsufficientBalanceAction.values:
        add("insufficient_balance_action", _("Bitte wählen Sie eine gültige Verarbeitungsaktion."))

    amount_labels = {
        "max_amount": _("Der maximale Abzugsbetrag darf nicht negativ sein."),
        "min_amount": _("Der minimale Abzugsbetrag darf nicht negativ sein."),
        "default_amount": _("Der Standardbetrag darf nicht negativ sein."),
    }
    for field, message in amount_labels.items():
        if field in result:
            number = _decimal(result[field], field=field, errors=errors)
            result[field] = number
            if number is not None and number < _ZERO:
                add(field, message)
    percent_labels = {
        "max_percentage": _("Der maximale Prozentsatz muss zwischen 0 und 100 liegen."),
        "default_percentage": _("Der Standardprozentsatz muss zwischen 0 und 100 liegen."),
    }
    for field, message in percent_labels.items():
        if field in result:
            number = _decimal(result[field], field=field, errors=errors)
            result[field] = number
            if number is not None and not (_ZERO <= number <= _HUNDRED):
                add(field, message)

    low, high = result.get("min_amount"), result.get("max_amount")
    default = result.get("default_amount")
    if "min_amount" not in errors and "max_amount" not in errors:
        if low is not None and high is not None and low > high:
            add(
                "min_amount",
                _(
                    "Der minimale Abzugsbetrag darf nicht höher sein als der maximale "
                    "Abzugsbetrag (%(max)s)."
                )
                % {"max": _money_text(high)},
            )
        elif default is not None and "default_amount" not in errors:
            if low is not None and default < low:
                add(
                    "default_amount",
                    _(
                        "Der Standardbetrag darf nicht unter dem minimalen Abzugsbetrag "
                        "(%(min)s) liegen."
                    )
                    % {"min": _money_text(low)},
                )
            if high is not None and default > high:
                add(
                    "default_amount",
                    _(
                        "Der Standardbetrag darf nicht über dem maximalen Abzugsbetrag "
                        "(%(max)s) liegen."
                    )
                    % {"max": _money_text(high)},
                )
    top_pct, default_pct = result.get("max_percentage"), result.get("default_percentage")
    if (
        "max_percentage" not in errors
        and "default_percentage" not in errors
        and top_pct is not None
        and default_pct is not None
        and default_pct > top_pct
    ):
        add(
            "default_percentage",
            _("Der Standardprozentsatz darf nicht über dem maximalen Prozentsatz (%(max)s) liegen.")
            % {"max": _percent_text(top_pct)},
        )

    if "allowed_participant_types" in result:
        raw = result["allowed_participant_types"]
        if raw is None:
            raw = []
        if isinstance(raw, str) or not isinstance(raw, Iterable):
            add(
                "allowed_participant_types",
                _("Bitte geben Sie eine Liste von Beteiligtentypen an."),
            )
        else:
            codes: list[str] = []
            for code in raw:
                if code not in ParticipantType.values:
                    add(
                        "allowed_participant_types",
                        _("Unbekannter Beteiligtentyp „%(code)s“.") % {"code": code},
                    )
                elif code not in codes:
                    codes.append(code)
            result["allowed_participant_types"] = codes
            if (
                "allowed_participant_types" not in errors
                and category in (DeductionCategory.APPLIED, DeductionCategory.THIRD_PARTY)
                and not codes
            ):
                add(
                    "allowed_participant_types",
                    _(
                        "Für ausgeführte Abzüge und Abzüge für Dritte muss mindestens ein "
                        "zulässiger Beteiligtentyp gewählt werden."
                    ),
                )
    if errors:
        raise ValidationFailed(errors=errors)
    return result


def deduction_type_check_amount(
    *,
    deduction_type: DeductionType,
    amount: Decimal | None = None,
    percentage: Decimal | None = None,
) -> None:
    """DT-2, DT-4: the limits of `deduction_type` for an amount (fixed case deduction) or a
    percentage (variable case deduction) a user enters. Pure: reads only the type.
    Raises ValidationFailed on "amount" / "percentage" with a German message stating the
    limit."""
    errors: dict[str, list[str]] = {}
    name = deduction_type.name
    if amount is not None:
        value = _decimal(amount, field="amount", errors=errors)
        if value is not None:
            if value <= _ZERO:
                errors["amount"] = [_("Der Betrag muss größer als 0 sein.")]
            elif deduction_type.max_amount is not None and value > deduction_type.max_amount:
                errors["amount"] = [
                    _(
                        "Der Betrag darf den maximalen Abzugsbetrag des Abzugstyps „%(type)s“ "
                        "von %(limit)s nicht überschreiten."
                    )
                    % {"type": name, "limit": _money_text(deduction_type.max_amount)}
                ]
            elif deduction_type.min_amount is not None and value < deduction_type.min_amount:
                errors["amount"] = [
                    _(
                        "Der Betrag darf den minimalen Abzugsbetrag des Abzugstyps „%(type)s“ "
                        "von %(limit)s nicht unterschreiten."
                    )
                    % {"type": name, "limit": _money_text(deduction_type.min_amount)}
                ]
    if percentage is not None:
        value = _decimal(percentage, field="percentage", errors=errors)
        if value is not None:
            if value <= _ZERO or value > _HUNDRED:
                errors["percentage"] = [
                    _("Der Prozentsatz muss größer als 0 und höchstens 100 sein.")
                ]
            elif (
                deduction_type.max_percentage is not None and value > deduction_type.max_percentage
            ):
                errors["percentage"] = [
                    _(
                        "Der Prozentsatz darf den maximalen Prozentsatz des Abzugstyps "
                        "„%(type)s“ von %(limit)s nicht überschreiten."
                    )
                    % {"type": name, "limit": _percent_text(deduction_type.max_percentage)}
                ]
    if errors:
        raise ValidationFailed(errors=errors)


@transaction.atomic
def deduction_type_create(
    *,
    name: str,
    category: str,
    priority: int | None = None,
    max_amount: Decimal | None = None,
    min_amount: Decimal | None = None,
    default_amount: Decimal | None = None,
    max_percentage: Decimal | None = None,
    default_percentage: Decimal | None = None,
    allowed_participant_types: Iterable[str] = (),
    insufficient_balance_action: str = InsufficientBalanceAction.SKIP,
    actor=None,
) -> DeductionType:
    """DT-1..9: a new deduction type. `priority` p puts it at p and shifts the types from
    p on by one (DT-6); None gives it the next free priority (DT-7)."""
    wanted = _priority_wanted(priority)
    values = deduction_type_validate(
        {
            "name": name,
            "category": category,
            "max_amount": max_amount,
            "min_amount": min_amount,
            "default_amount": default_amount,
            "max_percentage": max_percentage,
            "default_percentage": default_percentage,
            "allowed_participant_types": list(allowed_participant_types or []),
            "insufficient_balance_action": insufficient_balance_action,
        }
    )
    sequence.lock_scope(TYPES_SCOPE)
    deduction_type = _with_actor(DeductionType(**values), actor)
    _full_clean(deduction_type, exclude=["priority"])
    new = object()
    order = sequence.insert_at(_type_order(), new, wanted)
    positions = sequence.priorities(order)
    _resequence(
        DeductionType.objects.all(),
        {pk: prio for pk, prio in positions.items() if pk is not new},
        actor=actor,
    )
    deduction_type.priority = positions[new]
    deduction_type.save()
    return deduction_type


@transaction.atomic
def deduction_type_update(
    *, deduction_type: DeductionType, data: Mapping[str, Any], actor=None
) -> DeductionType:
    """DT-1..9: change a type. With "priority" in `data` the type moves there and the
    types between shift by one (DT-6); "priority": None moves it to the end (DT-7).
    The category of a type that case deductions use stays (they copy it)."""
    _check_keys(data, (*DEDUCTION_TYPE_FIELDS, "priority"))
    fields = {k: v for k, v in data.items() if k != "priority"}
    move = "priority" in data
    wanted = _priority_wanted(data.get("priority")) if move else None
    sequence.lock_scope(TYPES_SCOPE)
    current = DeductionType.objects.select_for_update().get(pk=deduction_type.pk)
    merged = {f: getattr(current, f) for f in DEDUCTION_TYPE_FIELDS}
    merged.update(fields)
    values = deduction_type_validate(merged)
    changed = [f for f in DEDUCTION_TYPE_FIELDS if getattr(current, f) != values[f]]
    if "category" in changed and current.deductions.exists():
        raise ValidationFailed(
            _(
                "Die Abzugskategorie kann nicht mehr geändert werden, weil der Abzugstyp "
                "bereits für Abzüge verwendet wird."
            ),
            field="category",
        )
    for field in changed:
        setattr(current, field, values[field])
    _with_actor(current, actor)
    _full_clean(current, exclude=["priority"])
    if move:
        order = sequence.move_to(_type_order(), current.pk, wanted)
        positions = sequence.priorities(order)
        if positions[current.pk] != current.priority:
            _resequence(DeductionType.objects.all(), positions, actor=actor, skip_pk=current.pk)
            current.priority = positions[current.pk]
            changed.append("priority")
    if changed:
        current.save()
    return current


def deduction_type_usage(*, deduction_type: DeductionType) -> tuple[list[str], int]:
    """Names of the products the type is linked to, and the number of case deductions
    that use it."""
    from deductions.models import Deduction

    products = list(
        Product.objects.filter(deduction_type_links__deduction_type=deduction_type)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return products, Deduction.objects.filter(deduction_type=deduction_type).count()


def deduction_type_delete_refusal(*, deduction_type: DeductionType) -> str | None:
    """Why the type cannot be deleted (linked to products, used by case deductions), as
    one German message; None when it can."""
    products, used = deduction_type_usage(deduction_type=deduction_type)
    reasons = []
    if products:
        reasons.append(
            _("Er ist mit diesen Leistungsprodukten verknüpft: %(names)s.")
            % {"names": ", ".join(products)}
        )
    if used:
        reasons.append(
            ngettext(
                "Er wird von %(count)s Abzug auf einem Fall verwendet.",
                "Er wird von %(count)s Abzügen auf Fällen verwendet.",
                used,
            )
            % {"count": used}
        )
    if not reasons:
        return None
    head = _("Der Abzugstyp „%(name)s“ kann nicht gelöscht werden.") % {"name": deduction_type.name}
    tail = [_("Lösen Sie zuerst die Verknüpfungen.")] if products else []
    return " ".join([head, *reasons, *tail])


@transaction.atomic
def deduction_type_delete(*, deduction_type: DeductionType, actor=None) -> None:
    """Remove an unused type and close the gap (DT-6). Refused (409) while the type is
    linked to a product or used by case deductions: they keep their type."""
    sequence.lock_scope(TYPES_SCOPE)
    current = DeductionType.objects.select_for_update().get(pk=deduction_type.pk)
    refusal = deduction_type_delete_refusal(deduction_type=current)
    if refusal:
        raise Conflict(refusal)
    order = sequence.remove(_type_order(), current.pk)
    _with_actor(current, actor)
    try:
        current.delete()
    except ProtectedError:
        raise Conflict(
            _("Der Abzugstyp „%(name)s“ wird noch verwendet und kann nicht gelöscht werden.")
            % {"name": current.name}
        ) from None
    _resequence(DeductionType.objects.all(), sequence.priorities(order), actor=actor)


# --- product links (DT-10, DT-11) ---------------------------------------------------------


@transaction.atomic
def product_links_add(
    *,
    product: Product,
    deduction_types: Sequence[DeductionType],
    priority: int | None = None,
    actor=None,
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
            _("Bitte wählen Sie mindestens einen Abzugstyp."), field="deduction_type"
        )
    sequence.lock_scope(links_scope(product.pk))
    # The types scope too: see the lock order in the module docstring.
    sequence.lock_scope(TYPES_SCOPE)
    found = {
        t.pk: t for t in DeductionType.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    }
    missing = [pk for pk in pks if pk not in found]
    if missing:
        raise ValidationFailed(
            _("Der Abzugstyp %(id)s existiert nicht.") % {"id": missing[0]},
            field="deduction_type",
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
        actor=actor,
    )
    links = []
    for key in new_keys:
        link = _with_actor(
            ProductDeductionType(
                product=product, deduction_type=found[key[1]], priority=positions[key]
            ),
            actor,
        )
        link.save()
        links.append(link)
    return links


def product_link_add(
    *,
    product: Product,
    deduction_type: DeductionType,
    priority: int | None = None,
    actor=None,
) -> ProductDeductionType:
    """DT-10, DT-11: link one existing type (at its type's priority, or at `priority`)."""
    return product_links_add(
        product=product, deduction_types=[deduction_type], priority=priority, actor=actor
    )[0]


@transaction.atomic
def product_link_move(
    *, link: ProductDeductionType, priority: int | None, actor=None
) -> ProductDeductionType:
    """DT-11: change a link's priority within its product; the links between shift by
    one (DT-6). None moves it to the end. Existing case deductions keep their
    priorities: the link only prefills new ones."""
    wanted = _priority_wanted(priority)
    sequence.lock_scope(links_scope(link.product_id))
    current = ProductDeductionType.objects.select_for_update().get(pk=link.pk)
    order = sequence.move_to(_link_order(current.product_id), current.pk, wanted)
    positions = sequence.priorities(order)
    if positions[current.pk] == current.priority:
        return current
    _resequence(
        ProductDeductionType.objects.filter(product_id=current.product_id),
        positions,
        actor=actor,
        skip_pk=current.pk,
    )
    current.priority = positions[current.pk]
    _with_actor(current, actor)
    current.save(update_fields=["priority"])
    return current


@transaction.atomic
def product_link_remove(*, link: ProductDeductionType, actor=None) -> None:
    """DT-10: unlink a type from a product and close the gap (DT-11). The type stays
    available to other products; case deductions of that type stay as they are."""
    sequence.lock_scope(links_scope(link.product_id))
    current = ProductDeductionType.objects.select_for_update().get(pk=link.pk)
    order = sequence.remove(_link_order(current.product_id), current.pk)
    _with_actor(current, actor)
    current.delete()
    _resequence(
        ProductDeductionType.objects.filter(product_id=current.product_id),
        sequence.priorities(order),
        actor=actor,
    )


@transaction.atomic
def deduction_type_create_for_product(
    *,
    product: Product,
    link_priority: int | None = None,
    actor=None,
    **type_fields: Any,
) -> ProductDeductionType:
    """DT-10: create a new type from a product; it is linked at once and stays available
    to other products. `type_fields` are those of deduction_type_create (including its
    global `priority`); `link_priority` places the link within the product, by default
    at the new type's priority (DT-11)."""
    _check_keys(type_fields, (*DEDUCTION_TYPE_FIELDS, "priority"))
    wanted_link = _priority_wanted(link_priority, field="link_priority")
    # Lock order: the product's links before the types (see the module docstring).
    sequence.lock_scope(links_scope(product.pk))
    deduction_type = deduction_type_create(actor=actor, **type_fields)
    return product_link_add(
        product=product, deduction_type=deduction_type, priority=wanted_link, actor=actor
    )
