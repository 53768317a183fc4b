"""Liabilities of participants (LI-1)."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from participants.models import Participant
from products.models import MONEY


class LiabilityStatus(models.TextChoices):
    OPEN = "open", _("Offen")
    SETTLED = "settled", _("Beglichen")


class Liability(models.Model):
    """A debt owed by a participant, e.g. an overpayment (LI-1). Applied deductions reduce
    `outstanding_amount` with F() updates; it never goes below zero (database check)."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="liabilities",
        verbose_name=_("Beteiligter"),
    )
    liability_case_id = models.CharField(
        _("ID des Verbindlichkeitsfalls"), max_length=40, unique=True
    )
    description = models.CharField(_("Beschreibung"), max_length=200, blank=True)
    original_amount = models.DecimalField(_("Ursprungsbetrag"), **MONEY)
    outstanding_amount = models.DecimalField(_("Ausstehender Betrag"), **MONEY)
    status = models.CharField(
        _("Status"), max_length=10, choices=LiabilityStatus.choices, default=LiabilityStatus.OPEN
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    settled_on = models.DateField(_("Beglichen am"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Verbindlichkeit")
        verbose_name_plural = _("Verbindlichkeiten")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                name="liability_amounts_valid",
                violation_error_message=_(
                    "„Ursprungsbetrag“ muss größer als 0 sein und „Ausstehender Betrag“ zwischen "
                    "0 und dem Ursprungsbetrag liegen."
                ),
                condition=Q(original_amount__gt=0)
                & Q(outstanding_amount__gte=0)
                & Q(outstanding_amount__lte=F("original_amount")),
            ),
            models.CheckConstraint(
                name="liability_settled_iff_zero",
                violation_error_message=_(
                    "„Status“ ist „Beglichen“ genau dann, wenn der „Ausstehende Betrag“ 0 ist."
                ),
                condition=(Q(status=LiabilityStatus.SETTLED) & Q(outstanding_amount=Decimal("0")))
                | (Q(status=LiabilityStatus.OPEN) & Q(outstanding_amount__gt=0)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.liability_case_id} ({self.outstanding_amount} / {self.original_amount})"
