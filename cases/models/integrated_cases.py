"""Integrated cases, their types and members (IC-1, IC-3, IC-4)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from participants.models import Participant


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
                violation_error_message=_(
                    "Es kann nur einen „Standardtyp“ geben; nehmen Sie die Markierung beim "
                    "bisherigen Standardtyp zuerst zurück."
                ),
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
