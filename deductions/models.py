"""Case deductions (CD-1..16): what is taken from a product delivery case's payments,
for whom, in which order, and where it stands in its lifecycle."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from cases.models import CaseComponent, Liability, ProductDeliveryCase
from participants.models import Participant
from products.models import MONEY, PERCENT, DeductionCategory, DeductionType


class DeductionStatus(models.TextChoices):
    INACTIVE = "inactive", _("Inaktiv")
    ACTIVE = "active", _("Aktiv")
    PROCESSED = "processed", _("Verarbeitet")
    SKIPPED = "skipped", _("Übersprungen")
    CANCELLED = "cancelled", _("Abgebrochen")


class BusinessStatus(models.TextChoices):
    PENDING = "pending", _("Ausstehend")
    IN_FORCE = "in_force", _("In Kraft")
    EXPIRED = "expired", _("Abgelaufen")
    LIABILITY_SETTLED = "liability_settled", _("Verbindlichkeit beglichen")


# Statuses in which a deduction takes part in payment processing (PAY-5).
IN_FORCE_STATUSES = (DeductionStatus.ACTIVE, DeductionStatus.PROCESSED, DeductionStatus.SKIPPED)


def _never_processed(instance) -> bool:
    return not instance.processed_total


class Deduction(FSMModelMixin, models.Model):
    # Lookups by case use ``deduction_case_id_type_unique`` (case first) below.
    case = models.ForeignKey(
        ProductDeliveryCase,
        on_delete=models.PROTECT,
        related_name="deductions",
        verbose_name=_("Produktbereitstellungsfall"),
        db_index=False,
    )
    deduction_type = models.ForeignKey(
        DeductionType,
        on_delete=models.PROTECT,
        related_name="deductions",
        verbose_name=_("Abzugstyp"),
    )
    # Copied from the type at creation, so filters and constraints need no join.
    category = models.CharField(
        _("Abzugskategorie"), max_length=20, choices=DeductionCategory.choices
    )
    amount = models.DecimalField(_("Fester Betrag"), null=True, blank=True, **MONEY)
    percentage = models.DecimalField(_("Variabler Satz (%)"), null=True, blank=True, **PERCENT)
    nominee = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Leistungsempfänger"),
    )
    component = models.ForeignKey(
        CaseComponent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deductions",
        verbose_name=_("Fallkomponente"),
    )
    all_nominees = models.BooleanField(_("Alle Leistungsempfänger"), default=False)
    start_date = models.DateField(_("Startdatum"))
    end_date = models.DateField(_("Enddatum"))
    priority = models.PositiveIntegerField(_("Priorität"))
    status = FSMField(
        _("Status"),
        default=DeductionStatus.INACTIVE,
        choices=DeductionStatus.choices,
        protected=True,
    )
    # Applied (CD-3).
    liability = models.ForeignKey(
        Liability,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deductions",
        verbose_name=_("Verbindlichkeit"),
    )
    # Third party (CD-4).
    third_party = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="third_party_deductions",
        verbose_name=_("Dritter"),
    )
    third_party_account_number = models.CharField(_("Kontonummer"), max_length=34, blank=True)
    third_party_reference = models.CharField(_("Referenznummer"), max_length=60, blank=True)
    # Sum of every processed amount; once above zero the deduction can no longer be cancelled.
    processed_total = models.DecimalField(_("Insgesamt abgezogen"), default=0, **MONEY)
    last_processed_on = models.DateField(_("Zuletzt verarbeitet am"), null=True, blank=True)
    activated_on = models.DateField(_("Aktiviert am"), null=True, blank=True)
    # Set once the "deduction expired" event was raised, so it is raised only once (CD-16).
    expired_notified_on = models.DateField(
        _("Ablauf gemeldet am"), null=True, blank=True, editable=False
    )
    created_on = models.DateField(_("Angelegt am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Angelegt von"),
    )
    updated_at = models.DateTimeField(_("Geändert am"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Abzug")
        verbose_name_plural = _("Abzüge")
        ordering = ["case", "priority", "id"]
        indexes = [
            models.Index(fields=["case", "status"]),
            models.Index(fields=["third_party", "status"]),
        ]
        constraints = [
            # Unique because ``id`` is: the target of the agency account entries' composite
            # foreign key (deduction, case, deduction type), which makes an entry's copies
            # of its deduction's case and type agree with the deduction (PostgreSQL,
            # payments migration 0014). Case first, so it also serves lookups by case.
            models.UniqueConstraint(
                fields=["case", "id", "deduction_type"], name="deduction_case_id_type_unique"
            ),
            models.CheckConstraint(
                name="deduction_amount_xor_percentage",
                violation_error_message=_(
                    "Geben Sie entweder „Fester Betrag“ oder „Variabler Satz (%)“ an, nicht "
                    "beides und nicht keines."
                ),
                condition=(Q(amount__isnull=False) & Q(percentage__isnull=True))
                | (Q(amount__isnull=True) & Q(percentage__isnull=False)),
            ),
            models.CheckConstraint(
                name="deduction_amount_positive",
                violation_error_message=_("„Fester Betrag“ muss größer als 0 sein."),
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
            ),
            models.CheckConstraint(
                name="deduction_percentage_0_100",
                violation_error_message=_(
                    "„Variabler Satz (%)“ muss größer als 0 und höchstens 100 sein."
                ),
                condition=Q(percentage__isnull=True)
                | (Q(percentage__gt=0) & Q(percentage__lte=100)),
            ),
            models.CheckConstraint(
                name="deduction_start_le_end",
                violation_error_message=_("„Startdatum“ darf nicht nach dem „Enddatum“ liegen."),
                condition=Q(start_date__lte=F("end_date")),
            ),
            models.CheckConstraint(
                name="deduction_priority_positive",
                violation_error_message=_("„Priorität“ muss mindestens 1 sein."),
                condition=Q(priority__gte=1),
            ),
            # CD-7: a fixed deduction has exactly one nominee and nothing else.
            models.CheckConstraint(
                name="deduction_fixed_one_nominee",
                violation_error_message=_(
                    "Ein fester Betrag wird genau einem „Leistungsempfänger“ zugeordnet, nicht "
                    "einer „Fallkomponente“ oder allen Leistungsempfängern."
                ),
                condition=Q(amount__isnull=True)
                | (Q(nominee__isnull=False) & Q(component__isnull=True) & Q(all_nominees=False)),
            ),
            # At most one of nominee / component / all nominees.
            models.CheckConstraint(
                name="deduction_single_assignment",
                violation_error_message=_(
                    "Wählen Sie nur eine Zuordnung: „Leistungsempfänger“, „Fallkomponente“ oder "
                    "„Alle Leistungsempfänger“."
                ),
                condition=~(Q(nominee__isnull=False) & Q(component__isnull=False))
                & ~(Q(nominee__isnull=False) & Q(all_nominees=True))
                & ~(Q(component__isnull=False) & Q(all_nominees=True)),
            ),
            # CD-7: third-party variable deductions need an assignment.
            models.CheckConstraint(
                name="deduction_third_party_variable_assigned",
                violation_error_message=_(
                    "Ein Drittzahlungsabzug braucht eine Zuordnung: „Leistungsempfänger“, "
                    "„Fallkomponente“ oder „Alle Leistungsempfänger“."
                ),
                condition=~Q(category=DeductionCategory.THIRD_PARTY)
                | Q(nominee__isnull=False)
                | Q(component__isnull=False)
                | Q(all_nominees=True),
            ),
            models.CheckConstraint(
                name="deduction_third_party_has_payee",
                violation_error_message=_(
                    "Ein Drittzahlungsabzug braucht einen „Dritten“ als Zahlungsempfänger."
                ),
                condition=~Q(category=DeductionCategory.THIRD_PARTY) | Q(third_party__isnull=False),
            ),
            models.CheckConstraint(
                name="deduction_applied_has_liability",
                violation_error_message=_("Ein angewandter Abzug braucht eine „Verbindlichkeit“."),
                condition=~Q(category=DeductionCategory.APPLIED) | Q(liability__isnull=False),
            ),
            # CD-9: priorities of the non-cancelled deductions of a case are unique.
            models.UniqueConstraint(
                fields=["case", "priority"],
                condition=~Q(status=DeductionStatus.CANCELLED),
                name="deduction_unique_priority_per_case",
                violation_error_message=_(
                    "Im Fall hat bereits ein anderer Abzug diese „Priorität“."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deduction_type.name} ({self.get_status_display()})"

    @property
    def label(self) -> str:
        """What people call the deduction, never its id: "Strom · PDC-000012" (its type
        and its case's reference)."""
        return f"{self.deduction_type.name} · {self.case.reference}"

    @property
    def is_fixed(self) -> bool:
        return self.amount is not None

    @property
    def kind_display(self) -> str:
        return str(_("Fester Betrag") if self.is_fixed else _("Variabler Satz"))

    @property
    def liability_holder(self) -> Participant | None:
        """Applied: the participant whose liability the deduction pays (CD-3)."""
        return self.liability.participant if self.liability_id else None

    @property
    def ever_activated(self) -> bool:
        """Activated at least once (deactivation keeps `activated_on`)."""
        return self.activated_on is not None

    # CD-16: derived, never stored.
    def business_status_on(self, today: datetime.date) -> str | None:
        """Pending before the start, expired after the end, liability settled once the applied
        liability is settled, otherwise in force — but only a deduction that takes part in
        processing (active, processed, skipped) is in force. A cancelled deduction has no
        business status (None), and an inactive one within its period none either."""
        if self.status == DeductionStatus.CANCELLED:
            return None
        if self.start_date > today:
            return BusinessStatus.PENDING
        if self.end_date < today:
            return BusinessStatus.EXPIRED
        if (
            self.category == DeductionCategory.APPLIED
            and self.liability_id is not None
            and self.liability.status == "settled"
        ):
            return BusinessStatus.LIABILITY_SETTLED
        if self.status in IN_FORCE_STATUSES:
            return BusinessStatus.IN_FORCE
        return None

    @property
    def business_status(self) -> str | None:
        return self.business_status_on(timezone.localdate())

    def get_business_status_display(self) -> str | None:
        status = self.business_status
        return None if status is None else str(BusinessStatus(status).label)

    # CD-10. Transitions do no I/O; services call them inside atomic and save.
    @transition(field=status, source=DeductionStatus.INACTIVE, target=DeductionStatus.ACTIVE)
    def activate(self, *, on) -> None:
        self.activated_on = on

    @transition(field=status, source=list(IN_FORCE_STATUSES), target=DeductionStatus.INACTIVE)
    def deactivate(self) -> None:
        pass

    @transition(field=status, source=list(IN_FORCE_STATUSES), target=DeductionStatus.PROCESSED)
    def mark_processed(self, *, amount, on) -> None:
        self.processed_total += amount
        self.last_processed_on = on

    @transition(field=status, source=list(IN_FORCE_STATUSES), target=DeductionStatus.SKIPPED)
    def mark_skipped(self, *, on) -> None:
        self.last_processed_on = on

    @transition(
        field=status,
        source=[DeductionStatus.INACTIVE, DeductionStatus.ACTIVE],
        target=DeductionStatus.CANCELLED,
        conditions=[_never_processed],
    )
    def cancel(self) -> None:
        pass
