"""The deduction wizard and edit page choose the liability holder and the third party with
the participant picker (issue 14, item 3): the picker offers exactly the participants the
field accepts (CD-3: an allowed type with an open liability; CD-4: an allowed type), the
field still refuses anybody else beside it, and the liability choice follows the chosen
holder, with htmx and without JavaScript (CD-3, IC-1)."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse

from deductions.forms import liability_holder_queryset
from deductions.models import Deduction
from participants import selectors
from tests import factories
from tests.deductions.conftest import create
from tests.deductions.conftest import wizard_step as _step
from tests.deductions.conftest import wizard_url as _url

pytestmark = pytest.mark.django_db


def _to_details(client, world, category):
    case = world.case
    client.get(reverse("deductions:create", args=[case.pk]))
    _step(client, case, "category", {"category": category})
    dtype = world.applied if category == "applied" else world.third_party
    _step(client, case, "type", {"deduction_type": dtype.pk})
    _step(client, case, "amount", {"kind": "variable", "percentage": "3,00"})
    _step(client, case, "assignment", {"assignment": "all"})
    _step(client, case, "period", {"start_date": "2026-02-01", "end_date": "2026-03-01"})


def _field(html: str, name: str) -> str:
    """The markup of one field's block (up to the next field)."""
    part = html.split(f'id="field-{name}"', 1)[1]
    return part.split('<div class="field"', 1)[0]


def _picker_vals(field_html: str) -> dict:
    return json.loads(unescape(re.search(r'hx-vals="([^"]*)"', field_html).group(1)))


def _wrapper(field_html: str) -> str:
    return re.search(r'<div class="picker"[^>]*>', field_html).group(0)


def _offered(vals: dict, query: str) -> set:
    """Who the pick endpoint offers for `query` with the widget's restriction parameters."""
    types = vals["types"].split(",") if vals["types"] else None
    found = selectors.participant_pick(
        query=query, types=types, open_liability=vals.get("open_liability") == "1"
    )
    return set(found)


def test_holder_picker_offers_exactly_the_holders_the_field_accepts_CD_3_IC_1(client_cw, world):
    """CD-3, IC-1: the holder is a picker (no select), restricted to the type's allowed
    participant types and to holders of an open liability: what the endpoint offers with
    the widget's parameters is what the field accepts. Choosing reloads the liability
    choice (htmx on the picker's wrapper, with the picked reference)."""
    linda = world.linda  # a person without a liability
    factories.LiabilityFactory(participant=factories.UtilityFactory(name="Schmidt Wasser"))
    settled = factories.PersonFactory(name="Sabine Schmidt")
    factories.LiabilityFactory(participant=settled, status="settled", outstanding_amount="0")
    stranger = factories.PersonFactory(name="Erik Schmidt")
    factories.LiabilityFactory(participant=stranger)
    _to_details(client_cw, world, "applied")
    html = client_cw.get(_url(world.case, "details")).content.decode()
    field = _field(html, "liability_holder")
    assert '<select name="liability_holder"' not in html
    assert 'role="combobox"' in field and 'name="liability_holder"' in field
    vals = _picker_vals(field)
    assert vals["types"] == "person" and vals["open_liability"] == "1"
    offered = _offered(vals, "schmidt")
    assert offered == {world.thomas, stranger}
    assert offered == set(liability_holder_queryset(world.applied).filter(name__contains="Schmidt"))
    assert linda not in offered and settled not in offered
    wrapper = _wrapper(field)
    liabilities = reverse("deductions:wizard-liabilities", args=[world.case.pk])
    assert f'hx-get="{liabilities}"' in wrapper and 'hx-trigger="picker:chosen"' in wrapper
    assert 'hx-include="#id_liability_holder"' in wrapper
    assert 'hx-target="#field-liability"' in wrapper


def test_liability_choice_follows_the_picked_reference_CD_3(client_cw, world):
    """CD-3: the htmx liability choice takes the reference the picker fills in (any case):
    the chosen holder's open liabilities only; a reference of somebody who may not hold
    one lists the case's people's liabilities, never that participant's."""
    stranger = factories.PersonFactory(name="Erika Fremd")
    factories.LiabilityFactory(participant=stranger, liability_case_id="VB-FREMD-7")
    firm = factories.UtilityFactory(name="Fremdwerke")
    factories.LiabilityFactory(participant=firm, liability_case_id="VB-FIRMA-1")
    _to_details(client_cw, world, "applied")
    partials = reverse("deductions:wizard-liabilities", args=[world.case.pk])
    partial = client_cw.get(partials, {"liability_holder": stranger.reference.lower()})
    text = partial.content.decode()
    assert "VB-FREMD-7 – 500,00 € offen" in text
    assert world.liability.liability_case_id not in text
    text = client_cw.get(partials, {"liability_holder": firm.reference}).content.decode()
    assert "VB-FIRMA-1" not in text and "VB-FREMD-7" not in text
    assert f"{world.liability.liability_case_id} – Thomas Schmidt" in text


@pytest.mark.parametrize("who", ["no_liability", "type_not_allowed", "unknown", "id"])
def test_holder_outside_the_allowed_set_refused_beside_the_field_CD_3(client_cw, world, who):
    """CD-3: whatever is sent, only a participant of an allowed type with an open
    liability is accepted; anybody else (a forged reference, an id) is refused with a
    message beside the holder field, and nothing is created."""
    firm = factories.UtilityFactory(name="Fremdwerke")
    factories.LiabilityFactory(participant=firm)
    sent, message = {
        "no_liability": (world.linda.reference, "Linda Schmidt"),
        "type_not_allowed": (firm.reference, "Fremdwerke"),
        "unknown": ("B-9999999", "keinen Beteiligten mit der Referenznummer „B-9999999“"),
        "id": (str(world.thomas.pk), "keinen Beteiligten mit der Referenznummer"),
    }[who]
    _to_details(client_cw, world, "applied")
    response = _step(client_cw, world.case, "details", {"liability_holder": sent})
    assert response.status_code == 400
    field = _field(response.content.decode(), "liability_holder")
    assert "field-error" in field and message in field
    if who in ("no_liability", "type_not_allowed"):
        assert "kann nicht Inhaber sein" in field
    assert _step(client_cw, world.case, "confirm", {}).status_code == 302  # back to details
    assert not Deduction.objects.exists()


def test_without_javascript_the_step_rerenders_with_the_chosen_holders_liabilities_CD_3(
    client_cw, world
):
    """CD-3 without JavaScript: the holder typed by reference and submitted without a
    liability (they have two open ones) comes back with a message and the liability
    choice listing that holder's liabilities only; choosing one then creates the
    deduction against it."""
    stranger = factories.PersonFactory(name="Erika Fremd")
    first = factories.LiabilityFactory(participant=stranger, liability_case_id="VB-FREMD-1")
    factories.LiabilityFactory(participant=stranger, liability_case_id="VB-FREMD-2")
    _to_details(client_cw, world, "applied")
    response = _step(client_cw, world.case, "details", {"liability_holder": stranger.reference})
    assert response.status_code == 400
    html = response.content.decode()
    assert "mehrere offene Verbindlichkeiten" in html
    holder = _field(html, "liability_holder")
    assert f'value="{stranger.reference}"' in holder and "Erika Fremd" in holder  # echoed
    choice = _field(html, "liability")
    assert "VB-FREMD-1 – 500,00 € offen" in choice and "VB-FREMD-2 – 500,00 € offen" in choice
    assert world.liability.liability_case_id not in choice
    response = _step(
        client_cw,
        world.case,
        "details",
        {"liability_holder": stranger.reference, "liability": first.pk},
    )
    assert response.status_code == 302
    assert _step(client_cw, world.case, "confirm", {}).status_code == 302
    assert Deduction.objects.get().liability == first


def test_third_party_picker_offers_the_allowed_types_and_refuses_others_CD_4_IC_1(client_cw, world):
    """CD-4, IC-1: the payee is a picker restricted to the type's allowed participant
    types (utility); a person's reference sent by hand is refused beside the field. The
    account number follows the picked payee, and only a payee the field accepts: no
    account number of anybody else."""
    person = factories.PersonFactory(name="Stadtwerke-Fan Paul")
    factories.BankAccountFactory(participant=person, account_number="DE75512108001245126199")
    factories.BankAccountFactory(participant=world.utility, account_number="DE02120300000000202051")
    _to_details(client_cw, world, "third_party")
    html = client_cw.get(_url(world.case, "details")).content.decode()
    field = _field(html, "third_party")
    assert '<select name="third_party"' not in html and 'role="combobox"' in field
    vals = _picker_vals(field)
    assert vals["types"] == "utility" and "open_liability" not in vals
    assert _offered(vals, "stadtwerke") == {world.utility}
    account = reverse("deductions:wizard-payee-account", args=[world.case.pk])
    assert f'hx-get="{account}"' in _wrapper(field)
    prefilled = client_cw.get(account, {"third_party": world.utility.reference}).content
    assert b"DE02120300000000202051" in prefilled
    refused = client_cw.get(account, {"third_party": person.reference}).content
    assert b"DE75512108001245126199" not in refused

    response = _step(
        client_cw,
        world.case,
        "details",
        {
            "third_party": person.reference,
            "third_party_account_number": "DE02120300000000202051",
            "third_party_reference": "STROM-4711",
        },
    )
    assert response.status_code == 400
    field = _field(response.content.decode(), "third_party")
    assert "field-error" in field and "kann nicht Zahlungsempfänger" in field
    assert not Deduction.objects.exists()


def test_edit_page_changes_the_third_party_with_the_picker_CD_4_CD_13(client_cw, world):
    """CD-4, CD-13: the edit page shows the payee in the picker (reference and name), takes
    another utility by reference and refuses a participant of another type beside the
    field, changing nothing."""
    deduction = create(world, "third_party")
    other = factories.UtilityFactory(name="Gaswerke Nord")
    url = reverse("deductions:edit", args=[deduction.pk])
    html = client_cw.get(url).content.decode()
    field = _field(html, "third_party")
    assert f'value="{world.utility.reference}"' in field and "Stadtwerke Musterstadt" in field
    assert _picker_vals(field)["types"] == "utility"
    data = {
        "percentage": "5,00",
        "start_date": "2026-02-01",
        "end_date": "2026-06-30",
        "priority": str(deduction.priority),
        "third_party": world.linda.reference,
        "third_party_account_number": "DE02120300000000202051",
        "third_party_reference": "STROM-4711",
    }
    response = client_cw.post(url, data)
    assert response.status_code == 400
    assert "kann nicht Zahlungsempfänger" in _field(response.content.decode(), "third_party")
    deduction.refresh_from_db()
    assert deduction.third_party == world.utility
    response = client_cw.post(url, {**data, "third_party": other.reference.lower()})
    assert response.status_code == 302
    deduction.refresh_from_db()
    assert deduction.third_party == other
