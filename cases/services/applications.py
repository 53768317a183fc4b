"""Applications for products with an application process (IC-2)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from config.dates import format_date
from config.exceptions import Conflict, IllegalTransition, ValidationFailed
from config.history import history_stamp
from config.transitions import transition
from participants.models import Participant
from products.models import Product

from ..models import (
    Application,
    ApplicationStatus,
    IntegratedCase,
    IntegratedCaseStatus,
    IntegratedCaseType,
)
from .common import _check_primary_client, _check_start_not_too_early, _register_client, _today
from .delivery_cases import product_delivery_case_create
from .integrated_cases import _resolve_case_type, integrated_case_create


@transaction.atomic
def application_submit(
    *,
    product: Product,
    requested_start_date: date | None,
    user: User,
    applicant: Participant | None = None,
    new_applicant: dict | None = None,
    case_type: IntegratedCaseType | str | None = None,
    submitted_on: date | None = None,
) -> Application:
    """IC-2: capture an application for a product with an application process, for a
    registered person/prospect or one registered in the same step."""
    if not product.has_application_process:
        raise ValidationFailed(
            _(
                "Für das Leistungsprodukt „%(p)s“ gibt es kein Anliegenverfahren; bitte legen "
                "Sie den Fall direkt an."
            )
            % {"p": product.name},
            field="product",
        )
    if requested_start_date is None:
        raise ValidationFailed(
            _("Bitte geben Sie das gewünschte Startdatum an."), field="requested_start_date"
        )
    _check_start_not_too_early(requested_start_date, field="requested_start_date")
    resolved_type = _resolve_case_type(case_type)
    if (applicant is None) == (not new_applicant):
        raise ValidationFailed(
            _("Bitte wählen Sie einen Antragsteller oder registrieren Sie eine neue Person."),
            field="applicant",
        )
    if new_applicant:
        try:
            applicant = _register_client(new_applicant, user)
        except ValidationFailed as exc:
            raise ValidationFailed(
                errors={
                    k.replace("new_client.", "new_applicant."): v for k, v in exc.errors.items()
                }
            )
    else:
        applicant = Participant.objects.select_for_update().get(pk=applicant.pk)
        _check_primary_client(applicant, field="applicant")
        pending = Application.objects.filter(
            applicant=applicant, product=product, status=ApplicationStatus.SUBMITTED
        ).first()
        if pending:
            raise Conflict(
                _("Für %(name)s liegt bereits ein offener Antrag auf „%(p)s“ vor (Nr. %(id)s).")
                % {"name": applicant.name, "p": product.name, "id": pending.pk},
                field="applicant",
            )
    application = Application(
        applicant=applicant,
        product=product,
        case_type=resolved_type,
        submitted_on=submitted_on or _today(),
        requested_start_date=requested_start_date,
        created_by=user,
    )
    history_stamp(application, user=user, reason=_("Eingereicht"))
    application.save()
    return application


@transaction.atomic
def application_approve(
    *, application: Application, user: User, on: date | None = None
) -> Application:
    """IC-2: approval creates the integrated case (unless the client has one open of that
    type) and the product delivery case. A second approval is refused (409); the row lock
    makes concurrent approvals wait and then see the first one's result."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status == ApplicationStatus.APPROVED:
        pdc = locked.product_delivery_case
        raise IllegalTransition(
            _(
                "Der Antrag Nr. %(id)s wurde bereits am %(d)s genehmigt; der "
                "Produktbereitstellungsfall %(ref)s besteht schon und wird nicht noch einmal "
                "angelegt."
            )
            % {
                "id": locked.pk,
                "d": format_date(locked.decided_on),
                "ref": pdc.reference if pdc else "–",
            }
        )
    if locked.status == ApplicationStatus.REJECTED:
        raise IllegalTransition(
            _("Der Antrag Nr. %(id)s wurde abgelehnt und kann nicht genehmigt werden.")
            % {"id": locked.pk}
        )
    on = on or _today()
    # Serialise case creation per client: two applications of one client approved at once
    # must not both create an integrated case of the same type.
    client = Participant.objects.select_for_update().get(pk=locked.applicant_id)
    _check_primary_client(client, field="applicant")
    ic = (
        IntegratedCase.objects.filter(
            primary_client=client, case_type=locked.case_type, status=IntegratedCaseStatus.OPEN
        )
        .order_by("id")
        .first()
    )
    if ic is None:
        ic = integrated_case_create(
            user=user, primary_client=client, case_type=locked.case_type, opened_on=on
        )
    pdc = product_delivery_case_create(
        integrated_case=ic,
        product=locked.product,
        start_date=locked.requested_start_date,
        case_supervisor=user,
        user=user,
        via_application=True,
    )
    transition(locked, "approve", _("Der Antrag kann nicht genehmigt werden."), by=user, on=on)
    locked.product_delivery_case = pdc
    history_stamp(locked, user=user, reason=_("Genehmigt"))
    locked.save()
    return locked


@transaction.atomic
def application_reject(
    *, application: Application, user: User, reason: str, on: date | None = None
) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Bitte geben Sie einen Ablehnungsgrund an."), field="reason")
    transition(
        locked,
        "reject",
        _("Nur eingereichte Anträge können abgelehnt werden."),
        by=user,
        on=on or _today(),
    )
    history_stamp(locked, user=user, reason=_("Abgelehnt: %(r)s") % {"r": reason})
    locked.save()
    return locked
