"""Client notices (SIM-5, Mitteilung über Abzüge): what a client is told about a deduction
decision (created, changed, ended) or about a payment, in plain German.

``notice_facts`` gathers everything the notice says — already worded and formatted in
German (numbers "1.240,00 €", dates "05.01.2026") — from the case, its deductions in force,
the engine's lines (the next payment simulated, or the payment's stored breakdown) and the
payoff forecasts (LI-3). ``notice_issue`` stores that snapshot with the notice, so the page
and the PDF are rendered from the snapshot alone and print again identically later.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cases.models import ProductDeliveryCase
from config.dates import format_date
from config.exceptions import ValidationFailed
from config.skip_reasons import skip_reason_text
from deductions.models import IN_FORCE_STATUSES, Deduction, DeductionStatus
from products.models import DeductionCategory

from .. import selectors
from ..engine import SkipReason
from ..models import Notice, NoticeKind, Payment, PaymentKind
from .forecast import ForecastStatus, liability_forecasts
from .simulation import simulation_run

FACTS_VERSION = 1


def _money(value) -> str:
    amount = Decimal(str(value))
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)} €"


def _percent(value) -> str:
    return f"{formats.number_format(Decimal(str(value)), 2, use_l10n=True)} %"


def notice_kind_for(*, deduction: Deduction, today: date | None = None) -> str:
    """The kind a deduction's notice has unless the caseworker chooses another: ended once
    it is cancelled, deactivated after running or past its end; changed once it was
    modified; otherwise created."""
    today = today or timezone.localdate()
    if (
        deduction.status == DeductionStatus.CANCELLED
        or (deduction.status == DeductionStatus.INACTIVE and deduction.activated_on)
        or deduction.end_date < today
    ):
        return NoticeKind.DEDUCTION_ENDED
    if deduction.history.filter(history_type="~").exists():
        return NoticeKind.DEDUCTION_CHANGED
    return NoticeKind.DEDUCTION_CREATED


def _reason(deduction: Deduction) -> str:
    """Why the deduction is taken, in a sentence the client understands."""
    name = deduction.deduction_type.name
    if deduction.category == DeductionCategory.APPLIED and deduction.liability_id:
        liability = deduction.liability
        text = _("Rückzahlung Ihrer Verbindlichkeit %(id)s (%(name)s)") % {
            "id": liability.liability_case_id,
            "name": liability.description or name,
        }
        return text
    if deduction.category == DeductionCategory.THIRD_PARTY and deduction.third_party_id:
        return _("Zahlung an %(payee)s für %(name)s, Referenz %(reference)s") % {
            "payee": deduction.third_party.name,
            "name": name,
            "reference": deduction.third_party_reference or "–",
        }
    return _("Einbehalt für %(name)s") % {"name": name}


def _amount(deduction: Deduction) -> str:
    if deduction.amount is not None:
        return _("%(amount)s je Zahlung") % {"amount": _money(deduction.amount)}
    return _("%(percent)s der Leistung je Zahlung") % {"percent": _percent(deduction.percentage)}


def _deduction_facts(deduction: Deduction, forecasts: dict) -> dict:
    facts = {
        "id": deduction.pk,
        "name": deduction.deduction_type.name,
        "category": str(deduction.get_category_display()),
        "amount": _amount(deduction),
        "period": f"{format_date(deduction.start_date)} – {format_date(deduction.end_date)}",
        "reason": _reason(deduction),
        "remaining": None,
        "payoff": None,
        "third_party": deduction.third_party.name if deduction.third_party_id else None,
    }
    if deduction.category == DeductionCategory.APPLIED and deduction.liability_id:
        facts["remaining"] = _money(deduction.liability.outstanding_amount)
        forecast = forecasts.get(deduction.liability_id)
        if forecast is not None and forecast.status == ForecastStatus.REPAID:
            facts["payoff"] = _("voraussichtlich getilgt am %(date)s (nach %(n)s Zahlungen)") % {
                "date": format_date(forecast.payoff_date),
                "n": forecast.payments,
            }
        elif forecast is not None and forecast.reason:
            facts["payoff"] = forecast.reason
    return facts


def _line_facts(line: dict) -> dict:
    if line["status"] == "skipped":
        note = _("nicht abgezogen: %(reason)s") % {
            "reason": skip_reason_text(SkipReason(line["reason"]), language="de")
        }
    else:
        note = ""
    return {"name": line["name"], "amount": _money(line["amount"]), "note": note}


def _payment_facts(payment: dict, names: dict[int, str], third_parties: list[dict]) -> dict:
    """One payment as the engine computed it (SIM-2's payment dict)."""
    return {
        "nominee": names.get(payment["nominee"], str(payment["nominee"])),
        "period": f"{format_date(payment['period_start'])} – {format_date(payment['period_end'])}",
        "effective_date": format_date(payment["effective_date"]),
        "gross": _money(payment["gross"]),
        "tax": _money(payment["tax"]) if Decimal(payment["tax"]) else None,
        "lines": [_line_facts(line) for line in payment.get("deductions", [])],
        "total_deducted": _money(payment.get("total_deducted") or "0"),
        "net": _money(payment["net"]),
        "third_parties": third_parties,
    }


def _third_parties_in(payment: dict, deductions: dict[int, Deduction]) -> list[dict]:
    """Third parties a (simulated) payment pays, from its processed third-party lines."""
    paid = []
    for line in payment.get("deductions", []):
        deduction = deductions.get(line["deduction"])
        if (
            deduction is not None
            and deduction.category == DeductionCategory.THIRD_PARTY
            and line["status"] == "processed"
        ):
            paid.append(
                {
                    "name": deduction.third_party.name,
                    "amount": _money(line["amount"]),
                    "reference": deduction.third_party_reference,
                }
            )
    return paid


def _next_payments(case: ProductDeliveryCase, user: User, deductions) -> tuple[str, list[dict]]:
    """The case's next payment period, simulated by the engine (as a run would pay it)."""
    data = selectors.case_data(case_id=case.pk)
    if data is None:
        return "", []
    periods = data.periods_due(date.max - timedelta(days=400), limit=1)
    if not periods:
        return "", []
    period = periods[0]
    result = simulation_run(case_id=case.pk, up_to=period.effective_date, user=user)
    payments = [p for p in result["payments"] if p["period_start"] == period.start.isoformat()]
    names = selectors.participant_names(p["nominee"] for p in payments)
    return format_date(period.effective_date), [
        _payment_facts(p, names, _third_parties_in(p, deductions)) for p in payments
    ]


def notice_facts(
    *,
    kind: str,
    deduction: Deduction | None = None,
    payment: Payment | None = None,
    user: User | None = None,
    today: date | None = None,
) -> dict:
    """Everything the notice says, worded and formatted in German (a JSON-ready dict)."""
    today = today or timezone.localdate()
    with translation.override("de"):
        return _facts(kind, deduction, payment, user, today)


def _facts(kind, deduction, payment, user: User, today) -> dict:
    case_id = _notice_case_id(kind, deduction, payment)
    case = ProductDeliveryCase.objects.select_related("product", "primary_client").get(pk=case_id)
    in_force = list(
        Deduction.objects.filter(case=case, status__in=IN_FORCE_STATUSES)
        .select_related("deduction_type", "liability", "third_party")
        .order_by("priority", "pk")
    )
    by_id = {d.pk: d for d in in_force}
    if deduction is not None and deduction.pk not in by_id:
        deduction = Deduction.objects.select_related(
            "deduction_type", "liability", "third_party"
        ).get(pk=deduction.pk)
        by_id[deduction.pk] = deduction
    forecasts = liability_forecasts(
        liability_ids=[
            d.liability_id
            for d in in_force
            if d.category == DeductionCategory.APPLIED and d.liability_id
        ],
        today=today,
    )
    facts = _case_facts(kind, case, in_force, forecasts, today)
    if kind == NoticeKind.PAYMENT:
        _add_payment_facts(facts, case, payment)
    else:
        _add_deduction_facts(facts, kind, case, deduction, forecasts, by_id, user)
    facts["closing"] = _(
        "Wenn Sie Fragen haben oder mit dieser Entscheidung nicht einverstanden sind, wenden "
        "Sie sich bitte an uns. Geben Sie dabei das Aktenzeichen %(case)s an."
    ) % {"case": case.reference}
    return facts


def _notice_case_id(kind, deduction, payment) -> int:
    """The case the notice is about; refuses an unknown kind or a missing subject."""
    if kind not in NoticeKind.values:
        raise ValidationFailed(_("Diese Art von Mitteilung gibt es nicht."), field="kind")
    if kind == NoticeKind.PAYMENT:
        if payment is None or payment.kind != PaymentKind.BENEFIT:
            raise ValidationFailed(
                _("Eine Mitteilung über eine Zahlung gibt es nur für Leistungszahlungen."),
                field="payment",
            )
        return payment.case_id
    if deduction is None:
        raise ValidationFailed(_("Bitte einen Abzug angeben."), field="deduction")
    return deduction.case_id


def _case_facts(kind, case, in_force, forecasts, today) -> dict:
    """What every notice says: agency, client, benefit and the deductions in force."""
    client = case.primary_client
    benefit_amount = sum((component.amount for component in case.components.all()), Decimal("0.00"))
    return {
        "version": FACTS_VERSION,
        "kind": kind,
        "title": _("Mitteilung über Abzüge"),
        "agency": {
            "name": settings.AGENCY_NAME,
            "address": list(settings.AGENCY_ADDRESS),
        },
        "issued_on": format_date(today),
        "client": {
            "name": client.name,
            "reference": client.reference,
            "address": [line for line in (client.address or "").splitlines() if line.strip()],
        },
        "benefit": {
            "product": case.product.name,
            "case": case.reference,
            "frequency": str(case.product.get_payment_frequency_display()),
            "period": f"{format_date(case.start_date)} – "
            + (format_date(case.expected_end_date) if case.expected_end_date else _("offen")),
            "amount": _money(benefit_amount),
        },
        "deductions": [_deduction_facts(d, forecasts) for d in in_force],
        "decision": None,
        "payments_heading": "",
        "payments": [],
    }


def _add_payment_facts(facts: dict, case, payment) -> None:
    """A payment notice: the benefit payment with its deductions and third-party payments."""
    facts["subject"] = _("Ihre Zahlung für den Zeitraum %(period)s") % {
        "period": f"{format_date(payment.period_start)} – {format_date(payment.period_end)}"
    }
    facts["intro"] = _(
        "wir teilen Ihnen mit, wie sich Ihre Zahlung zusammensetzt und welche Beträge "
        "wir davon abgezogen haben."
    )
    third = [
        {
            "name": p.payee.name,
            "amount": _money(p.net),
            "reference": p.reference,
        }
        for p in Payment.objects.filter(
            case=case,
            kind=PaymentKind.THIRD_PARTY,
            nominee=payment.nominee,
            period_start=payment.period_start,
        )
        .select_related("payee")
        .order_by("pk")
    ]
    names = selectors.participant_names([payment.nominee_id])
    facts["payments_heading"] = _("Ihre Zahlung")
    facts["payments"] = [_payment_facts(payment.breakdown(), names, third)]


def _add_deduction_facts(facts: dict, kind, case, deduction, forecasts, by_id, user: User) -> None:
    """A deduction notice (created, changed, ended): the decision and, when one is due,
    the next payment as the engine would make it."""
    subject_facts = _deduction_facts(deduction, forecasts)
    wording = {
        NoticeKind.DEDUCTION_CREATED: _("Neuer Abzug von Ihrer Leistung: %(name)s"),
        NoticeKind.DEDUCTION_CHANGED: _("Änderung eines Abzugs von Ihrer Leistung: %(name)s"),
        NoticeKind.DEDUCTION_ENDED: _("Ende eines Abzugs von Ihrer Leistung: %(name)s"),
    }[kind]
    facts["subject"] = wording % {"name": deduction.deduction_type.name}
    facts["intro"] = {
        NoticeKind.DEDUCTION_CREATED: _(
            "wir haben entschieden, von Ihrer Leistung künftig einen Betrag abzuziehen. "
            "Hier erfahren Sie, wie viel, ab wann und warum."
        ),
        NoticeKind.DEDUCTION_CHANGED: _(
            "wir haben einen Abzug von Ihrer Leistung geändert. Hier erfahren Sie, was jetzt gilt."
        ),
        NoticeKind.DEDUCTION_ENDED: _(
            "ein Abzug von Ihrer Leistung endet. Hier erfahren Sie, ab wann nichts mehr "
            "abgezogen wird."
        ),
    }[kind]
    facts["decision"] = {
        "heading": _("Die Entscheidung"),
        "rows": _decision_rows(kind, deduction, subject_facts),
    }
    next_date, payments = _next_payments(case, user, by_id)
    if payments:
        facts["payments_heading"] = _(
            "So sieht Ihre nächste Zahlung am %(date)s voraussichtlich aus"
        ) % {"date": next_date}
        facts["payments"] = payments


def _decision_rows(kind, deduction, subject_facts: dict) -> list[list[str]]:
    """The decision as label/value rows."""
    rows = [
        [_("Abzug"), subject_facts["name"]],
        [_("Grund"), subject_facts["reason"]],
        [_("Betrag"), subject_facts["amount"]],
        [_("Zeitraum"), subject_facts["period"]],
    ]
    if kind == NoticeKind.DEDUCTION_ENDED:
        last = deduction.end_date
        if deduction.status in (DeductionStatus.CANCELLED, DeductionStatus.INACTIVE):
            last = deduction.last_processed_on or deduction.end_date
        rows.append([_("Letzter Abzug"), format_date(last) if deduction.processed_total else "–"])
    rows.append([_("Bisher insgesamt abgezogen"), _money(deduction.processed_total)])
    if subject_facts["remaining"] is not None:
        rows.append([_("Noch offener Betrag"), subject_facts["remaining"]])
    if subject_facts["payoff"]:
        rows.append([_("Tilgung"), subject_facts["payoff"]])
    if subject_facts["third_party"]:
        rows.append([_("Gezahlt an"), subject_facts["third_party"]])
    return rows


def facts_digest(*, facts: dict) -> str:
    """The version of the facts: SHA-256 of their canonical JSON."""
    canonical = json.dumps(facts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def notice_issue(
    *,
    kind: str,
    user: User,
    deduction: Deduction | None = None,
    payment: Payment | None = None,
) -> Notice:
    """SIM-5: issue a notice and record it on the case with its frozen facts."""
    facts = notice_facts(kind=kind, deduction=deduction, payment=payment, user=user)
    notice = Notice(
        case_id=(payment.case_id if kind == NoticeKind.PAYMENT else deduction.case_id),
        kind=kind,
        deduction=deduction if kind != NoticeKind.PAYMENT else None,
        payment=payment if kind == NoticeKind.PAYMENT else None,
        facts=facts,
        facts_digest=facts_digest(facts=facts),
        issued_by=user,
    )
    try:
        notice.full_clean()
    except DjangoValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc
    notice.save()
    return notice
