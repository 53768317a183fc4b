"""Applications for products with an application process (IC-2)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from participants.models import Participant
from products.models import Product

from .delivery_cases import ProductDeliveryCase
from .integrated_cases import IntegratedCaseType


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Eingereicht")
    APPROVED = "approved", _("Genehmigt")
    REJECTED = "rejected", _("Abgelehnt")


class Application(models.Model):
    """An application for a product (IC-2); approval creates the cases."""

    applicant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("Antragsteller"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, verbose_name=_("Leistungsprodukt")
    )
    case_type = models.ForeignKey(
        IntegratedCaseType, on_delete=models.PROTECT, verbose_name=_("Typ des integrierten Falls")
    )
    submitted_on = models.DateField(_("Eingereicht am"))
    requested_start_date = models.DateField(_("Gewünschtes Startdatum"))
    status = FSMField(
        _("Status"),
        default=ApplicationStatus.SUBMITTED,
        choices=ApplicationStatus.choices,
        protected=True,
    )
    decided_on = models.DateField(_("Entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Entschieden von"),
    )
    product_delivery_case = models.OneToOneField(
        ProductDeliveryCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("Produktbereitstellungsfall"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Angelegt von"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Antrag {self.pk} – {self.product}"

    @transition(field=status, source=ApplicationStatus.SUBMITTED, target=ApplicationStatus.APPROVED)
    def approve(self, *, by, on) -> None:
        self.decided_by = by
        self.decided_on = on

    @transition(field=status, source=ApplicationStatus.SUBMITTED, target=ApplicationStatus.REJECTED)
    def reject(self, *, by, on) -> None:
        self.decided_by = by
        self.decided_on = on
