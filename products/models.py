"""Benefit products with their deduction settings (PR-1..3), component types, deduction
types (DT-1..9) and product–type links (DT-10..11)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MONEY = {"max_digits": 12, "decimal_places": 2}
PERCENT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
}


class PaymentFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Wöchentlich")
    FORTNIGHTLY = "fortnightly", _("Vierzehntäglich")
    FOUR_WEEKLY = "four_weekly", _("Vierwöchentlich")
    MONTHLY = "monthly", _("Monatlich")


class Product(models.Model):
    name = models.CharField(_("Name"), max_length=200, unique=True)
    payment_frequency = models.CharField(
        _("Zahlungshäufigkeit"), max_length=20, choices=PaymentFrequency.choices
    )
    max_deduction_rate = models.DecimalField(_("Maximaler Abzugssatz (%)"), **PERCENT)
    min_deduction_amount = models.DecimalField(
        _("Mindestabzugsbetrag"), default=Decimal("0.00"), **MONEY
    )
    min_payment_amount = models.DecimalField(
        _("Minimaler Zahlungsbetrag"), default=Decimal("0.00"), **MONEY
    )
    tax_rate = models.DecimalField(_("Steueranpassung (%)"), null=True, blank=True, **PERCENT)
    # IC-2: products with an application process get their cases from approved applications.
    has_application_process = models.BooleanField(_("Mit Anliegenverfahren"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Leistungsprodukt")
        verbose_name_plural = _("Leistungsprodukte")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="product_max_deduction_rate_0_100",
                violation_error_message=_(
                    "„Maximaler Abzugssatz (%)“ muss zwischen 0 und 100 liegen."
                ),
                condition=Q(max_deduction_rate__gte=0) & Q(max_deduction_rate__lte=100),
            ),
            models.CheckConstraint(
                name="product_tax_rate_0_100",
                violation_error_message=_("„Steueranpassung (%)“ muss zwischen 0 und 100 liegen."),
                condition=Q(tax_rate__isnull=True) | (Q(tax_rate__gte=0) & Q(tax_rate__lte=100)),
            ),
            models.CheckConstraint(
                name="product_min_amounts_not_negative",
                violation_error_message=_(
                    "„Mindestabzugsbetrag“ und „Minimaler Zahlungsbetrag“ dürfen nicht negativ "
                    "sein."
                ),
                condition=Q(min_deduction_amount__gte=0) & Q(min_payment_amount__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ComponentType(models.Model):
    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="component_types",
        verbose_name=_("Leistungsprodukt"),
    )
    name = models.CharField(_("Name"), max_length=200)
    deductible = models.BooleanField(_("Abzugsfähig"), default=True)
    taxable = models.BooleanField(_("Steuerpflichtig"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Komponententyp")
        verbose_name_plural = _("Komponententypen")
        ordering = ["product", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="component_type_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class DeductionCategory(models.TextChoices):
    APPLIED = "applied", _("Ausgeführt")
    UNAPPLIED = "unapplied", _("Nicht ausgeführt")
    THIRD_PARTY = "third_party", _("Dritte")


class InsufficientBalanceAction(models.TextChoices):
    SKIP = "skip", _("Abzug überspringen")
    PARTIAL = "partial", _("Teilbetrag abziehen")


class DeductionType(models.Model):
    name = models.CharField(_("Name"), max_length=100, unique=True)
    category = models.CharField(
        _("Abzugskategorie"), max_length=20, choices=DeductionCategory.choices
    )
    max_amount = models.DecimalField(_("Maximaler Abzugsbetrag"), null=True, blank=True, **MONEY)
    min_amount = models.DecimalField(_("Minimaler Abzugsbetrag"), null=True, blank=True, **MONEY)
    default_amount = models.DecimalField(_("Standardbetrag"), null=True, blank=True, **MONEY)
    max_percentage = models.DecimalField(
        _("Maximaler Prozentsatz"), null=True, blank=True, **PERCENT
    )
    default_percentage = models.DecimalField(
        _("Standardprozentsatz"), null=True, blank=True, **PERCENT
    )
    # Dense 1..n over all types (DT-6); maintained only through products.sequence.
    priority = models.PositiveIntegerField(_("Priorität"))
    # Participant type codes allowed as liability holder (applied) or payee (third party).
    allowed_participant_types = models.JSONField(
        _("Zulässige Beteiligtentypen"), default=list, blank=True
    )
    insufficient_balance_action = models.CharField(
        _("Verarbeitungsaktion"),
        max_length=10,
        choices=InsufficientBalanceAction.choices,
        default=InsufficientBalanceAction.SKIP,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Abzugstyp")
        verbose_name_plural = _("Abzugstypen")
        ordering = ["priority"]
        constraints = [
            models.UniqueConstraint(fields=["priority"], name="deduction_type_unique_priority"),
            models.CheckConstraint(
                name="deduction_type_priority_positive",
                violation_error_message=_("„Priorität“ muss mindestens 1 sein."),
                condition=Q(priority__gte=1),
            ),
            models.CheckConstraint(
                name="deduction_type_min_le_max",
                violation_error_message=_(
                    "„Minimaler Abzugsbetrag“ darf nicht größer sein als „Maximaler Abzugsbetrag“."
                ),
                condition=Q(min_amount__isnull=True)
                | Q(max_amount__isnull=True)
                | Q(min_amount__lte=F("max_amount")),
            ),
            models.CheckConstraint(
                name="deduction_type_default_amount_le_max",
                violation_error_message=_(
                    "„Standardbetrag“ darf nicht größer sein als „Maximaler Abzugsbetrag“."
                ),
                condition=Q(default_amount__isnull=True)
                | Q(max_amount__isnull=True)
                | Q(default_amount__lte=F("max_amount")),
            ),
            models.CheckConstraint(
                name="deduction_type_default_amount_ge_min",
                violation_error_message=_(
                    "„Standardbetrag“ darf nicht kleiner sein als „Minimaler Abzugsbetrag“."
                ),
                condition=Q(default_amount__isnull=True)
                | Q(min_amount__isnull=True)
                | Q(default_amount__gte=F("min_amount")),
            ),
            models.CheckConstraint(
                name="deduction_type_default_pct_le_max",
                violation_error_message=_(
                    "„Standardprozentsatz“ darf nicht größer sein als „Maximaler Prozentsatz“."
                ),
                condition=Q(default_percentage__isnull=True)
                | Q(max_percentage__isnull=True)
                | Q(default_percentage__lte=F("max_percentage")),
            ),
            models.CheckConstraint(
                name="deduction_type_amounts_not_negative",
                violation_error_message=_(
                    "„Minimaler Abzugsbetrag“, „Maximaler Abzugsbetrag“ und „Standardbetrag“ "
                    "dürfen nicht negativ sein."
                ),
                condition=(Q(min_amount__isnull=True) | Q(min_amount__gte=0))
                & (Q(max_amount__isnull=True) | Q(max_amount__gte=0))
                & (Q(default_amount__isnull=True) | Q(default_amount__gte=0)),
            ),
            models.CheckConstraint(
                name="deduction_type_percentages_0_100",
                violation_error_message=_(
                    "„Maximaler Prozentsatz“ und „Standardprozentsatz“ müssen zwischen 0 und 100 "
                    "liegen."
                ),
                condition=(
                    Q(max_percentage__isnull=True)
                    | (Q(max_percentage__gte=0) & Q(max_percentage__lte=100))
                )
                & (
                    Q(default_percentage__isnull=True)
                    | (Q(default_percentage__gte=0) & Q(default_percentage__lte=100))
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def allows_participant_type(self, participant_type: str) -> bool:
        return participant_type in (self.allowed_participant_types or [])


class ProductDeductionType(models.Model):
    """A deduction type linked to a product, with its priority within that product (DT-11)."""

    product = models.ForeignKey(
        Product,
        on_delete=models.CASCADE,
        related_name="deduction_type_links",
        verbose_name=_("Leistungsprodukt"),
    )
    deduction_type = models.ForeignKey(
        DeductionType,
        on_delete=models.PROTECT,
        related_name="product_links",
        verbose_name=_("Abzugstyp"),
    )
    priority = models.PositiveIntegerField(_("Priorität"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Verknüpfter Abzugstyp")
        verbose_name_plural = _("Verknüpfte Abzugstypen")
        ordering = ["product", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "deduction_type"], name="product_deduction_type_unique"
            ),
            models.UniqueConstraint(
                fields=["product", "priority"], name="product_deduction_type_unique_priority"
            ),
            models.CheckConstraint(
                name="product_link_priority_positive",
                violation_error_message=_("„Priorität“ muss mindestens 1 sein."),
                condition=Q(priority__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} – {self.deduction_type} ({self.priority})"
