"""Records that follow a case's payments: saved simulations (SIM-3), client notices
(SIM-5) and the nightly run's schedule (PAY-13)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import ProductDeliveryCase
from config.dates import format_date
from products.models import MONEY

from . import Payment


class Simulation(models.Model):
    """A saved payment simulation (SIM-3): the result exactly as the API returned it,
    with a name and a note, and its totals kept beside it so that lists need not read
    every payment (a ten-year simulation holds about a thousand)."""

    case = models.ForeignKey(
        ProductDeliveryCase,
        on_delete=models.CASCADE,
        related_name="simulations",
        verbose_name=_("Produktbereitstellungsfall"),
    )
    name = models.CharField(_("Name"), max_length=200, blank=True)
    note = models.TextField(_("Notiz"), blank=True)
    up_to = models.DateField(_("Simuliert bis"))
    payments = models.JSONField(_("Zahlungen"), default=list)
    payment_count = models.PositiveIntegerField(_("Anzahl Zahlungen"), default=0)
    total_gross = models.DecimalField(_("Summe brutto"), default=0, **MONEY)
    total_deducted = models.DecimalField(_("Summe Abzüge"), default=0, **MONEY)
    total_net = models.DecimalField(_("Summe netto"), default=0, **MONEY)
    skipped_count = models.PositiveIntegerField(_("Übersprungene Abzüge"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Angelegt von"),
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Simulation")
        verbose_name_plural = _("Simulationen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="simulation_totals_not_negative",
                violation_error_message=_("Die Summen einer Simulation dürfen nicht negativ sein."),
                condition=models.Q(total_gross__gte=0, total_deducted__gte=0, total_net__gte=0),
            ),
        ]

    def __str__(self) -> str:
        if self.name:
            return self.name
        return f"{_('Simulation')} {self.pk} ({format_date(self.up_to)})"


class NoticeKind(models.TextChoices):
    DEDUCTION_CREATED = "deduction_created", _("Abzug angelegt")
    DEDUCTION_CHANGED = "deduction_changed", _("Abzug geändert")
    DEDUCTION_ENDED = "deduction_ended", _("Abzug beendet")
    PAYMENT = "payment", _("Zahlung")


class Notice(models.Model):
    """A client notice issued (SIM-5, Mitteilung über Abzüge). ``facts`` is the frozen
    snapshot of everything the notice shows, taken when it was issued, so that it prints
    again identically however the case changes later; ``facts_digest`` names that version
    of the facts (SHA-256 of their canonical JSON)."""

    case = models.ForeignKey(
        ProductDeliveryCase,
        on_delete=models.PROTECT,
        related_name="notices",
        verbose_name=_("Produktbereitstellungsfall"),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=NoticeKind.choices)
    deduction = models.ForeignKey(
        "deductions.Deduction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Abzug"),
    )
    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("Zahlung"),
    )
    facts = models.JSONField(_("Inhalt bei Ausstellung"))
    facts_digest = models.CharField(_("Version des Inhalts"), max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Ausgestellt von"),
    )
    issued_at = models.DateTimeField(_("Ausgestellt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Mitteilung über Abzüge")
        verbose_name_plural = _("Mitteilungen über Abzüge")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="notice_kind_valid",
                violation_error_message=_("„Art“ muss eine der vorgesehenen Bescheidarten sein."),
                condition=models.Q(kind__in=[choice.value for choice in NoticeKind]),
            ),
            models.CheckConstraint(
                name="notice_subject_matches_kind",
                violation_error_message=_(
                    "Ein Zahlungsbescheid gehört zu einer „Zahlung“, ein Abzugsbescheid zu einem "
                    "„Abzug“."
                ),
                condition=(
                    models.Q(kind=NoticeKind.PAYMENT)
                    & models.Q(payment__isnull=False)
                    & models.Q(deduction__isnull=True)
                )
                | (
                    ~models.Q(kind=NoticeKind.PAYMENT)
                    & models.Q(deduction__isnull=False)
                    & models.Q(payment__isnull=True)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Mitteilung')} {self.pk} ({self.get_kind_display()})"


class PaymentRunSchedule(models.Model):
    """When the nightly payment run starts (PAY-13): one row, changed in admin as a time
    of day. payments.services.schedule keeps django-celery-beat's cron entry of the
    nightly task in step with it; simple-history records who changed it and when."""

    run_time = models.TimeField(
        _("Uhrzeit des nächtlichen Zahlungslaufs"),
        help_text=_("Uhrzeit (Europe/Berlin), zu der der Zahlungslauf jede Nacht startet."),
    )
    enabled = models.BooleanField(
        _("Aktiv"),
        default=True,
        help_text=_("Ausgeschaltet startet kein nächtlicher Zahlungslauf."),
    )
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Zeitplan des nächtlichen Zahlungslaufs")
        verbose_name_plural = _("Zeitplan des nächtlichen Zahlungslaufs")

    def __str__(self) -> str:
        return f"{_('Nächtlicher Zahlungslauf')} {self.run_time:%H:%M}"
