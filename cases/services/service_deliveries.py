"""Service deliveries and referrals of an integrated case (IC-5)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from config.exceptions import ValidationFailed
from config.history import history_stamp
from participants.models import Participant, ParticipantType

from ..models import IntegratedCase, Referral, ServiceDelivery
from .common import _ended_message, _require_open_integrated_case, _today

# IC-5: who may provide a service delivery or take a referral.
SERVICE_PROVIDER_TYPES = (
    ParticipantType.SERVICE_PROVIDER,
    ParticipantType.PRODUCT_PROVIDER,
    ParticipantType.INFORMATION_PROVIDER,
    ParticipantType.EXTERNAL_PARTY,
)


def _check_provider(provider: Participant | None) -> None:
    if provider is None:
        return
    if provider.type not in SERVICE_PROVIDER_TYPES:
        raise ValidationFailed(
            _(
                "Anbieter können Dienstleister, Produktanbieter, Informationsanbieter oder "
                "externe Parteien sein."
            ),
            field="provider",
        )
    if provider.is_ended:
        raise ValidationFailed(_ended_message(provider), field="provider")


def _service_name(service: str) -> str:
    service = (service or "").strip()
    if not service:
        raise ValidationFailed(_("Bitte geben Sie den Service an."), field="service")
    if len(service) > 200:
        raise ValidationFailed(_("Höchstens 200 Zeichen."), field="service")
    return service


@transaction.atomic
def service_delivery_create(
    *,
    integrated_case: IntegratedCase,
    service: str,
    start_date: date | None,
    user: User,
    provider: Participant | None = None,
    end_date: date | None = None,
    notes: str = "",
) -> ServiceDelivery:
    ic = IntegratedCase.objects.select_for_update().get(pk=integrated_case.pk)
    _require_open_integrated_case(ic)
    service = _service_name(service)
    if start_date is None:
        raise ValidationFailed(_("Bitte geben Sie das Startdatum an."), field="start_date")
    if end_date is not None and end_date < start_date:
        raise ValidationFailed(
            _("Das Enddatum darf nicht vor dem Startdatum liegen."), field="end_date"
        )
    _check_provider(provider)
    delivery = ServiceDelivery(
        integrated_case=ic,
        service=service,
        provider=provider,
        start_date=start_date,
        end_date=end_date,
        notes=notes or "",
    )
    history_stamp(delivery, user=user, reason=_("Angelegt"))
    delivery.save()
    return delivery


@transaction.atomic
def referral_create(
    *,
    integrated_case: IntegratedCase,
    service: str,
    user: User,
    provider: Participant | None = None,
    referral_date: date | None = None,
    reason: str = "",
) -> Referral:
    ic = IntegratedCase.objects.select_for_update().get(pk=integrated_case.pk)
    _require_open_integrated_case(ic)
    service = _service_name(service)
    _check_provider(provider)
    referral_date = referral_date or _today()
    if referral_date < ic.opened_on:
        raise ValidationFailed(
            _("Das Überweisungsdatum darf nicht vor der Eröffnung des Falls liegen."),
            field="referral_date",
        )
    referral = Referral(
        integrated_case=ic,
        service=service,
        provider=provider,
        referral_date=referral_date,
        reason=reason or "",
    )
    history_stamp(referral, user=user, reason=_("Angelegt"))
    referral.save()
    return referral
