"""Workflow events (WF-1): an outbox written in the same transaction as the change that
raised the event, dispatched to mapped processes by Celery after commit.

Administrators map event types to built-in processes (WF-2); a `HandledProcess` row per
event and mapping makes each process run at most once, whatever retries happen. The
processes create tasks (WF-3) and in-app notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords


class EventType(models.TextChoices):
    DEDUCTION_ACTIVATED = "deduction_activated", _("Abzug aktiviert")
    DEDUCTION_DEACTIVATED = "deduction_deactivated", _("Abzug deaktiviert")
    DEDUCTION_CREATED = "deduction_created", _("Abzug angelegt")
    DEDUCTION_MODIFIED = "deduction_modified", _("Abzug geändert")
    DEDUCTION_EXPIRED = "deduction_expired", _("Abzug abgelaufen")
    DEDUCTION_SKIPPED = "deduction_skipped", _("Abzug übersprungen")
    DEDUCTION_CANCELLED = "deduction_cancelled", _("Abzug abgebrochen")
    LIABILITY_SETTLED = "liability_settled", _("Verbindlichkeit durch Abzug beglichen")
    THIRD_PARTY_PARTICIPANT_ENDED = (
        "third_party_participant_ended",
        _("Beteiligter mit Zahlungen an Dritte beendet"),
    )


class WorkflowEvent(models.Model):
    event_type = models.CharField(_("Ereignistyp"), max_length=40, choices=EventType.choices)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    payload = models.JSONField(_("Daten"), default=dict, blank=True)
    # Plain ids rather than foreign keys: the outbox outlives what it talks about.
    case_id = models.BigIntegerField(_("Produktbereitstellungsfall"), null=True, blank=True)
    deduction_id = models.BigIntegerField(_("Abzug"), null=True, blank=True)
    participant_id = models.BigIntegerField(_("Beteiligter"), null=True, blank=True)
    triggered_by_id = models.BigIntegerField(_("Ausgelöst von"), null=True, blank=True)
    handled_at = models.DateTimeField(_("Verarbeitet am"), null=True, blank=True)
    # Set when a mapped process still failed after the last retry; cleared by a re-dispatch.
    failed_at = models.DateTimeField(
        _("Endgültig fehlgeschlagen am"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("Workflowereignis")
        verbose_name_plural = _("Workflowereignisse")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["event_type", "created_at"]),
            models.Index(fields=["handled_at"]),
            models.Index(fields=["deduction_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} #{self.pk}"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None


class ProcessKind(models.TextChoices):
    """The built-in workflow processes (WF-2)."""

    CREATE_SUPERVISOR_TASK = "create_supervisor_task", _("Aufgabe für den Fall-Supervisor anlegen")
    NOTIFY_USER = "notify_user", _("Benutzer benachrichtigen")
    LOG_ONLY = "log_only", _("Nur protokollieren")


class EventProcessMapping(models.Model):
    """Which process runs for which event type (WF-2), maintained by administrators."""

    event_type = models.CharField(_("Ereignistyp"), max_length=40, choices=EventType.choices)
    process = models.CharField(_("Prozess"), max_length=40, choices=ProcessKind.choices)
    # notify_user: who is notified. Unused by the other processes.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Benutzer"),
        help_text=_("Nur für „Benutzer benachrichtigen“: wer benachrichtigt wird."),
    )
    due_in_days = models.PositiveSmallIntegerField(
        _("Fällig in (Tagen)"),
        default=7,
        help_text=_("Nur für Aufgaben: Fälligkeit ab dem Tag des Ereignisses."),
    )
    active = models.BooleanField(_("Aktiv"), default=True)
    description = models.CharField(_("Beschreibung"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Ereigniszuordnung")
        verbose_name_plural = _("Ereigniszuordnungen")
        ordering = ["event_type", "id"]
        constraints = [
            models.CheckConstraint(
                name="mapping_notify_user_has_user",
                condition=~Q(process="notify_user") | Q(user__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["event_type", "process", "user"],
                name="mapping_unique_with_user",
            ),
            models.UniqueConstraint(
                fields=["event_type", "process"],
                condition=Q(user__isnull=True),
                name="mapping_unique_without_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} → {self.get_process_display()}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.process == ProcessKind.NOTIFY_USER and not self.user_id:
            raise ValidationError(
                {"user": _("Für „Benutzer benachrichtigen“ muss ein Benutzer gewählt werden.")}
            )
        if self.process != ProcessKind.NOTIFY_USER and self.user_id:
            raise ValidationError(
                {"user": _("Ein Benutzer wird nur für „Benutzer benachrichtigen“ gewählt.")}
            )


class HandledStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("Erfolgreich")
    FAILED = "failed", _("Fehlgeschlagen")


class HandledProcess(models.Model):
    """One mapped process run for one event. Unique per event and mapping: the success is
    written in the same transaction as the process's effect, so a retry never repeats it."""

    event = models.ForeignKey(
        WorkflowEvent,
        on_delete=models.CASCADE,
        related_name="handled_processes",
        verbose_name=_("Workflowereignis"),
    )
    # PROTECT: a mapping that has run is deactivated rather than deleted, keeping the record.
    mapping = models.ForeignKey(
        EventProcessMapping,
        on_delete=models.PROTECT,
        related_name="handled_processes",
        verbose_name=_("Ereigniszuordnung"),
    )
    status = models.CharField(_("Ergebnis"), max_length=10, choices=HandledStatus.choices)
    attempts = models.PositiveIntegerField(_("Versuche"), default=0)
    error = models.TextField(_("Fehler"), blank=True)
    last_attempt_at = models.DateTimeField(_("Letzter Versuch am"), null=True, blank=True)
    handled_at = models.DateTimeField(_("Erfolgreich verarbeitet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Verarbeiteter Prozess")
        verbose_name_plural = _("Verarbeitete Prozesse")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "mapping"], name="handled_process_once_per_event_mapping"
            )
        ]
        indexes = [models.Index(fields=["status", "last_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} / {self.mapping}: {self.get_status_display()}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Offen")
    CLOSED = "closed", _("Geschlossen")


class Task(FSMModelMixin, models.Model):
    """A task in a user's inbox (WF-3), created by a workflow process."""

    subject = models.CharField(_("Betreff"), max_length=300)
    description = models.TextField(_("Beschreibung"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="workflow_tasks",
        verbose_name=_("Zuständig"),
    )
    case = models.ForeignKey(
        "cases.ProductDeliveryCase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workflow_tasks",
        verbose_name=_("Produktbereitstellungsfall"),
    )
    deduction = models.ForeignKey(
        "deductions.Deduction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workflow_tasks",
        verbose_name=_("Abzug"),
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Beteiligter"),
    )
    # A path inside the application: where the assignee acts on the task.
    link = models.CharField(_("Link"), max_length=300, blank=True)
    status = FSMField(
        _("Status"), default=TaskStatus.OPEN, choices=TaskStatus.choices, protected=True
    )
    due_date = models.DateField(_("Fällig am"), null=True, blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    closed_at = models.DateTimeField(_("Geschlossen am"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Geschlossen von"),
    )
    event = models.ForeignKey(
        WorkflowEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("Workflowereignis"),
    )
    mapping = models.ForeignKey(
        EventProcessMapping,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("Ereigniszuordnung"),
    )

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["due_date", "-created_at", "-id"]
        indexes = [models.Index(fields=["assignee", "status"])]
        constraints = [
            # Idempotent per (event, mapping, deduction), whatever retries happen.
            models.UniqueConstraint(
                fields=["event", "mapping", "deduction"],
                condition=Q(event__isnull=False) & Q(deduction__isnull=False),
                name="task_once_per_event_mapping_deduction",
            ),
            models.UniqueConstraint(
                fields=["event", "mapping"],
                condition=Q(event__isnull=False) & Q(deduction__isnull=True),
                name="task_once_per_event_mapping",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.status == TaskStatus.OPEN

    @property
    def link_ends_deduction(self) -> bool:
        """The link leads to the deduction's edit page, where its end date is set."""
        return self.link.endswith("/edit/")

    @property
    def action_url(self) -> str:
        """The link to act on, returning to this task after saving and, for an ended
        payee, offering its end date as the deduction's new end date (TP-1)."""
        if not self.link:
            return ""
        url = f"{self.link}?next={reverse('workflow:task-detail', args=[self.pk])}"
        if self.suggested_end_date:
            url += f"&end_date={self.suggested_end_date.isoformat()}"
        return url

    @property
    def suggested_end_date(self):
        """TP-1: the day the third party's payments must stop — its end date or date of
        death — offered as the deduction's new end date; None when not known."""
        participant = self.participant
        if not self.link_ends_deduction or participant is None:
            return None
        return participant.end_date or participant.date_of_death

    @transition(field=status, source=TaskStatus.OPEN, target=TaskStatus.CLOSED)
    def close(self, *, by, at) -> None:
        self.closed_by = by
        self.closed_at = at


class Notification(models.Model):
    """An in-app notification (the "notify a user" process of WF-2)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workflow_notifications",
        verbose_name=_("Empfänger"),
    )
    message = models.CharField(_("Nachricht"), max_length=500)
    link = models.CharField(_("Link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    read_at = models.DateTimeField(_("Gelesen am"), null=True, blank=True)
    event = models.ForeignKey(
        WorkflowEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("Workflowereignis"),
    )
    mapping = models.ForeignKey(
        EventProcessMapping,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("Ereigniszuordnung"),
    )

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "mapping", "recipient"],
                condition=Q(event__isnull=False),
                name="notification_once_per_event_mapping",
            )
        ]

    def __str__(self) -> str:
        return self.message
