"""Workflow events (WF-1): an outbox written in the same transaction as the change that
raised the event, dispatched to mapped processes by Celery after commit.

Administrators map event types to built-in processes (WF-2); a `HandledProcess` row per
event and mapping makes each process run at most once, whatever retries happen. The
processes create tasks (WF-3) and in-app notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..errors import WorkflowError


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
    """Codes of the built-in workflow processes (WF-2), installed as `WorkflowProcess` rows
    by migration; agencies may change them like their own processes (WF-4)."""

    CREATE_SUPERVISOR_TASK = "create_supervisor_task", _("Aufgabe für den Fall-Supervisor anlegen")
    NOTIFY_USER = "notify_user", _("Benutzer benachrichtigen")
    LOG_ONLY = "log_only", _("Nur protokollieren")
    NOTIFY_CASE_SUPERVISOR = "notify_case_supervisor", _("Fall-Supervisor benachrichtigen")


class ProcessAction(models.TextChoices):
    TASK = "task", _("Aufgabe anlegen")
    NOTIFICATION = "notification", _("In-App-Benachrichtigung senden")
    TASK_AND_NOTIFICATION = "task_and_notification", _("Aufgabe und Benachrichtigung")
    LOG = "log", _("Nur protokollieren")


class ProcessRecipient(models.TextChoices):
    CASE_SUPERVISOR = "case_supervisor", _("Fall-Supervisor")
    CASE_OWNER = "case_owner", _("Fallverantwortlicher (Ersteller des integrierten Falls)")
    ROLE_GROUP = "role_group", _("Alle Mitglieder einer Rollengruppe")
    USER = "user", _("Ein benannter Benutzer")


class Priority(models.TextChoices):
    LOW = "low", _("Niedrig")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("Hoch")


class WorkflowProcess(models.Model):
    """A workflow process an administrator defines without code (WF-4): what it does, for
    whom, with which texts. Empty templates use the built-in texts, which are shown in the
    reader's language; the agency's own templates are shown as written."""

    code = models.SlugField(
        _("Code"),
        max_length=40,
        unique=True,
        help_text=_("Kurzname für Zuordnungen und Schnittstelle, z. B. „supervisoren-info“."),
    )
    name = models.CharField(_("Name"), max_length=200)
    action = models.CharField(
        _("Aktion"), max_length=30, choices=ProcessAction.choices, default=ProcessAction.TASK
    )
    recipient = models.CharField(
        _("Empfänger"),
        max_length=30,
        choices=ProcessRecipient.choices,
        default=ProcessRecipient.CASE_SUPERVISOR,
    )
    group = models.ForeignKey(
        "auth.Group",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Rollengruppe"),
        help_text=_("Nur für „Alle Mitglieder einer Rollengruppe“."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Benutzer"),
        help_text=_(
            "Nur für „Ein benannter Benutzer“; leer: der Benutzer, den die Zuordnung nennt."
        ),
    )
    subject_template = models.CharField(
        _("Betreff (Vorlage)"),
        max_length=300,
        blank=True,
        help_text=_("Platzhalter in geschweiften Klammern, z. B. {deduction}; leer: Standardtext."),
    )
    text_template = models.TextField(
        _("Text (Vorlage)"),
        blank=True,
        help_text=_("Platzhalter in geschweiften Klammern, z. B. {reason}; leer: Standardtext."),
    )
    due_in_days = models.PositiveSmallIntegerField(
        _("Fällig in (Tagen)"),
        default=7,
        help_text=_("Nur für Aufgaben: Fälligkeit ab dem Tag des Ereignisses."),
    )
    priority = models.CharField(
        _("Priorität"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    builtin = models.BooleanField(_("Eingebaut"), default=False, editable=False)
    description = models.CharField(_("Beschreibung"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("Angelegt am"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Workflowprozess")
        verbose_name_plural = _("Workflowprozesse")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="process_role_group_has_group",
                violation_error_message=_(
                    "Für den Empfänger „Rollengruppe“ wählen Sie eine „Rollengruppe“."
                ),
                condition=~Q(recipient="role_group") | Q(group__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def writes_tasks(self) -> bool:
        return self.action in (ProcessAction.TASK, ProcessAction.TASK_AND_NOTIFICATION)

    @property
    def sends_notifications(self) -> bool:
        return self.action in (ProcessAction.NOTIFICATION, ProcessAction.TASK_AND_NOTIFICATION)

    @property
    def names_user_on_mapping(self) -> bool:
        """The process notifies "a named user" without naming one: each mapping names them."""
        return self.recipient == ProcessRecipient.USER and self.user_id is None

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from ..templates import template_errors

        errors: dict[str, list] = {}
        for field in ("subject_template", "text_template"):
            problems = template_errors(getattr(self, field) or "")
            if problems:
                errors[field] = [
                    ValidationError(problem, code=WorkflowError.TEMPLATE_INVALID)
                    for problem in problems
                ]
        if self.recipient == ProcessRecipient.ROLE_GROUP and not self.group_id:
            errors["group"] = [
                ValidationError(
                    _("Bitte wählen Sie die Rollengruppe, deren Mitglieder es erhalten."),
                    code=WorkflowError.GROUP_MISSING,
                )
            ]
        if self.recipient != ProcessRecipient.ROLE_GROUP and self.group_id:
            errors["group"] = [
                ValidationError(
                    _(
                        "Eine Rollengruppe wird nur für „Alle Mitglieder einer "
                        "Rollengruppe“ gewählt."
                    ),
                    code=WorkflowError.GROUP_NOT_FOR_RECIPIENT,
                )
            ]
        if self.recipient != ProcessRecipient.USER and self.user_id:
            errors["user"] = [
                ValidationError(
                    _("Ein Benutzer wird nur für „Ein benannter Benutzer“ gewählt."),
                    code=WorkflowError.USER_NOT_FOR_RECIPIENT,
                )
            ]
        if errors:
            raise ValidationError(errors)


class EventProcessMapping(models.Model):
    """Which process runs for which event type (WF-2, WF-4), maintained by administrators."""

    event_type = models.CharField(_("Ereignistyp"), max_length=40, choices=EventType.choices)
    # Referenced by code, so the built-in processes keep their well-known names.
    process = models.ForeignKey(
        WorkflowProcess,
        to_field="code",
        on_delete=models.PROTECT,
        related_name="mappings",
        verbose_name=_("Prozess"),
    )
    # A named-user process without a user of its own: who is notified.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Benutzer"),
        help_text=_(
            "Nur für Prozesse an „einen benannten Benutzer“ ohne eigenen Benutzer (z. B. "
            "„Benutzer benachrichtigen“): wer benachrichtigt wird."
        ),
    )
    due_in_days = models.PositiveSmallIntegerField(
        _("Fällig in (Tagen)"),
        null=True,
        blank=True,
        help_text=_("Nur für Aufgaben; leer: die Fälligkeit des Prozesses."),
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
                violation_error_message=_(
                    "Der Prozess „Benutzer benachrichtigen“ braucht einen „Benutzer“."
                ),
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
                violation_error_message=_(
                    "Für diesen „Ereignistyp“ und „Prozess“ gibt es bereits eine Zuordnung ohne "
                    "„Benutzer“."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} → {self.process}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        process = WorkflowProcess.objects.filter(code=self.process_id).first()
        if process is None:
            return  # the field's own validation names the missing process
        if process.names_user_on_mapping and not self.user_id:
            raise ValidationError(
                {
                    "user": ValidationError(
                        _("Für „%(process)s“ muss ein Benutzer gewählt werden.")
                        % {"process": process.name},
                        code=WorkflowError.MAPPING_USER_MISSING,
                    )
                }
            )
        if not process.names_user_on_mapping and self.user_id:
            raise ValidationError(
                {
                    "user": ValidationError(
                        _(
                            "Ein Benutzer wird nur für Prozesse an einen benannten Benutzer "
                            "ohne eigenen Benutzer gewählt."
                        ),
                        code=WorkflowError.MAPPING_USER_NOT_ALLOWED,
                    )
                }
            )

    @property
    def effective_due_in_days(self) -> int:
        return self.due_in_days if self.due_in_days is not None else self.process.due_in_days


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


from .inbox import Notification, Task, TaskStatus  # noqa: E402, F401  (re-exported)
