"""Shared by the product writes: lock scopes, field lists, number input, history of
rows a resequencing moved (see the package docstring for the lock order)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _

from config.exceptions import ValidationFailed
from config.history import history_bulk
from config.money_format import format_money, format_percent

from .. import sequence
from ..errors import ProductError as E
from ..models import DeductionType, ProductDeductionType

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


def links_scope(*, product_id: int) -> str:
    return f"product-links:{product_id}"


def _money_text(value: Decimal) -> str:
    """50 → "50,00 €" (German) or "€50.00" (English), for messages."""
    return format_money(value)


def _percent_text(value: Decimal) -> str:
    return format_percent(value)


def _decimal(value: Any, *, field: str, errors: dict[str, list[tuple[str, str]]]) -> Decimal | None:
    """None stays None; numbers and numeric strings become Decimal; anything else is an
    error on `field`."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors.setdefault(field, []).append((_("Bitte geben Sie eine Zahl an."), E.NOT_A_NUMBER))
        return None
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append((_("Bitte geben Sie eine Zahl an."), E.NOT_A_NUMBER))
        return None
    if not result.is_finite():
        errors.setdefault(field, []).append((_("Bitte geben Sie eine Zahl an."), E.NOT_A_NUMBER))
        return None
    return result


def _full_clean(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc


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
        raise ValidationFailed(
            _("Die Priorität muss eine ganze Zahl sein."), field=field, code=E.PRIORITY_NOT_INTEGER
        )
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("Die Priorität muss eine ganze Zahl sein."), field=field, code=E.PRIORITY_NOT_INTEGER
        ) from None
    if number != Decimal(str(value)):
        raise ValidationFailed(
            _("Die Priorität muss eine ganze Zahl sein."), field=field, code=E.PRIORITY_NOT_INTEGER
        )
    if number < 1:
        raise ValidationFailed(
            _("Die Priorität muss mindestens 1 sein."), field=field, code=E.PRIORITY_BELOW_ONE
        )
    return number


def _resequence(
    queryset, wanted: dict[int, int], *, user: User, skip_pk: int | None = None
) -> None:
    """Write `wanted` (pk → priority) with apply_priorities and give every row whose
    priority it changed (other than `skip_pk`, which its caller saves itself) a history
    row with RESEQUENCE_REASON."""
    current = dict(queryset.filter(pk__in=list(wanted)).values_list("pk", "priority"))
    moved = [pk for pk, prio in wanted.items() if current.get(pk) != prio and pk != skip_pk]
    sequence.apply_priorities(queryset, wanted)
    if not moved:
        return
    rows = queryset.model._base_manager.filter(pk__in=moved).order_by("pk")
    history_bulk(rows, user=user, reason=RESEQUENCE_REASON)


def _type_order() -> list[int]:
    """Deduction type pks in priority order (ties, which the constraint forbids, by pk)."""
    return list(DeductionType.objects.order_by("priority", "pk").values_list("pk", flat=True))


def _link_order(product_id: int) -> list[int]:
    return list(
        ProductDeductionType.objects.filter(product_id=product_id)
        .order_by("priority", "pk")
        .values_list("pk", flat=True)
    )
