"""Amounts and percentages in the "Neuer Abzug" wizard and on the edit page (CD-6, CD-13,
DT-3, DT-4): typed in the page's language, refused beside the field with the accepted
form, shown back in the language; nothing is saved on a refusal."""

from decimal import Decimal

import pytest
from django.urls import reverse

from deductions.models import Deduction
from products.models import DeductionType
from tests.deductions.conftest import create
from tests.deductions.conftest import wizard_step as _step
from tests.money_entry import field_block, use_language

pytestmark = pytest.mark.django_db


def _to_amount_step(client, world, deduction_type):
    case = world.case
    client.get(reverse("deductions:create", args=[case.pk]))
    _step(client, case, "category", {"category": deduction_type.category})
    _step(client, case, "type", {"deduction_type": deduction_type.pk})


def _finish_unapplied(client, world):
    case = world.case
    _step(client, case, "assignment", {"assignment": "nominee", "nominee": world.thomas.pk})
    _step(client, case, "period", {"start_date": "2026-02-01", "end_date": "2026-06-30"})
    return _step(client, case, "confirm", {})


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [("de", "45,50", "45.50"), ("de", "45", "45.00"), ("en", "45.50", "45.50")],
)
def test_wizard_fixed_amount_in_the_page_language_CD_6(client_cw, world, language, typed, stored):
    """CD-6: the wizard's fixed amount, German or English, is the amount saved."""
    use_language(client_cw, language)
    _to_amount_step(client_cw, world, world.unapplied)
    response = _step(client_cw, world.case, "amount", {"kind": "fixed", "amount": typed})
    assert response.status_code == 302
    _finish_unapplied(client_cw, world)
    assert Deduction.objects.get().amount == Decimal(stored)


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("de", "12,345", "Betrag bitte als 1.234,56 eingeben."),
        ("de", "abc", "Betrag bitte als 1.234,56 eingeben."),
        ("de", "45.50", "Betrag bitte als 1.234,56 eingeben."),
        ("en", "45,50", "Please enter the amount as 1,234.56."),
        ("en", "Infinity", "Please enter the amount as 1,234.56."),
    ],
)
def test_wizard_fixed_amount_refused_beside_the_field_CD_6(
    client_cw, world, language, typed, message
):
    """CD-6: a refused amount stays at the amount step, with the message beside it."""
    use_language(client_cw, language)
    _to_amount_step(client_cw, world, world.unapplied)
    response = _step(client_cw, world.case, "amount", {"kind": "fixed", "amount": typed})
    assert response.status_code == 400
    assert message in field_block(response.content.decode(), "amount")
    assert not Deduction.objects.exists()


@pytest.mark.parametrize(
    ("language", "typed", "stored"), [("de", "2,5", "2.50"), ("en", "2.5", "2.50")]
)
def test_wizard_percentage_in_the_page_language_CD_6_DT_4(
    client_cw, world, language, typed, stored
):
    """CD-6, DT-4: the variable rate (at most the type's 5 %), German or English."""
    use_language(client_cw, language)
    _to_amount_step(client_cw, world, world.applied)
    response = _step(client_cw, world.case, "amount", {"kind": "variable", "percentage": typed})
    assert response.status_code == 302
    case = world.case
    _step(client_cw, case, "assignment", {"assignment": "nominee", "nominee": world.thomas.pk})
    _step(client_cw, case, "period", {"start_date": "2026-02-01", "end_date": "2026-06-30"})
    _step(client_cw, case, "details", {"liability_holder": world.thomas.reference})
    _step(client_cw, case, "confirm", {})
    assert Deduction.objects.get().percentage == Decimal(stored)


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("de", "2,555", "Prozentsatz bitte als 12,5 eingeben."),
        ("de", "2.5", "Prozentsatz bitte als 12,5 eingeben."),
        ("de", "-2", "Der Prozentsatz darf nicht negativ sein."),
        ("en", "2,5", "Please enter the percentage as 12.5."),
        ("en", "5e-1", "Please enter the percentage as 12.5."),
    ],
)
def test_wizard_percentage_refused_beside_the_field_CD_6_DT_4(
    client_cw, world, language, typed, message
):
    """CD-6, DT-4: a refused percentage is named beside the percentage field."""
    use_language(client_cw, language)
    _to_amount_step(client_cw, world, world.applied)
    response = _step(client_cw, world.case, "amount", {"kind": "variable", "percentage": typed})
    assert response.status_code == 400
    assert message in field_block(response.content.decode(), "percentage")


@pytest.mark.parametrize(
    ("language", "amount", "percentage"), [("de", "40,00", "3,00"), ("en", "40.00", "3.00")]
)
def test_amount_step_prefills_defaults_in_the_page_language_DT_3_DT_4(
    client_cw, world, language, amount, percentage
):
    """DT-3, DT-4: the type's defaults are prefilled as the page's language writes them."""
    use_language(client_cw, language)
    _to_amount_step(client_cw, world, world.unapplied)
    page = client_cw.get(reverse("deductions:create-step", args=[world.case.pk, "amount"]))
    assert f'value="{amount}"' in field_block(page.content.decode(), "amount")
    _to_amount_step(client_cw, world, world.applied)
    page = client_cw.get(reverse("deductions:create-step", args=[world.case.pk, "amount"]))
    assert f'value="{percentage}"' in field_block(page.content.decode(), "percentage")


@pytest.mark.parametrize(
    ("language", "shown", "typed"), [("de", "40,00", "45,50"), ("en", "40.00", "45.50")]
)
def test_edit_page_shows_and_reads_amount_in_the_page_language_CD_13(
    client_cw, world, language, shown, typed
):
    """CD-13: the edit page shows the saved amount in the page's language and reads the
    new one the same way; a refusal changes nothing."""
    deduction = create(world)
    url = reverse("deductions:edit", args=[deduction.pk])
    use_language(client_cw, language)
    page = client_cw.get(url).content.decode()
    assert f'value="{shown}"' in field_block(page, "amount")
    data = {"start_date": "2026-02-01", "end_date": "2026-06-30", "priority": "1"}
    refused = client_cw.post(url, {**data, "amount": "4o"})
    assert refused.status_code == 400
    example = "1.234,56" if language == "de" else "1,234.56"
    assert example in field_block(refused.content.decode(), "amount")
    deduction.refresh_from_db()
    assert deduction.amount == Decimal("40.00")
    assert client_cw.post(url, {**data, "amount": typed}).status_code == 302
    deduction.refresh_from_db()
    assert deduction.amount == Decimal("45.50")


def test_edit_page_percentage_in_english_CD_13(client_cw, world):
    """CD-13: a variable deduction's rate on an English edit page."""
    deduction = create(world, "applied")
    url = reverse("deductions:edit", args=[deduction.pk])
    use_language(client_cw, "en")
    page = client_cw.get(url).content.decode()
    assert 'value="3.00"' in field_block(page, "percentage")
    data = {"start_date": "2026-02-01", "end_date": "2026-06-30", "priority": "1"}
    refused = client_cw.post(url, {**data, "percentage": "4,5"})
    assert "Please enter the percentage as 12.5." in field_block(
        refused.content.decode(), "percentage"
    )
    assert client_cw.post(url, {**data, "percentage": "4.5"}).status_code == 302
    deduction.refresh_from_db()
    assert deduction.percentage == Decimal("4.50")


def test_wizard_keeps_the_amount_across_a_language_switch_CD_6(client_cw, world):
    """CD-6: an amount typed on the German page (45,50) is still 45.50 after switching to
    English in the middle of the wizard: shown as 45.50 at its step, saved as 45.50."""
    DeductionType.objects.filter(pk=world.unapplied.pk).update(max_amount=None)
    _to_amount_step(client_cw, world, world.unapplied)
    typed = _step(client_cw, world.case, "amount", {"kind": "fixed", "amount": "1.045,50"})
    assert typed["Location"].endswith("/assignment/")
    use_language(client_cw, "en")
    page = client_cw.get(reverse("deductions:create-step", args=[world.case.pk, "amount"]))
    assert 'value="1,045.50"' in field_block(page.content.decode(), "amount")
    response = _finish_unapplied(client_cw, world)
    assert response.status_code == 302
    assert Deduction.objects.get().amount == Decimal("1045.50")
