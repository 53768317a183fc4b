"""Payments and the processing history of deductions (PAY-10..13, TP-2..4).

Payment and processing rows are immutable ledger rows: written once by a payment run
(or a reissue), never edited except for the cancel/reissue status of third-party
payments, and not tracked by simple-history."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from cases.models import Liability, ProductDeliveryCase
from config.dates import format_date
from config.money_format import format_money
from deductions.models import Deduction
from participants.models import Participant
from products.models import MONEY

HALF_CENT = Value(Decimal("0.005"))


class PaymentKind(models.TextChoices):
    BENEFIT = "benefit", _("Leistungszahlung")
    THIRD_PARTY = "third_party", _("Zahlung an Dritte")


class PaymentStatus(models.TextChoices):
    ISSUED = "issued", _("Ausgestellt")
    CANCELLED = "cancelled", _("Abgebrochen")
    REISSUED = "reissued", _("Neu erstellt")


class Payment(models.Model):
    # Indexes: (case, effective_date) and (payee, kind) below serve these two keys.
    case = models.ForeignKey(
        ProductDeliveryCase,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("Produktbereitstellungsfall"),
        db_index=False,
    )
    # Lookups by nominee use ``payment_nominee_id_unique`` (nominee first) below.
    nominee = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Leistungsempfänger"),
        db_index=False,
    )
    payee = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="payments_received",
        verbose_name=_("Zahlungsempfänger"),
        db_index=False,
    )
    kind = models.CharField(_("Art"), max_length=20, choices=PaymentKind.choices)
    period_start = models.DateField(_("Abdeckungszeitraum von"))
    period_end = models.DateField(_("Abdeckungszeitraum bis"))
    effective_date = models.DateField(_("Gültigkeitsdatum"))
    gross = models.DecimalField(_("Brutto"), **MONEY)
    tax = models.DecimalField(_("Steuer"), **MONEY)
    net = models.DecimalField(_("Netto"), **MONEY)
    # Breakdown per component and per deduction line, as the engine computed it.
    details = models.JSONField(_("Aufschlüsselung"), default=dict, blank=True)
    # Third-party payments: the deduction they come from and the payee's details (CD-4).
    # Indexed where set only (``payment_deduction_idx``): a run's benefit payments have none.
    deduction = models.ForeignKey(
        Deduction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="third_party_payments",
        verbose_name=_("Abzug"),
        db_index=False,
    )
    account_number = models.CharField(_("Kontonummer"), max_length=34, blank=True)
    reference = models.CharField(_("Referenznummer"), max_length=60, blank=True)
    status = FSMField(
        _("Status"), default=PaymentStatus.ISSUED, choices=PaymentStatus.choices, protected=True
    )
    reissue_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reissue",
        verbose_name=_("Neu erstellt aus"),
    )
    cancel_reason = models.CharField(_("Abbruchgrund"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("Abgebrochen am"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Abgebrochen von"),
        db_index=False,
    )
    payment_run_id = models.BigIntegerField(_("Zahlungslauf"), null=True, blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Zahlung")
        verbose_name_plural = _("Zahlungen")
        ordering = ["-effective_date", "-id"]
        indexes = [
            models.Index(fields=["case", "effective_date"]),
            # A payee's payments of a kind, newest first (third-party payments page).
            models.Index(
                fields=["payee", "kind", "effective_date", "id"], name="payment_payee_idx"
            ),
            # The newest payments first (admin, API list; payments.selectors.payment_list's
            # order): ORDER BY … LIMIT n reads n index entries instead of sorting them all.
            models.Index(
                fields=["-effective_date", "nominee", "kind", "-id"], name="payment_list_idx"
            ),
            # A deduction's third-party payments, the check when a deduction is deleted:
            # only rows that have one (a benefit payment costs no entry here).
            models.Index(
                fields=["deduction"],
                condition=Q(deduction__isnull=False),
                name="payment_deduction_idx",
            ),
        ]
        constraints = [
            # Unique because ``id`` is: the target of the composite foreign keys (payment,
            # nominee) of processing rows and agency account entries, which make a row's
            # nominee its payment's (PostgreSQL, migration 0014). Nominee first, so it also
            # serves lookups by nominee and the check when a participant is deleted.
            models.UniqueConstraint(fields=["nominee", "id"], name="payment_nominee_id_unique"),
            # PAY-13: one benefit payment per case, nominee and period, whatever retries happen.
            models.UniqueConstraint(
                fields=["case", "nominee", "period_start"],
                condition=Q(kind="benefit"),
                name="payment_unique_benefit_per_period",
                violation_error_message=_(
                    "Für diesen „Produktbereitstellungsfall“, „Leistungsempfänger“ und "
                    "„Abdeckungszeitraum von“ gibt es bereits eine Leistungszahlung."
                ),
            ),
            # One third-party payment per deduction, nominee and period (reissues excepted).
            models.UniqueConstraint(
                fields=["deduction", "nominee", "period_start"],
                condition=Q(kind="third_party") & Q(reissue_of__isnull=True),
                name="payment_unique_third_party_per_period",
                violation_error_message=_(
                    "Für diesen „Abzug“ und „Abdeckungszeitraum von“ gibt es bereits eine "
                    "Drittzahlung."
                ),
            ),
            models.CheckConstraint(
                name="payment_third_party_has_deduction",
                violation_error_message=_("Eine Drittzahlung braucht einen „Abzug“."),
                condition=Q(kind="benefit") | Q(deduction__isnull=False),
            ),
            # Ledger invariants (PAY-12): amounts are never negative, deductions never take
            # more than the net after tax, and a period never ends before it starts.
            models.CheckConstraint(
                name="payment_amounts_not_negative",
                violation_error_message=_(
                    "„Brutto“, „Steuer“ und „Netto“ dürfen nicht negativ sein."
                ),
                condition=Q(gross__gte=0, tax__gte=0, net__gte=0),
            ),
            # Half a cent of slack: SQLite compares decimals as binary floats (0.30 − 0.10 <
            # 0.20 there); with PostgreSQL's exact two-place numeric it is exactly ≤.
            models.CheckConstraint(
                name="payment_net_within_gross_less_tax",
                violation_error_message=_(
                    "„Netto“ darf nicht größer sein als „Brutto“ abzüglich „Steuer“."
                ),
                condition=Q(net__lte=F("gross") - F("tax") + HALF_CENT),
            ),
            models.CheckConstraint(
                name="payment_period_ordered",
                violation_error_message=_(
                    "„Abdeckungszeitraum von“ darf nicht nach „Abdeckungszeitraum bis“ liegen."
                ),
                condition=Q(period_start__lte=F("period_end")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_money(self.net)} ({self.period_label})"

    @property
    def period_label(self) -> str:
        """The coverage period as the page's language writes it: "05.01.2026 – 11.01.2026"."""
        return f"{format_date(self.period_start)} – {format_date(self.period_end)}"

    @property
    def short_label(self) -> str:
        """ "Leistungszahlung · Thomas Müller": its kind and nominee, never its id."""
        return f"{self.get_kind_display()} · {self.nominee.name}"

    @property
    def label(self) -> str:
        """What people call the payment: "Leistungszahlung · Thomas Müller ·
        05.01.2026 – 11.01.2026" (kind, nominee and coverage period)."""
        return f"{self.short_label} · {self.period_label}"

    def breakdown(self) -> dict:
        """A benefit payment as the simulation shows it (SIM-2, PAY-12): its columns plus
        the components and deduction lines kept in ``details``."""
        return {
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "effective_date": self.effective_date.isoformat(),
            "nominee": self.nominee_id,
            "gross": f"{self.gross:.2f}",
            "tax": f"{self.tax:.2f}",
            "net": f"{self.net:.2f}",
            **(self.details or {}),
        }

    @transition(field=status, source=PaymentStatus.ISSUED, target=PaymentStatus.CANCELLED)
    def cancel(self, *, reason: str, by, at) -> None:
        self.cancel_reason = reason
        self.cancelled_by = by
        self.cancelled_at = at

    @transition(field=status, source=PaymentStatus.CANCELLED, target=PaymentStatus.REISSUED)
    def mark_reissued(self) -> None:
        pass


class ProcessingStatus(models.TextChoices):
    PROCESSED = "processed", _("Verarbeitet")
    SKIPPED = "skipped", _("Übersprungen")


class DeductionProcessing(models.Model):
    """One processed or skipped deduction line of a payment (PAY-10, CD-15)."""

    # The unique (deduction, nominee, period_start) index serves lookups by deduction.
    deduction = models.ForeignKey(
        Deduction,
        on_delete=models.PROTECT,
        related_name="processing_history",
        verbose_name=_("Abzug"),
        db_index=False,
    )
    # Payment and nominee: in the database one composite foreign key (payment, nominee) →
    # the payment's (id, nominee), PostgreSQL only (migration 0014): a line's nominee is
    # its payment's, and one check per row instead of two. Django still protects both.
    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        related_name="deduction_lines",
        verbose_name=_("Zahlung"),
        db_constraint=False,
    )
    nominee = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Leistungsempfänger"),
        db_constraint=False,
    )
    period_start = models.DateField(_("Abdeckungszeitraum von"))
    period_end = models.DateField(_("Abdeckungszeitraum bis"))
    status = models.CharField(_("Ergebnis"), max_length=10, choices=ProcessingStatus.choices)
    amount = models.DecimalField(_("Betrag"), **MONEY)
    reason = models.CharField(_("Grund"), max_length=40, blank=True)
    # A skipped line whose check compared two amounts (PAY-9): the amount checked and what
    # it was compared with, shown after the reason; empty on other lines and older rows.
    needed_amount = models.DecimalField(_("Geprüfter Betrag"), null=True, blank=True, **MONEY)
    limit_amount = models.DecimalField(_("Grenzbetrag"), null=True, blank=True, **MONEY)
    balance_after = models.DecimalField(_("Saldo danach"), **MONEY)
    # Indexed where set only (``processing_liability_idx``): most lines pay no liability.
    liability = models.ForeignKey(
        Liability,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Verbindlichkeit"),
        db_index=False,
    )
    liability_outstanding_after = models.DecimalField(
        _("Ausstehender Betrag danach"), null=True, blank=True, **MONEY
    )
    liability_original = models.DecimalField(_("Ursprungsbetrag"), null=True, blank=True, **MONEY)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Abzugsverarbeitung")
        verbose_name_plural = _("Abzugsverarbeitungen")
        ordering = ["deduction", "period_start", "id"]
        indexes = [
            # A run's skipped lines (run skips page, supervisor's home): only skipped rows
            # are indexed, so processed lines cost the payment run nothing here.
            models.Index(
                fields=["payment"],
                condition=Q(status="skipped"),
                name="processing_skipped_idx",
            ),
            # A liability's history (selectors.processing), the check when a liability is
            # deleted: only lines that pay one.
            models.Index(
                fields=["liability"],
                condition=Q(liability__isnull=False),
                name="processing_liability_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deduction", "nominee", "period_start"],
                name="deduction_processing_unique_per_period",
            ),
            # Ledger invariants (PAY-10): amounts and balances are never negative, a skipped
            # line takes nothing, and a period never ends before it starts.
            models.CheckConstraint(
                name="deduction_processing_amounts_not_negative",
                violation_error_message=_(
                    "„Betrag“, „Saldo danach“, „Ausstehender Betrag danach“ und „Ursprungsbetrag“ "
                    "dürfen nicht negativ sein."
                ),
                condition=Q(amount__gte=0, balance_after__gte=0)
                & (
                    Q(liability_outstanding_after__isnull=True)
                    | Q(liability_outstanding_after__gte=0)
                )
                & (Q(liability_original__isnull=True) | Q(liability_original__gte=0)),
            ),
            models.CheckConstraint(
                name="deduction_processing_skipped_takes_nothing",
                violation_error_message=_("Ein übersprungener Abzug hat den „Betrag“ 0."),
                condition=~Q(status="skipped") | Q(amount=0),
            ),
            models.CheckConstraint(
                name="deduction_processing_period_ordered",
                violation_error_message=_(
                    "„Abdeckungszeitraum von“ darf nicht nach „Abdeckungszeitraum bis“ liegen."
                ),
                condition=Q(period_start__lte=F("period_end")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deduction_id} {self.period_start}: {self.get_status_display()} {self.amount}"


class AgencyAccountEntry(models.Model):
    """An unapplied deduction credited to the agency's account (LI-2).

    One row per processed unapplied line, so the amounts recovered can be reported per case
    and per deduction type (the type is copied from the deduction for that report)."""

    # Keys served by the composite and unique indexes below carry no index of their own:
    # fewer indexes to maintain per row written by a payment run.
    # In the database (PostgreSQL, migration 0014) the five keys are two composite foreign
    # keys: (deduction, case, deduction type) → the deduction's (id, case, type) and
    # (payment, nominee) → the payment's (id, nominee). The copies must agree with their
    # source, and a row costs two checks instead of five. Django still protects all five.
    case = models.ForeignKey(
        ProductDeliveryCase,
        on_delete=models.PROTECT,
        related_name="agency_account_entries",
        verbose_name=_("Produktbereitstellungsfall"),
        db_index=False,
        db_constraint=False,
    )
    deduction = models.ForeignKey(
        Deduction,
        on_delete=models.PROTECT,
        related_name="agency_account_entries",
        verbose_name=_("Abzug"),
        db_index=False,
        db_constraint=False,
    )
    deduction_type = models.ForeignKey(
        "products.DeductionType",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Abzugstyp"),
        db_index=False,
        db_constraint=False,
    )
    nominee = models.ForeignKey(
        Participant,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Leistungsempfänger"),
        db_constraint=False,
    )
    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        related_name="agency_account_entries",
        verbose_name=_("Zahlung"),
        db_constraint=False,
    )
    period_start = models.DateField(_("Abdeckungszeitraum von"))
    period_end = models.DateField(_("Abdeckungszeitraum bis"))
    effective_date = models.DateField(_("Gültigkeitsdatum"))
    amount = models.DecimalField(_("Betrag"), **MONEY)
    payment_run_id = models.BigIntegerField(_("Zahlungslauf"), null=True, blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Buchung auf dem Behördenkonto")
        verbose_name_plural = _("Buchungen auf dem Behördenkonto")
        ordering = ["-effective_date", "-id"]
        indexes = [
            models.Index(fields=["case", "effective_date"]),
            models.Index(fields=["deduction_type", "effective_date"]),
            # The newest entries first (admin, API list), as for payments.
            models.Index(fields=["effective_date", "id"], name="agency_entry_list_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["deduction", "nominee", "period_start"],
                name="agency_account_entry_unique_per_period",
            ),
            models.CheckConstraint(
                name="agency_account_entry_amount_positive",
                violation_error_message=_("„Betrag“ muss größer als 0 sein."),
                condition=Q(amount__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deduction_id} {self.period_start}: {self.amount}"


class PaymentRunStatus(models.TextChoices):
    PENDING = "pending", _("Geplant")
    RUNNING = "running", _("Läuft")
    COMPLETED = "completed", _("Abgeschlossen")
    # Every chunk ended; some failed for good (the others are paid). Retry from admin/API.
    COMPLETED_WITH_FAILURES = "completed_with_failures", _("Abgeschlossen mit Fehlern")
    FAILED = "failed", _("Fehlgeschlagen")


# A run in one of these states has ended; one of the last two can be retried.
RUN_FINISHED = (
    PaymentRunStatus.COMPLETED,
    PaymentRunStatus.COMPLETED_WITH_FAILURES,
    PaymentRunStatus.FAILED,
)
RUN_RETRYABLE = (PaymentRunStatus.COMPLETED_WITH_FAILURES, PaymentRunStatus.FAILED)


class PaymentRunTrigger(models.TextChoices):
    SCHEDULED = "scheduled", _("Zeitplan")
    MANUAL = "manual", _("Manuell")
    COMMAND = "command", _("Kommandozeile")


class PaymentRunQuerySet(models.QuerySet):
    def with_failed_chunks(self) -> "PaymentRunQuerySet":
        """Prefetch each run's failed chunks (run page, admin, API: one query per page)."""
        return self.prefetch_related(
            models.Prefetch(
                "chunks",
                queryset=PaymentChunk.objects.filter(status=PaymentChunkStatus.FAILED).order_by(
                    "number"
                ),
                to_attr="failed_chunk_list",
            )
        )


class PaymentRun(models.Model):
    """One payment run per run date (PAY-13): planned into chunks, processed by workers.

    Status changes are compare-and-set updates in payments.services.runs (several workers
    and the reconciler touch a run at once), so the field is a plain choices field."""

    run_date = models.DateField(_("Stichtag"), unique=True)
    status = models.CharField(
        _("Status"),
        max_length=30,
        choices=PaymentRunStatus.choices,
        default=PaymentRunStatus.PENDING,
    )
    trigger = models.CharField(
        _("Auslöser"),
        max_length=12,
        choices=PaymentRunTrigger.choices,
        default=PaymentRunTrigger.MANUAL,
    )
    total_cases = models.PositiveIntegerField(_("Fälle gesamt"), default=0)
    done_cases = models.PositiveIntegerField(_("Fälle verarbeitet"), default=0)
    total_chunks = models.PositiveIntegerField(_("Pakete gesamt"), default=0)
    done_chunks = models.PositiveIntegerField(_("Pakete verarbeitet"), default=0)
    payments_created = models.PositiveIntegerField(_("Erstellte Zahlungen"), default=0)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Gestartet von"),
    )
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    started_at = models.DateTimeField(_("Gestartet am"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Beendet am"), null=True, blank=True)
    error = models.TextField(_("Fehler"), blank=True)

    objects = PaymentRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("Zahlungslauf")
        verbose_name_plural = _("Zahlungsläufe")
        ordering = ["-run_date"]
        constraints = [
            models.CheckConstraint(
                name="payment_run_done_le_total",
                violation_error_message=_(
                    "„Fälle verarbeitet“ und „Pakete verarbeitet“ dürfen „Fälle gesamt“ und "
                    "„Pakete gesamt“ nicht übersteigen."
                ),
                condition=Q(done_cases__lte=F("total_cases"))
                & Q(done_chunks__lte=F("total_chunks")),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Zahlungslauf')} {format_date(self.run_date)}"

    @property
    def percent_done(self) -> int:
        if not self.total_cases:
            return 100 if self.status == PaymentRunStatus.COMPLETED else 0
        return int(self.done_cases * 100 / self.total_cases)

    @property
    def is_finished(self) -> bool:
        return self.status in RUN_FINISHED

    @property
    def can_retry(self) -> bool:
        return self.status in RUN_RETRYABLE

    @property
    def failed_chunks(self) -> list:
        """The run's failed chunks, by number (prefetched by ``with_failed_chunks``)."""
        cached = getattr(self, "failed_chunk_list", None)
        if cached is not None:
            return cached
        return list(self.chunks.filter(status=PaymentChunkStatus.FAILED).order_by("number"))


class PaymentChunkStatus(models.TextChoices):
    PENDING = "pending", _("Offen")
    RUNNING = "running", _("In Arbeit")
    DONE = "done", _("Erledigt")
    FAILED = "failed", _("Fehlgeschlagen")


class PaymentChunk(models.Model):
    """A range of product delivery case ids processed in one transaction (PAY-13).

    A worker claims the chunk with a lease (``lease_owner``, ``lease_expires_at``; every
    claim counts in ``attempts``) and renews it while it works; its writing transaction
    commits only if it still holds the lease. A chunk whose worker died is reclaimable as
    soon as its lease has expired. See payments.services.runs."""

    run = models.ForeignKey(
        PaymentRun, on_delete=models.CASCADE, related_name="chunks", verbose_name=_("Zahlungslauf")
    )
    number = models.PositiveIntegerField(_("Nummer"))
    first_case_id = models.BigIntegerField(_("Erste Fall-ID"))
    last_case_id = models.BigIntegerField(_("Letzte Fall-ID"))
    case_count = models.PositiveIntegerField(_("Fälle"))
    status = models.CharField(
        _("Status"),
        max_length=10,
        choices=PaymentChunkStatus.choices,
        default=PaymentChunkStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    payments_created = models.PositiveIntegerField(_("Erstellte Zahlungen"), default=0)
    enqueued_at = models.DateTimeField(_("Eingereiht am"), null=True, blank=True)
    lease_owner = models.CharField(_("Bearbeitet von"), max_length=120, blank=True)
    lease_expires_at = models.DateTimeField(_("Lease läuft ab am"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("Zuletzt übernommen am"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Beendet am"), null=True, blank=True)
    error = models.TextField(_("Fehler"), blank=True)

    class Meta:
        verbose_name = _("Paket eines Zahlungslaufs")
        verbose_name_plural = _("Pakete eines Zahlungslaufs")
        ordering = ["run_id", "number"]
        indexes = [models.Index(fields=["run", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="payment_chunk_unique_number"),
            models.CheckConstraint(
                name="payment_chunk_range_valid",
                violation_error_message=_(
                    "„Erste Fall-ID“ darf nicht größer sein als „Letzte Fall-ID“."
                ),
                condition=Q(first_case_id__lte=F("last_case_id")),
            ),
            # A chunk in work always has a lease that can expire (else it would never be
            # reclaimed), and only a chunk in work has one.
            models.CheckConstraint(
                name="payment_chunk_running_has_lease",
                violation_error_message=_(
                    "Ein laufendes Paket hat „Bearbeitet von“ und „Lease läuft ab am“, ein "
                    "anderes keines von beiden."
                ),
                condition=(Q(status="running", lease_expires_at__isnull=False) & ~Q(lease_owner=""))
                | (~Q(status="running") & Q(lease_expires_at__isnull=True, lease_owner="")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} #{self.number} ({self.first_case_id}–{self.last_case_id})"


from .records import Notice, NoticeKind, PaymentRunSchedule, Simulation  # noqa: E402, F401  (re-exported)
