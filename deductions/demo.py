"""Demo deductions on the demo product delivery case of Thomas Schmidt (product
"Grundsicherung", created by cases/demo.py): electricity paid to "Stadtwerke Musterstadt"
(third party, fixed 15,00) and the recovery of his overpayment "VB-2026-0001" (applied,
10 %), and the rent of 50,00 paid to "Wohnbau Muster GmbH" — more than the 30 % limit
leaves of Thomas's 100,00, so every payment run skips it (the demo's skipped deduction,
with its supervisor task). Created through the services, activated when the case is
active. Idempotent: a type that already has a live deduction on the case is left alone."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model

from cases.models import Liability, ProductDeliveryCase
from config.exceptions import ApplicationError, IllegalTransition
from participants.models import Participant
from products.models import DeductionType

from . import services
from .models import Deduction, DeductionStatus

PRODUCT = "Grundsicherung"
CLIENT = "Thomas Schmidt"
UTILITY = "Stadtwerke Musterstadt"
LANDLORD = "Wohnbau Muster GmbH"
LIABILITY = "VB-2026-0001"


def _create(stdout, label: str, **kwargs) -> None:
    try:
        services.deduction_create(activate=True, **kwargs)
    except IllegalTransition:
        services.deduction_create(activate=False, **kwargs)
        stdout.write(f"  Abzug „{label}“ angelegt (inaktiv: der Fall ist nicht aktiv)")
    except ApplicationError as exc:
        stdout.write(f"  Abzug „{label}“ nicht angelegt: {exc.message}")
    else:
        stdout.write(f"  Abzug „{label}“ angelegt und aktiviert")


def seed(*, stdout) -> None:
    case = (
        ProductDeliveryCase.objects.filter(product__name=PRODUCT, primary_client__name=CLIENT)
        .select_related("primary_client")
        .order_by("id")
        .first()
    )
    if case is None:
        stdout.write("  Keine Demo-Abzüge: der Demo-Fall von Thomas Schmidt fehlt.")
        return
    user = get_user_model().objects.filter(username="caseworker").first() or case.case_supervisor
    thomas = case.primary_client
    nominee = thomas if case.nominee_links.filter(participant=thomas).exists() else None
    start = case.start_date
    end = case.expected_end_date or start + datetime.timedelta(days=365)
    live = Deduction.objects.filter(case=case).exclude(status=DeductionStatus.CANCELLED)

    strom = DeductionType.objects.filter(name="Strom").first()
    utility = Participant.objects.filter(name=UTILITY).order_by("id").first()
    if strom and utility and nominee and not live.filter(deduction_type=strom).exists():
        account = utility.bank_accounts.first()
        _create(
            stdout,
            "Strom",
            case=case,
            deduction_type=strom,
            user=user,
            amount=Decimal("15.00"),
            nominee=nominee,
            start_date=start,
            end_date=end,
            third_party=utility,
            third_party_account_number=(
                account.account_number if account else "DE02120300000000202051"
            ),
            third_party_reference="STROM-2026-0815",
        )

    overpayment = DeductionType.objects.filter(name="Überzahlung").first()
    liability = Liability.objects.filter(liability_case_id=LIABILITY, status="open").first()
    if overpayment and liability and not live.filter(deduction_type=overpayment).exists():
        _create(
            stdout,
            "Überzahlung",
            case=case,
            deduction_type=overpayment,
            user=user,
            percentage=Decimal("10.00"),
            nominee=nominee,
            start_date=start,
            end_date=end,
            liability=liability,
            priority=services.AUTOMATIC,
        )

    rent = DeductionType.objects.filter(name="Miete").first()
    landlord = Participant.objects.filter(name=LANDLORD).order_by("id").first()
    if rent and landlord and nominee and not live.filter(deduction_type=rent).exists():
        account = landlord.bank_accounts.first()
        _create(
            stdout,
            "Miete",
            case=case,
            deduction_type=rent,
            user=user,
            amount=Decimal("50.00"),
            nominee=nominee,
            start_date=start,
            end_date=end,
            third_party=landlord,
            third_party_account_number=(
                account.account_number if account else "DE89370400440532013000"
            ),
            third_party_reference="MIETE-2026-12",
        )
