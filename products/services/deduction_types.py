"""Deduction types (DT-1..9): validate, check an amount against the limits, create,
update, delete; priorities kept dense under the types scope."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.exceptions import Conflict, ValidationFailed
from config.history import history_stamp
from participants.models import ParticipantType

from .. import sequence
from ..errors import ProductError as E
from ..models import DeductionCategory, DeductionType, InsufficientBalanceAction, Product
from ..selectors import deduction_type_in_use, deduction_type_use_count
from .common import (
    _HUNDRED,
    _ZERO,
    DEDUCTION_TYPE_FIELDS,
    TYPES_SCOPE,
    _check_keys,
    _decimal,
    _full_clean,
    _money_text,
    _percent_text,
    _priority_wanted,
    _resequence,
    _type_order,
)

# Field → [(German message, code)], as ValidationFailed takes them.
FieldErrors = dict[str, list[tuple[str, str]]]


def deduction_type_validate(*, values: Mapping[str, Any]) -> dict[str, Any]:
    """DT-5 (and DT-1, DT-8, DT-9 inputs) on a complete set of type values: amounts ≥ 0,
    percentages 0–100, min ≤ max, default amount within min/max, default percentage ≤
    maximum percentage, allowed participant types known codes (at least one for applied
    and third-party types). Returns the normalised values; raises ValidationFailed naming
    every field at fault."""
    errors: dict[str, list[tuple[str, str]]] = {}
    result = dict(values)
    _check_name_and_choices(result, errors)
    _numbers(result, errors)
    _check_amount_bounds(result, errors)
    _check_default_percentage(result, errors)
    if "allowed_participant_types" in result:
        _participant_types(result, errors)
    if errors:
        raise ValidationFailed(errors=errors)
    return result


def _add(errors: FieldErrors, field: str, message: str, code: str) -> None:
    errors.setdefault(field, []).append((message, code))


def _check_name_and_choices(result: dict[str, Any], errors: FieldErrors) -> None:
    """A name (trimmed), a known category and a known insufficient-balance action."""
    if "name" in result:
        result["name"] = str(result["name"] or "").strip()
        if not result["name"]:
            _add(errors, "name", _("Bitte geben Sie einen Namen an."), E.NAME_MISSING)
    category = result.get("category")
    if "category" in result and category not in DeductionCategory.values:
        _add(
            errors,
            "category",
            _("Bitte wählen Sie eine gültige Abzugskategorie."),
            E.CATEGORY_INVALID,
        )
    action = result.get("insufficient_balance_action")
    if "insufficient_balance_action" in result and action not in InsufficientBalanceAction.values:
        _add(
            errors,
            "insufficient_balance_action",
            _("Bitte wählen Sie eine gültige Verarbeitungsaktion."),
            E.ACTION_INVALID,
        )


def _numbers(result: dict[str, Any], errors: FieldErrors) -> None:
    """Amounts and percentages as Decimal: amounts ≥ 0, percentages 0–100."""
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
                _add(errors, field, message, E.AMOUNT_NEGATIVE)
    percent_labels = {
        "max_percentage": _("Der maximale Prozentsatz muss zwischen 0 und 100 liegen."),
        "default_percentage": _("Der Standardprozentsatz muss zwischen 0 und 100 liegen."),
    }
    for field, message in percent_labels.items():
        if field in result:
            number = _decimal(result[field], field=field, errors=errors)
            result[field] = number
            if number is not None and not (_ZERO <= number <= _HUNDRED):
                _add(errors, field, message, E.PERCENTAGE_OUT_OF_RANGE)


def _check_amount_bounds(result: dict[str, Any], errors: FieldErrors) -> None:
    """Minimum ≤ maximum amount; the default amount within them (when both are valid)."""
    low, high = result.get("min_amount"), result.get("max_amount")
    default = result.get("default_amount")
    if "min_amount" in errors or "max_amount" in errors:
        return
    if low is not None and high is not None and low > high:
        _add(
            errors,
            "min_amount",
            _(
                "Der minimale Abzugsbetrag darf nicht höher sein als der maximale "
                "Abzugsbetrag (%(max)s)."
            )
            % {"max": _money_text(high)},
            E.MIN_ABOVE_MAX,
        )
    elif default is not None and "default_amount" not in errors:
        if low is not None and default < low:
            _add(
                errors,
                "default_amount",
                _(
                    "Der Standardbetrag darf nicht unter dem minimalen Abzugsbetrag "
                    "(%(min)s) liegen."
                )
                % {"min": _money_text(low)},
                E.DEFAULT_BELOW_MIN,
            )
        if high is not None and default > high:
            _add(
                errors,
                "default_amount",
                _("Der Standardbetrag darf nicht über dem maximalen Abzugsbetrag (%(max)s) liegen.")
                % {"max": _money_text(high)},
                E.DEFAULT_ABOVE_MAX,
            )


def _check_default_percentage(result: dict[str, Any], errors: FieldErrors) -> None:
    """The default percentage not above the maximum percentage."""
    top_pct, default_pct = result.get("max_percentage"), result.get("default_percentage")
    if (
        "max_percentage" not in errors
        and "default_percentage" not in errors
        and top_pct is not None
        and default_pct is not None
        and default_pct > top_pct
    ):
        _add(
            errors,
            "default_percentage",
            _("Der Standardprozentsatz darf nicht über dem maximalen Prozentsatz (%(max)s) liegen.")
            % {"max": _percent_text(top_pct)},
            E.DEFAULT_PERCENTAGE_ABOVE_MAX,
        )


def _participant_types(result: dict[str, Any], errors: FieldErrors) -> None:
    """Allowed participant types: known codes, each once; at least one for applied and
    third-party types."""
    raw = result["allowed_participant_types"]
    if raw is None:
        raw = []
    if isinstance(raw, str) or not isinstance(raw, Iterable):
        _add(
            errors,
            "allowed_participant_types",
            _("Bitte geben Sie eine Liste von Beteiligtentypen an."),
            E.PARTICIPANT_TYPES_NOT_A_LIST,
        )
        return
    codes: list[str] = []
    for code in raw:
        if code not in ParticipantType.values:
            _add(
                errors,
                "allowed_participant_types",
                _("Unbekannter Beteiligtentyp „%(code)s“.") % {"code": code},
                E.PARTICIPANT_TYPE_UNKNOWN,
            )
        elif code not in codes:
            codes.append(code)
    result["allowed_participant_types"] = codes
    if (
        "allowed_participant_types" not in errors
        and result.get("category") in (DeductionCategory.APPLIED, DeductionCategory.THIRD_PARTY)
        and not codes
    ):
        _add(
            errors,
            "allowed_participant_types",
            _(
                "Für ausgeführte Abzüge und Abzüge für Dritte muss mindestens ein "
                "zulässiger Beteiligtentyp gewählt werden."
            ),
            E.PARTICIPANT_TYPES_MISSING,
        )


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
    errors: dict[str, list[tuple[str, str]]] = {}
    name = deduction_type.name
    if amount is not None:
        value = _decimal(amount, field="amount", errors=errors)
        if value is not None:
            if value <= _ZERO:
                errors["amount"] = [
                    (_("Der Betrag muss größer als 0 sein."), E.AMOUNT_NOT_POSITIVE)
                ]
            elif deduction_type.max_amount is not None and value > deduction_type.max_amount:
                errors["amount"] = [
                    (
                        _(
                            "Der Betrag darf den maximalen Abzugsbetrag des Abzugstyps "
                            "„%(type)s“ von %(limit)s nicht überschreiten."
                        )
                        % {"type": name, "limit": _money_text(deduction_type.max_amount)},
                        E.AMOUNT_EXCEEDS_MAX,
                    )
                ]
            elif deduction_type.min_amount is not None and value < deduction_type.min_amount:
                errors["amount"] = [
                    (
                        _(
                            "Der Betrag darf den minimalen Abzugsbetrag des Abzugstyps "
                            "„%(type)s“ von %(limit)s nicht unterschreiten."
                        )
                        % {"type": name, "limit": _money_text(deduction_type.min_amount)},
                        E.AMOUNT_BELOW_MIN,
                    )
                ]
    if percentage is not None:
        value = _decimal(percentage, field="percentage", errors=errors)
        if value is not None:
            if value <= _ZERO or value > _HUNDRED:
                errors["percentage"] = [
                    (
                        _("Der Prozentsatz muss größer als 0 und höchstens 100 sein."),
                        E.PERCENTAGE_OUT_OF_RANGE,
                    )
                ]
            elif (
                deduction_type.max_percentage is not None and value > deduction_type.max_percentage
            ):
                errors["percentage"] = [
                    (
                        _(
                            "Der Prozentsatz darf den maximalen Prozentsatz des Abzugstyps "
                            "„%(type)s“ von %(limit)s nicht überschreiten."
                        )
                        % {"type": name, "limit": _percent_text(deduction_type.max_percentage)},
                        E.PERCENTAGE_EXCEEDS_MAX,
                    )
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
    user: User | None = None,
) -> DeductionType:
    """DT-1..9: a new deduction type. `priority` p puts it at p and shifts the types from
    p on by one (DT-6); None gives it the next free priority (DT-7)."""
    wanted = _priority_wanted(priority)
    values = deduction_type_validate(
        values={
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
    deduction_type = history_stamp(DeductionType(**values), user=user)
    _full_clean(deduction_type, exclude=["priority"])
    new = object()
    order = sequence.insert_at(_type_order(), new, wanted)
    positions = sequence.priorities(order)
    _resequence(
        DeductionType.objects.all(),
        {pk: prio for pk, prio in positions.items() if pk is not new},
        user=user,
    )
    deduction_type.priority = positions[new]
    deduction_type.save()
    return deduction_type


@transaction.atomic
def deduction_type_update(
    *, deduction_type: DeductionType, data: Mapping[str, Any], user: User | None = None
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
    values = deduction_type_validate(values=merged)
    changed = [f for f in DEDUCTION_TYPE_FIELDS if getattr(current, f) != values[f]]
    if "category" in changed and deduction_type_in_use(deduction_type=current):
        raise ValidationFailed(
            _(
                "Die Abzugskategorie kann nicht mehr geändert werden, weil der Abzugstyp "
                "bereits für Abzüge verwendet wird."
            ),
            field="category",
            code=E.CATEGORY_IN_USE,
        )
    for field in changed:
        setattr(current, field, values[field])
    history_stamp(current, user=user)
    _full_clean(current, exclude=["priority"])
    if move:
        order = sequence.move_to(_type_order(), current.pk, wanted)
        positions = sequence.priorities(order)
        if positions[current.pk] != current.priority:
            _resequence(DeductionType.objects.all(), positions, user=user, skip_pk=current.pk)
            current.priority = positions[current.pk]
            changed.append("priority")
    if changed:
        current.save()
    return current


def deduction_type_usage(*, deduction_type: DeductionType) -> tuple[list[str], int]:
    """Names of the products the type is linked to, and the number of case deductions
    that use it."""
    products = list(
        Product.objects.filter(deduction_type_links__deduction_type=deduction_type)
        .order_by("name")
        .values_list("name", flat=True)
    )
    return products, deduction_type_use_count(deduction_type=deduction_type)


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
def deduction_type_delete(*, deduction_type: DeductionType, user: User | None = None) -> None:
    """Remove an unused type and close the gap (DT-6). Refused (409) while the type is
    linked to a product or used by case deductions: they keep their type."""
    sequence.lock_scope(TYPES_SCOPE)
    current = DeductionType.objects.select_for_update().get(pk=deduction_type.pk)
    refusal = deduction_type_delete_refusal(deduction_type=current)
    if refusal:
        raise Conflict(refusal, code=E.DEDUCTION_TYPE_IN_USE)
    order = sequence.remove(_type_order(), current.pk)
    history_stamp(current, user=user)
    try:
        current.delete()
    except ProtectedError:
        raise Conflict(
            _("Der Abzugstyp „%(name)s“ wird noch verwendet und kann nicht gelöscht werden.")
            % {"name": current.name},
            code=E.DEDUCTION_TYPE_IN_USE,
        ) from None
    _resequence(DeductionType.objects.all(), sequence.priorities(order), user=user)
