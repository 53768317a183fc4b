"""Case components (IC-8) and the financial components payments are made from (IC-9),
with reassessment."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from config.dates import format_date
from config.exceptions import ValidationFailed
from config.history import history_stamp
from participants.models import Participant
from products.models import ComponentType

from ..models import (
    CaseComponent,
    CaseStatus,
    DeliveryMethod,
    FinancialComponent,
    Nominee,
    ProductDeliveryCase,
)
from .common import _amount, _require_not_closed_pdc


def _delivery_method(nominee: Participant) -> str:
    """Bank transfer when the nominee has a bank account, otherwise a cheque."""
    if nominee.bank_accounts.exists():
        return DeliveryMethod.BANK_TRANSFER
    return DeliveryMethod.CHEQUE


def financial_components_follow_frequency(*, product_id: int, frequency: str) -> int:
    """IC-9: the financial components of a product's cases copy its payment frequency;
    when the product's frequency changes (only allowed before any payment), they follow.
    One UPDATE; returns the number of components changed."""
    return (
        FinancialComponent.objects.filter(case__product_id=product_id)
        .exclude(frequency=frequency)
        .update(frequency=frequency)
    )


def _financial_component(
    component: CaseComponent, *, start: date, end: date | None, amount: Decimal, method=None
) -> FinancialComponent:
    case = component.case
    return FinancialComponent(
        case=case,
        component=component,
        nominee=component.nominee,
        amount=amount,
        delivery_method=method or _delivery_method(component.nominee),
        frequency=case.product.payment_frequency,
        start_date=start,
        end_date=end,
    )


@transaction.atomic
def component_add(
    *,
    case: ProductDeliveryCase,
    component_type: ComponentType,
    amount: Decimal | int | float | str | None,
    nominee: Participant,
    user: User,
    start_date: date | None = None,
    end_date: date | None = None,
) -> CaseComponent:
    """IC-8: a component of the case's product, an amount per period (> 0) for one of the
    case's nominees, from start (default: case start) to an optional end. On an active case
    its financial component is created at once (IC-9)."""
    locked = (
        ProductDeliveryCase.objects.select_for_update().select_related("product").get(pk=case.pk)
    )
    _require_not_closed_pdc(locked)
    if component_type.product_id != locked.product_id:
        raise ValidationFailed(
            _("Der Komponententyp „%(ct)s“ gehört nicht zum Leistungsprodukt „%(p)s“ dieses Falls.")
            % {"ct": component_type.name, "p": locked.product.name},
            field="component_type",
        )
    if not Nominee.objects.filter(case=locked, participant=nominee).exists():
        raise ValidationFailed(
            _("%(name)s ist kein Leistungsempfänger dieses Falls.") % {"name": nominee.name},
            field="nominee",
        )
    value = _amount(amount, field="amount", positive=True)
    start_date = start_date or locked.start_date
    if start_date < locked.start_date:
        raise ValidationFailed(
            _("Die Komponente kann nicht vor dem Fallbeginn (%(d)s) beginnen.")
            % {"d": format_date(locked.start_date)},
            field="start_date",
        )
    if end_date is not None and end_date < start_date:
        raise ValidationFailed(
            _("Das Enddatum darf nicht vor dem Startdatum liegen."), field="end_date"
        )
    component = CaseComponent(
        case=locked,
        component_type=component_type,
        nominee=nominee,
        amount=value,
        start_date=start_date,
        end_date=end_date,
    )
    component.full_clean()
    history_stamp(component, user=user, reason=_("Angelegt"))
    component.save()
    if locked.status in (CaseStatus.ACTIVE, CaseStatus.SUSPENDED):
        _financial_component(component, start=start_date, end=end_date, amount=value).save()
    return component


@transaction.atomic
def component_reassess(
    *,
    component: CaseComponent,
    amount: Decimal | int | float | str | None,
    effective_from: date,
    user: User,
) -> CaseComponent:
    """IC-9 reassessment: the amount changes from `effective_from`. On an active case the
    financial component covering that day ends the day before and a new one starts on it
    (later ones are replaced); the case component carries the new current amount."""
    locked_case = ProductDeliveryCase.objects.select_for_update().get(pk=component.case_id)
    _require_not_closed_pdc(locked_case)
    comp = CaseComponent.objects.select_for_update().select_related("nominee").get(pk=component.pk)
    value = _amount(amount, field="amount", positive=True)
    if effective_from is None:
        raise ValidationFailed(_("Bitte geben Sie das Änderungsdatum an."), field="effective_from")
    if effective_from < comp.start_date or (comp.end_date and effective_from > comp.end_date):
        raise ValidationFailed(
            _("Das Änderungsdatum muss in der Laufzeit der Komponente liegen."),
            field="effective_from",
        )
    if value == comp.amount:
        raise ValidationFailed(_("Der Betrag ist unverändert."), field="amount")
    if locked_case.status in (CaseStatus.ACTIVE, CaseStatus.SUSPENDED):
        fcs = list(
            FinancialComponent.objects.select_for_update()
            .filter(component=comp)
            .order_by("start_date", "id")
        )
        method = fcs[-1].delivery_method if fcs else None
        for fc in fcs:
            if fc.start_date >= effective_from:
                fc.delete()
            elif fc.end_date is None or fc.end_date >= effective_from:
                fc.end_date = effective_from - timedelta(days=1)
                fc.save(update_fields=["end_date"])
        comp.case = locked_case
        _financial_component(
            comp, start=effective_from, end=comp.end_date, amount=value, method=method
        ).save()
    comp.amount = value
    history_stamp(
        comp, user=user, reason=_("Neubewertung ab %(d)s") % {"d": format_date(effective_from)}
    )
    comp.save(update_fields=["amount"])
    return comp
