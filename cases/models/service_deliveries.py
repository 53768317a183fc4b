"""Service deliveries and referrals of an integrated case (IC-5)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from participants.models import Participant

from .integrated_cases import IntegratedCase


class ServiceDelivery(models.Model):
    """A service delivered under an integrated case (IC-5)."""

    integrated_case = models.ForeignKey(
        IntegratedCase,
        on_delete=models.CASCADE,
        related_name="service_deliveries",
        verbose_name=_("Integrierter Fall"),
    )
    service = models.CharField(_("Service"), max_length=200)
    provider = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Dienstleister"),
    )
    start_date = models.DateField(_("Startdatum"))
    end_date = models.DateField(_("Enddatum"), null=True, blank=True)
    notes = models.TextField(_("Bemerkungen"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Servicebereitstellung")
        verbose_name_plural = _("Servicebereitstellungen")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                name="service_delivery_start_le_end",
                violation_error_message=_("„Startdatum“ darf nicht nach dem „Enddatum“ liegen."),
                condition=Q(end_date__isnull=True) | Q(start_date__lte=F("end_date")),
            )
        ]

    def __str__(self) -> str:
        return self.service


class Referral(models.Model):
    """A referral to a service (IC-5)."""

    integrated_case = models.ForeignKey(
        IntegratedCase,
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("Integrierter Fall"),
    )
    service = models.CharField(_("Service"), max_length=200)
    provider = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Dienstleister"),
    )
    referral_date = models.DateField(_("Überweisungsdatum"))
    reason = models.TextField(_("Grund"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Überweisung an einen Service")
        verbose_name_plural = _("Überweisungen an Services")
        ordering = ["-referral_date", "-id"]

    def __str__(self) -> str:
        return self.service
