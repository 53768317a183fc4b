"""Product delivery cases (IC-6), nominees (IC-7), case components (IC-8) and the
financial components payments are made from (IC-9)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from participants.models import Participant
from products.models import MONEY, ComponentType, PaymentFrequency, Product

from .integrated_cases import IntegratedCase


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Offen")
    ACTIVE = "active", _("Aktiv")
    SUSPENDED = "suspended", _("Ausgesetzt")
    CLOSED = "closed", _("Geschlossen")


class ProductDeliveryCase(models.Model):
    reference = models.CharField(_("Referenz"), max_length=20, unique=True)
    integrated_case = models.ForeignKey(
        IntegratedCase,
        on_delete=models.PROTECT,
        related_name="product_delivery_cases",
        verbose_name=_("Integrierter Fall"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="cases", verbose_name=_("Leistungsprodukt")
    )
    primary_client = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="product_delivery_cases",
        verbose_name=_("Hauptbeteiligter"),
    )
    start_date = models.DateField(_("Startdatum"))
    expected_end_date = models.DateField(
        _("Voraussichtliches Fall-Enddatum"), null=True, blank=True
    )
    status = FSMField(
        _("Status"), default=CaseStatus.OPEN, choices=CaseStatus.choices, protected=True
    )
    case_supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervised_cases",
        verbose_name=_("Fall-Supervisor"),
    )
    override_max_deduction_rate = models.BooleanField(
        _("Maximalen Abzugssatz überschreiben"), default=False
    )
    nominees = models.ManyToManyField(
        Participant,
        through="Nominee",
        related_name="nominated_cases",
        verbose_name=_("Leistungsempfänger"),
    )
    activated_on = models.DateField(_("Aktiviert am"), null=True, blank=True)
    closed_on = models.DateField(_("Geschlossen am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Angelegt von"),
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[])

    class Meta:
        verbose_name = _("Produktbereitstellungsfall")
        verbose_name_plural = _("Produktbereitstellungsfälle")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                name="pdc_start_le_expected_end",
                violation_error_message=_(
                    "„Startdatum“ darf nicht nach dem „Voraussichtlichen Fall-Enddatum“ liegen."
                ),
                condition=Q(expected_end_date__isnull=True)
                | Q(start_date__lte=F("expected_end_date")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.product.name}"

    @property
    def frequency(self) -> str:
        return self.product.payment_frequency

    @transition(field=status, source=CaseStatus.OPEN, target=CaseStatus.ACTIVE)
    def activate(self, *, on) -> None:
        self.activated_on = on

    @transition(field=status, source=CaseStatus.ACTIVE, target=CaseStatus.SUSPENDED)
    def suspend(self) -> None:
        pass

    @transition(field=status, source=CaseStatus.SUSPENDED, target=CaseStatus.ACTIVE)
    def resume(self) -> None:
        pass

    @transition(
        field=status,
        source=[CaseStatus.OPEN, CaseStatus.ACTIVE, CaseStatus.SUSPENDED],
        target=CaseStatus.CLOSED,
    )
    def close(self, *, on) -> None:
        self.closed_on = on


class Nominee(models.Model):
    """A participant who receives payment for a product delivery case (IC-7)."""

    case = models.ForeignKey(
        ProductDeliveryCase,
        on_delete=models.CASCADE,
        related_name="nominee_links",
        verbose_name=_("Produktbereitstellungsfall"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="nominee_links",
        verbose_name=_("Leistungsempfänger"),
    )
    added_on = models.DateField(_("Hinzugefügt am"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Leistungsempfänger")
        verbose_name_plural = _("Leistungsempfänger")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "participant"], name="nominee_unique")
        ]

    def __str__(self) -> str:
        return str(self.participant)


class CaseComponent(models.Model):
    """A component of a product delivery case: amount per period for one nominee (IC-8)."""

    case = models.ForeignKey(
        ProductDeliveryCase,
        on_delete=models.CASCADE,
        related_name="components",
        verbose_name=_("Produktbereitstellungsfall"),
    )
    component_type = models.ForeignKey(
        ComponentType, on_delete=models.PROTECT, verbose_name=_("Komponententyp")
    )
    nominee = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Leistungsempfänger"),
    )
    amount = models.DecimalField(_("Betrag je Zahlungszeitraum"), **MONEY)
    start_date = models.DateField(_("Startdatum"))
    end_date = models.DateField(_("Enddatum"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Fallkomponente")
        verbose_name_plural = _("Fallkomponenten")
        ordering = ["case", "id"]
        constraints = [
            models.CheckConstraint(
                name="case_component_amount_positive",
                violation_error_message=_("„Betrag je Zahlungszeitraum“ muss größer als 0 sein."),
                condition=Q(amount__gt=0),
            ),
            models.CheckConstraint(
                name="case_component_start_le_end",
                violation_error_message=_("„Startdatum“ darf nicht nach dem „Enddatum“ liegen."),
                condition=Q(end_date__isnull=True) | Q(start_date__lte=F("end_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component_type.name}: {self.amount}"


class DeliveryMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Überweisung")
    CHEQUE = "cheque", _("Scheck")
    CASH = "cash", _("Bar")


class FinancialComponent(models.Model):
    """What payments are generated from (IC-9): created on activation, regenerated from the
    change date on reassessment (the old one is ended the day before)."""

    case = models.ForeignKey(
        ProductDeliveryCase,
        on_delete=models.CASCADE,
        related_name="financial_components",
        verbose_name=_("Produktbereitstellungsfall"),
    )
    component = models.ForeignKey(
        CaseComponent,
        on_delete=models.CASCADE,
        related_name="financial_components",
        verbose_name=_("Fallkomponente"),
    )
    nominee = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Leistungsempfänger"),
    )
    amount = models.DecimalField(_("Betrag"), **MONEY)
    delivery_method = models.CharField(
        _("Zahlungsweg"),
        max_length=20,
        choices=DeliveryMethod.choices,
        default=DeliveryMethod.BANK_TRANSFER,
    )
    frequency = models.CharField(_("Häufigkeit"), max_length=20, choices=PaymentFrequency.choices)
    start_date = models.DateField(_("Gültig ab"))
    end_date = models.DateField(_("Gültig bis"), null=True, blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Finanzkomponente")
        verbose_name_plural = _("Finanzkomponenten")
        ordering = ["case", "component", "start_date"]
        constraints = [
            models.CheckConstraint(
                name="financial_component_start_le_end",
                violation_error_message=_("„Startdatum“ darf nicht nach dem „Enddatum“ liegen."),
                condition=Q(end_date__isnull=True) | Q(start_date__lte=F("end_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component} ab {self.start_date}"
