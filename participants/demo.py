"""Demo participants: the Schmidt household of the worked examples (Thomas, Linda), the
utility and landlord who receive third-party payments, an employer and a court, with bank
accounts. Idempotent: looked up by type and name, created through the service."""

from datetime import date

from .models import Participant
from .services import participant_create


def german_iban(bank_code: str, account: str) -> str:
    """A German IBAN with correct check digits (for demo accounts)."""
    bban = f"{bank_code:0>8}{account:0>10}"
    number = int(bban + "131400")  # "DE00" as digits: D=13, E=14
    return f"DE{98 - number % 97:02d}{bban}"


# type, name, extra fields, [(account name, bank code, account number, BIC)]
DEMO_PARTICIPANTS = [
    ("person", "Thomas Schmidt", {"date_of_birth": date(1980, 4, 12),
                                  "address": "Lindenweg 3, 12345 Musterstadt"},
     [("Thomas Schmidt", "37040044", "0532013000", "COBADEFFXXX")]),
    ("person", "Linda Schmidt", {"date_of_birth": date(1983, 9, 23),
                                 "address": "Lindenweg 3, 12345 Musterstadt"},
     [("Linda Schmidt", "37040044", "0532013001", "COBADEFFXXX")]),
    ("utility", "Stadtwerke Musterstadt", {"address": "Am Kraftwerk 1, 12345 Musterstadt"},
     [("Stadtwerke Musterstadt", "12030000", "0000202051", "BYLADEM1001")]),
    ("external_party", "Wohnbau Muster GmbH", {"address": "Bahnhofstr. 10, 12345 Musterstadt"},
     [("Wohnbau Muster GmbH Mietkonto", "50010517", "5407324780", "INGDDEFFXXX")]),
    ("employer", "Muster Logistik GmbH", {"trading_status": "active",
                                          "address": "Industriestr. 5, 12345 Musterstadt"},
     [("Muster Logistik GmbH", "76026000", "0101010101", "")]),
    ("external_party", "Amtsgericht Musterstadt", {"address": "Gerichtsplatz 1, 12345 Musterstadt"},
     [("Landesjustizkasse", "60050101", "7495500000", "SOLADEST600")]),
]  # fmt: skip


def seed(*, stdout) -> None:
    for ptype, name, extra, accounts in DEMO_PARTICIPANTS:
        if Participant.objects.filter(type=ptype, name=name).exists():
            continue
        participant = participant_create(
            type=ptype,
            name=name,
            bank_accounts=[
                {"account_name": holder, "account_number": german_iban(code, number), "bic": bic}
                for holder, code, number, bic in accounts
            ],
            **extra,
        )
        stdout.write(f"  Beteiligter „{name}“ ({participant.reference}) angelegt")
