"""What processes leave for people: tasks (WF-3) and in-app notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from . import EventProcessMapping, Priority, WorkflowEvent


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
    priority = models.CharField(
        _("Priorität"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    # Built-in texts: their code and language-neutral parameters, rendered in the reader's
    # language (WF-4); empty for the agency's own templates, shown as stored.
    text_code = models.CharField(max_length=40, blank=True, editable=False)
    text_params = models.JSONField(default=dict, blank=True, editable=False)
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
        indexes = [
            models.Index(fields=["assignee", "status"]),
            # The open tab of a user's inbox in its order (workflow.views.task_list).
            models.Index(
                fields=["assignee", "status", "due_date", "created_at", "id"],
                name="task_inbox_idx",
            ),
            # A user's tasks newest first (API list).
            models.Index(fields=["assignee", "created_at", "id"], name="task_recent_idx"),
        ]
        constraints = [
            # Idempotent per (event, mapping, deduction, assignee), whatever retries happen;
            # a process for a role group gives each member a task of their own (WF-4).
            models.UniqueConstraint(
                fields=["event", "mapping", "deduction", "assignee"],
                condition=Q(event__isnull=False) & Q(deduction__isnull=False),
                name="task_once_per_event_mapping_deduction",
                violation_error_message=_(
                    "Für dieses Workflowereignis, diese Ereigniszuordnung, diesen Abzug und "
                    "diesen Zuständigen gibt es bereits eine Aufgabe."
                ),
            ),
            models.UniqueConstraint(
                fields=["event", "mapping", "assignee"],
                condition=Q(event__isnull=False) & Q(deduction__isnull=True),
                name="task_once_per_event_mapping",
                violation_error_message=_(
                    "Für dieses Workflowereignis, diese Ereigniszuordnung und diesen Zuständigen "
                    "gibt es bereits eine Aufgabe."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def subject_display(self) -> str:
        """The subject in the reader's language where the text is a built-in one."""
        from ..texts import render

        return render(self.text_code, self.text_params).subject if self.text_code else self.subject

    @property
    def description_display(self) -> str:
        from ..texts import render

        if self.text_code:
            return render(self.text_code, self.text_params).description
        return self.description

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
    body = models.TextField(_("Text"), blank=True)
    link = models.CharField(_("Link"), max_length=300, blank=True)
    text_code = models.CharField(max_length=40, blank=True, editable=False)
    text_params = models.JSONField(default=dict, blank=True, editable=False)
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
                violation_error_message=_(
                    "Für dieses Workflowereignis, diese Ereigniszuordnung und diesen Empfänger "
                    "gibt es bereits eine Benachrichtigung."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def message_display(self) -> str:
        """The message in the reader's language where the text is a built-in one (WF-4)."""
        from ..texts import render

        return render(self.text_code, self.text_params).subject if self.text_code else self.message

    @property
    def body_display(self) -> str:
        from ..texts import render

        return render(self.text_code, self.text_params).description if self.text_code else self.body
