"""Activities planned on an integrated case, and their types (IC-11)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from config.dates import format_date
from participants.models import Participant

from .integrated_cases import IntegratedCase


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
                violation_error_message=_("Eine erledigte Aktivität braucht ein „Ergebnis“."),
                condition=~Q(status="done") | ~Q(outcome=""),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({format_date(self.planned_at)})"

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
