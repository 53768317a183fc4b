"""Demo data of case deductions: created on Thomas Schmidt's demo case, idempotent."""

import io

import pytest
from django.core.management import call_command

from deductions.models import Deduction
from workflow.models import WorkflowEvent

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_deductions_once_CD_1_CD_3_CD_4():
    """CD-1, CD-3, CD-4: seed_demo puts a third-party "Strom" deduction (fixed 15,00) and an
    applied "Überzahlung" deduction (10 % on VB-2026-0001) and a "Miete" of 50,00 to the
    landlord (more than the 30 % limit leaves, so runs skip it) on the demo case; a second
    run adds nothing."""
    call_command("seed_demo", stdout=io.StringIO())
    deductions = Deduction.objects.filter(case__primary_client__name="Thomas Schmidt")
    assert deductions.exists(), "seed_demo made no deductions on Thomas Schmidt's demo case"
    by_type = {d.deduction_type.name: d for d in deductions}
    strom = by_type["Strom"]
    assert strom.third_party.name == "Stadtwerke Musterstadt"
    assert str(strom.amount) == "15.00"
    ueber = by_type["Überzahlung"]
    assert ueber.liability.liability_case_id == "VB-2026-0001"
    assert str(ueber.percentage) == "10.00"
    miete = by_type["Miete"]
    assert miete.third_party.name == "Wohnbau Muster GmbH"
    assert str(miete.amount) == "50.00" and miete.status in {"active", "skipped"}
    count, events = deductions.count(), WorkflowEvent.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (deductions.count(), WorkflowEvent.objects.count()) == (count, events)
