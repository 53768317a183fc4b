"""Integrated cases, product delivery cases, nominees, components, financial components,
applications, service deliveries, referrals (IC-1..9) and liabilities (LI-1)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from participants.models import Participant
from products.models import MONEY, ComponentType, PaymentFrequency, Product


class IntegratedCaseType(models.Model):
    """Code table of integrated case types, maintained in admin."""

    code = models.SlugField(_("Code"), max_length=50, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    is_default = models.BooleanField(_("Standardtyp"), default=False)
    active = models.BooleanField(_("Aktiv"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Typ des integrierten Falls")
        verbose_name_plural = _("Typen des integrierten Falls")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="integrated_case_type_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name


class IntegratedCaseStatus(models.TextChoices):
    OPEN = "open", _("Offen")
    CLOSED = "closed", _("Geschlossen")


class IntegratedCase(models.Model):
    reference = models.CharField(_("Referenz"), max_length=20, unique=True)
    case_type = models.ForeignKey(
        IntegratedCaseType, on_delete=models.PROTECT, verbose_name=_("Typ")
    )
    primary_client = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="integrated_cases",
        verbose_name=_("Hauptbeteiligter"),
    )
    status = FSMField(
        _("Status"),
        default=IntegratedCaseStatus.OPEN,
        choices=IntegratedCaseStatus.choices,
        protected=True,
    )
    opened_on = models.DateField(_("Eröffnet am"))
    closed_on = models.DateField(_("Geschlossen am"), null=True, blank=True)
    closure_reason = models.TextField(_("Schließungsgrund"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Angelegt von"),
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Integrierter Fall")
        verbose_name_plural = _("Integrierte Fälle")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.reference} – {self.primary_client.name}"

    # Transitions do no I/O; services call them inside atomic and save.
    @transition(field=status, source=IntegratedCaseStatus.OPEN, target=IntegratedCaseStatus.CLOSED)
    def close(self, *, reason: str, on) -> None:
        self.closure_reason = reason
        self.closed_on = on

    @transition(field=status, source=IntegratedCaseStatus.CLOSED, target=IntegratedCaseStatus.OPEN)
    def reopen(self) -> None:
        self.closed_on = None


class MemberRole(models.TextChoices):
    PRIMARY_CLIENT = "primary_client", _("Hauptbeteiligter")
    HOUSEHOLD_MEMBER = "household_member", _("Haushaltsmitglied")
    NOMINEE = "nominee", _("Leistungsempfänger")
    THIRD_PARTY_PAYEE = "third_party_payee", _("Zahlungsempfänger (Dritte)")
    LIABILITY_HOLDER = "liability_holder", _("Inhaber einer Verbindlichkeit")


class CaseMember(models.Model):
    """Case participants of an integrated case (IC-4); third-party payees join automatically."""

    integrated_case = models.ForeignKey(
        IntegratedCase,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("Integrierter Fall"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="case_memberships",
        verbose_name=_("Beteiligter"),
    )
    role = models.CharField(_("Rolle"), max_length=30, choices=MemberRole.choices)
    added_on = models.DateField(_("Hinzugefügt am"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Fallbeteiligter")
        verbose_name_plural = _("Fallbeteiligte")
        ordering = ["integrated_case", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["integrated_case", "participant", "role"], name="case_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} ({self.get_role_display()})"


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
                name="case_component_amount_positive", condition=Q(amount__gt=0)
            ),
            models.CheckConstraint(
                name="case_component_start_le_end",
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
                condition=Q(end_date__isnull=True) | Q(start_date__lte=F("end_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component} ab {self.start_date}"


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
                condition=Q(original_amount__gt=0)
                & Q(outstanding_amount__gte=0)
                & Q(outstanding_amount__lte=F("original_amount")),
            ),
            models.CheckConstraint(
                name="liability_settled_iff_zero",
                condition=(Q(status=LiabilityStatus.SETTLED) & Q(outstanding_amount=Decimal("0")))
                | (Q(status=LiabilityStatus.OPEN) & Q(outstanding_amount__gt=0)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.liability_case_id} ({self.outstanding_amount} / {self.original_amount})"


class ActivityType(models.Model):
    """Code table of activity types (IC-11), maintained in admin."""

    code = models.SlugField(_("Code"), max_length=50, unique=True)
    name = models.CharField(_("Name"), max_length=200)
    active = models.BooleanField(_("Aktiv"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Aktivitätstyp")
        verbose_name_plural = _("Aktivitätstypen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Geplant")
    DONE = "done", _("Erledigt")
    CANCELLED = "cancelled", _("Abgesagt")


class Activity(models.Model):
    """A planned activity on an integrated case (IC-11): a counselling talk, a home visit,
    a request for evidence … with who is responsible and who takes part."""

    integrated_case = models.ForeignKey(
        IntegratedCase,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("Integrierter Fall"),
    )
    subject = models.CharField(_("Betreff"), max_length=200)
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="+", verbose_name=_("Art")
    )
    planned_at = models.DateTimeField(_("Termin"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_activities",
        verbose_name=_("Verantwortlich"),
    )
    participants = models.ManyToManyField(
        Participant, blank=True, related_name="activities", verbose_name=_("Teilnehmende")
    )
    status = FSMField(
        _("Status"),
        default=ActivityStatus.PLANNED,
        choices=ActivityStatus.choices,
        protected=True,
    )
    outcome = models.TextField(_("Ergebnis"), blank=True)
    status_changed_at = models.DateTimeField(_("Status geändert am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Angelegt von"),
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        verbose_name = _("Aktivität")
        verbose_name_plural = _("Aktivitäten")
        ordering = ["planned_at", "id"]
        indexes = [models.Index(fields=["responsible", "status", "planned_at"])]
        constraints = [
            models.CheckConstraint(
                name="activity_done_has_outcome",
                condition=~Q(status="done") | ~Q(outcome=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.planned_at:%d.%m.%Y})"

    @property
    def is_planned(self) -> bool:
        return self.status == ActivityStatus.PLANNED

    @transition(field=status, source=ActivityStatus.PLANNED, target=ActivityStatus.DONE)
    def mark_done(self, *, outcome: str, at) -> None:
        self.outcome = outcome
        self.status_changed_at = at

    @transition(field=status, source=ActivityStatus.PLANNED, target=ActivityStatus.CANCELLED)
    def cancel(self, *, note: str, at) -> None:
        if note:
            self.outcome = note
        self.status_changed_at = at
