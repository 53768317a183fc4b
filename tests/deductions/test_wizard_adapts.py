"""The "Neuer Abzug" wizard adapts to what was chosen (issue 14, item 4): fields of the other
amount kind or assignment are marked for hiding (and decided by the server without
JavaScript), a nominee that does not fit the assignment is refused beside the field, the
type's defaults and limits are shown, a lone type is preselected, the case's priority order
shows where the new deduction lands, and the liability choice lists only the holder's (or the
case's) open liabilities with readable labels and no message before submitting (CD-3, CD-6,
CD-7, CD-9)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from deductions.models import Deduction
from products.selectors import link_priority
from tests import factories
from tests.deductions.conftest import create
from tests.deductions.conftest import wizard_step as _step
from tests.deductions.conftest import wizard_url as _url

pytestmark = pytest.mark.django_db


def _to_assignment(client, world, *, kind="variable"):
    case = world.case
    client.get(reverse("deductions:create", args=[case.pk]))
    _step(client, case, "category", {"category": "unapplied"})
    _step(client, case, "type", {"deduction_type": world.unapplied.pk})
    if kind == "variable":
        _step(client, case, "amount", {"kind": "variable", "percentage": "5,00"})
    else:
        _step(client, case, "amount", {"kind": "fixed", "amount": "40,00"})


def _field_div(html: str, name: str) -> str:
    match = re.search(rf'<div class="field" id="field-{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_amount_fields_belong_to_their_kind_CD_6(client_cw, world):
    """CD-6: the fixed amount shows only for "Fester Betrag", the rate only for "Variabler
    Satz"; the page loads the script that hides the other one."""
    case = world.case
    client_cw.get(reverse("deductions:create", args=[case.pk]))
    _step(client_cw, case, "category", {"category": "unapplied"})
    _step(client_cw, case, "type", {"deduction_type": world.unapplied.pk})
    html = client_cw.get(_url(case, "amount")).content.decode()
    assert 'data-show-when="kind=fixed"' in _field_div(html, "amount")
    assert 'data-show-when="kind=variable"' in _field_div(html, "percentage")
    assert "js/wizard.js" in html and "<script>" not in html


def test_assignment_fields_belong_to_their_choice_and_fixed_shows_nominee_only_CD_7(
    client_cw, world
):
    """CD-7: with a variable rate the nominee shows only for "Ein Leistungsempfänger" and the
    component only for "Eine Fallkomponente"; a fixed amount knows its only assignment on the
    server, so the nominee is simply shown and no component exists."""
    _to_assignment(client_cw, world)
    html = client_cw.get(_url(world.case, "assignment")).content.decode()
    assert 'data-show-when="assignment=nominee"' in _field_div(html, "nominee")
    assert 'data-show-when="assignment=component"' in _field_div(html, "component")
    _to_assignment(client_cw, world, kind="fixed")
    html = client_cw.get(_url(world.case, "assignment")).content.decode()
    assert "data-show-when" not in _field_div(html, "nominee")
    assert 'name="component"' not in html


def test_nominee_with_all_nominees_is_refused_beside_the_field_CD_7(client_cw, world):
    """CD-7: a nominee left selected with "Alle Leistungsempfänger" (or a component with
    "Ein Leistungsempfänger") is refused with a message beside it, not silently dropped."""
    _to_assignment(client_cw, world)
    case = world.case
    response = _step(
        client_cw, case, "assignment", {"assignment": "all", "nominee": world.thomas.pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'id="id_nominee_error">(.*?)</div>', html, re.S)
    assert error and "Zur Zuordnung „Alle Leistungsempfänger“ gehört kein einzelner" in (
        error.group(1)
    )
    response = _step(
        client_cw,
        case,
        "assignment",
        {
            "assignment": "nominee",
            "nominee": world.thomas.pk,
            "component": world.thomas_component.pk,
        },
    )
    assert response.status_code == 400
    assert "gehört keine Fallkomponente" in response.content.decode()
    # Nothing was kept: the period step still sends the user back to the assignment.
    assert client_cw.get(_url(case, "period"))["Location"].endswith("/assignment/")
    response = _step(client_cw, case, "assignment", {"assignment": "all", "nominee": ""})
    assert response.status_code == 302


def test_type_defaults_and_limits_shown_and_lone_type_preselected_DT_3_DT_4(client_cw, world):
    """DT-3/DT-4: picking a type shows its defaults and limits; a category with one type
    has it preselected."""
    case = world.case
    client_cw.get(reverse("deductions:create", args=[case.pk]))
    _step(client_cw, case, "category", {"category": "unapplied"})
    html = client_cw.get(_url(case, "type")).content.decode()
    facts = re.search(
        rf'data-show-when="deduction_type={world.unapplied.pk}"(.*?)</div>', html, re.S
    ).group(1)
    for text in ("Standardbetrag", "40,00 €", "Minimaler Abzugsbetrag", "30,00 €"):
        assert text in facts
    assert "Maximaler Abzugsbetrag" in facts and "50,00 €" in facts
    assert "Maximaler Prozentsatz" in facts and "20,00 %" in facts
    assert re.search(rf'value="{world.unapplied.pk}"[^>]*checked', html)


def test_priority_order_shows_where_the_new_deduction_lands_CD_9(client_cw, world):
    """CD-9: the period step lists the case's deductions by priority with the new one at
    the prefilled priority; the help text says what that number does."""
    first = create(world, kind="third_party", priority="automatic")
    second = create(world, kind="third_party", priority="automatic")
    prefill = link_priority(product=world.product, deduction_type=world.unapplied)
    assert prefill in (1, 2)  # the factories link the unapplied type early
    _to_assignment(client_cw, world, kind="fixed")
    case = world.case
    _step(client_cw, case, "assignment", {"assignment": "nominee", "nominee": world.thomas.pk})
    html = client_cw.get(_url(case, "period")).content.decode()
    order = re.search(r'data-testid="priority-order">(.*?)</ol>', html, re.S).group(1)
    items = re.findall(r"<li[^>]*>(.*?)</li>", order, re.S)
    assert len(items) == 3 and 'data-testid="new-position"' in order
    assert "neuer Abzug" in items[prefill - 1]
    others = [item for item in items if "neuer Abzug" not in item]
    assert first.deduction_type.name in others[0] and second.deduction_type.name in others[1]
    assert f"Vorbelegt mit {prefill} aus der Produktverknüpfung" in html
    assert f"Abzüge ab Priorität {prefill} rücken eine Stelle nach hinten." in html
    # As entered: automatic → at the end.
    response = _step(
        client_cw,
        case,
        "period",
        {"start_date": "2027-05-01", "end_date": "2027-06-01", "automatic_priority": "on"},
    )
    assert response.status_code == 400
    order = re.search(
        r'data-testid="priority-order">(.*?)</ol>', response.content.decode(), re.S
    ).group(1)
    assert "neuer Abzug" in re.findall(r"<li[^>]*>(.*?)</li>", order, re.S)[2]


def _to_details_applied(client, world):
    case = world.case
    client.get(reverse("deductions:create", args=[case.pk]))
    _step(client, case, "category", {"category": "applied"})
    _step(client, case, "type", {"deduction_type": world.applied.pk})
    _step(client, case, "amount", {"kind": "variable", "percentage": "3,00"})
    _step(client, case, "assignment", {"assignment": "none"})
    _step(client, case, "period", {"start_date": "2026-02-01", "end_date": "2026-03-01"})


def test_liability_choice_lists_only_the_holders_open_liabilities_labelled_CD_3(client_cw, world):
    """CD-3: the liability choice lists the chosen holder's open liabilities (the case's
    client preselected), never another client's, as "VB-… – reason – 250,00 € offen"; the
    htmx swap shows no message before the user submitted."""
    stranger = factories.PersonFactory(name="Erika Fremd")
    foreign = factories.LiabilityFactory(participant=stranger, liability_case_id="VB-FREMD-1")
    factories.LiabilityFactory(
        participant=world.thomas,
        liability_case_id="VB-2026-0099",
        description="Mietschulden",
        original_amount=Decimal("300.00"),
        outstanding_amount=Decimal("250.00"),
    )
    _to_details_applied(client_cw, world)
    case = world.case
    html = client_cw.get(_url(case, "details")).content.decode()
    # The client preselected (issue 14: the holder is chosen with the picker; the select's
    # `<option value="{pk}" selected>` is now the picker's value and echo).
    holder = html.split('id="field-liability_holder"')[1].split('id="field-liability"')[0]
    assert re.search(rf'name="liability_holder" value="{world.thomas.reference}"', holder)
    assert 'role="combobox"' in holder and "Thomas Schmidt" in holder
    assert "VB-2026-0099 – Mietschulden – 250,00 € offen" in html
    assert foreign.liability_case_id not in html.split('id="field-liability"')[1]
    assert "field-error" not in html
    partials = reverse("deductions:wizard-liabilities", args=[case.pk])
    partial = client_cw.get(partials, {"liability_holder": world.thomas.reference}).content.decode()
    assert "VB-2026-0099 – Mietschulden – 250,00 € offen" in partial
    assert foreign.liability_case_id not in partial
    assert "field-error" not in partial and 'role="alert"' not in partial
    partial = client_cw.get(partials, {"liability_holder": stranger.reference}).content.decode()
    assert "VB-FREMD-1 – 500,00 € offen" in partial and "VB-2026-0099" not in partial
    # Without a holder: the case members' liabilities, each with its holder's name.
    partial = client_cw.get(partials, {"liability_holder": ""}).content.decode()
    assert "VB-2026-0099 – Thomas Schmidt – Mietschulden – 250,00 € offen" in partial
    assert foreign.liability_case_id not in partial
    response = _step(
        client_cw,
        case,
        "details",
        {"liability_holder": world.thomas.reference, "liability": foreign.pk},
    )
    assert response.status_code == 400  # not one of the holder's liabilities
    assert not Deduction.objects.exists()


def test_forged_liability_of_another_client_refused_beside_the_field_CD_3(client_cw, world):
    """CD-3 (issue 14, pickers): a liability id of another client, sent by hand with the
    case's holder, is refused with a message beside the liability choice; the choice then
    still lists only the holder's open liabilities."""
    stranger = factories.PersonFactory(name="Erika Fremd")
    foreign = factories.LiabilityFactory(participant=stranger, liability_case_id="VB-FREMD-2")
    factories.LiabilityFactory(participant=world.thomas, liability_case_id="VB-2026-0100")
    _to_details_applied(client_cw, world)
    response = _step(
        client_cw,
        world.case,
        "details",
        {"liability_holder": world.thomas.reference, "liability": foreign.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    field = html.split('id="field-liability"')[1].split('<div class="field')[0]
    assert "field-error" in field and "gültige" in field  # the choice's own message
    assert "VB-2026-0100" in field and "VB-FREMD-2" not in field
    assert not Deduction.objects.exists()
