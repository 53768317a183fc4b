"""The integrated case create form chooses further nominees with one picker (issue 14):
IC-10 (first benefit with the case, its nominees) and IC-7 (nominees: the primary client,
or another person, employer or representative). The chips submit one reference each; a
user without JavaScript types references separated by commas; refusals are shown beside
the field and the accepted participants come back as chips."""

from datetime import date

import pytest
from django.utils import translation

from cases.forms import IntegratedCaseCreateForm
from cases.models import IntegratedCase, Nominee, ProductDeliveryCase
from participants.models import ParticipantType
from tests import factories

pytestmark = pytest.mark.django_db
NEW = "/cases/new/"


@pytest.fixture
def world(db):
    return {
        "thomas": factories.PersonFactory(name="Thomas Schmidt", reference="B-0000001"),
        "linda": factories.PersonFactory(
            name="Linda Schmidt", reference="B-0000002", date_of_birth=date(1982, 3, 4)
        ),
        "firm": factories.ParticipantFactory(
            name="Schmidt Bau GmbH", reference="B-0000003", type=ParticipantType.EMPLOYER
        ),
        "water": factories.UtilityFactory(name="Stadtwerke", reference="B-0000004"),
        "product": factories.ProductFactory(name="Grundsicherung"),
    }


@pytest.fixture
def cw_client(client, caseworker):
    client.force_login(caseworker)
    return client


def _data(world, *nominees):
    """The posted form; a list is sent as one value per item (chips, then the input)."""
    return {
        "mode": "existing",
        "participant_reference": world["thomas"].reference,
        "case_type": "social_assistance",
        "product": str(world["product"].pk),
        "start_date": "2026-11-02",
        "nominee_references": list(nominees),
    }


def _nominees(case: IntegratedCase) -> set[str]:
    pdc = ProductDeliveryCase.objects.get(integrated_case=case)
    return set(Nominee.objects.filter(case=pdc).values_list("participant__name", flat=True))


def test_case_created_with_two_further_nominees_chosen_with_the_picker_IC_10_IC_7(cw_client, world):
    """IC-10, IC-7: two chips (one reference each; the search input left empty) make two
    further nominees beside the primary client, who is always one."""
    response = cw_client.post(NEW, _data(world, "B-0000002", "B-0000003", ""))
    assert response.status_code == 302
    case = IntegratedCase.objects.get()
    assert _nominees(case) == {"Thomas Schmidt", "Linda Schmidt", "Schmidt Bau GmbH"}


def test_without_javascript_references_typed_with_commas_IC_10_IC_7(cw_client, world):
    """IC-10, IC-7: the text input alone, references separated by commas (any case), a
    participant named twice and the primary client named again: each a nominee once."""
    typed = "b-0000002 , B-0000003, B-0000002, B-0000001"
    response = cw_client.post(NEW, _data(world, typed))
    assert response.status_code == 302
    case = IntegratedCase.objects.get()
    assert _nominees(case) == {"Thomas Schmidt", "Linda Schmidt", "Schmidt Bau GmbH"}
    assert Nominee.objects.count() == 3


def test_unknown_and_not_allowed_refused_beside_the_field_chips_kept_IC_10_IC_7(cw_client, world):
    """IC-7: a utility cannot be a nominee, an unknown reference names nobody; both are
    refused beside the field, nothing is written, the accepted participant comes back as
    a chip (with its echo) and the refused references stay in the text input."""
    response = cw_client.post(NEW, _data(world, "B-0000002", "B-0000004, B-7777777"))
    assert response.status_code == 200
    assert not IntegratedCase.objects.exists()
    html = response.content.decode()
    assert 'id="id_nominee_references-error">Stadtwerke (B-0000004) kann nicht ' in html
    assert "Es gibt keinen Beteiligten mit der Referenznummer „B-7777777“." in html
    field = html.split('<label for="id_nominee_references"', 1)[1].split("</fieldset>", 1)[0]
    assert field.count('class="picker-chip"') == 1
    assert "Linda Schmidt, geb. 04.03.1982 (B-0000002)" in field
    assert 'aria-label="Linda Schmidt, geb. 04.03.1982 (B-0000002) entfernen"' in field
    assert 'value="B-0000004, B-7777777"' in field


def test_service_refusal_beside_the_field_and_chips_kept_IC_10(cw_client, world):
    """IC-10: the service's refusal of a nominee (an employer that ceased trading, PT-3)
    is shown beside the picker; the chosen participants are chips again."""
    world["firm"].trading_status = "ceased_trading"
    world["firm"].save()
    response = cw_client.post(NEW, _data(world, "B-0000002", "B-0000003"))
    assert response.status_code == 200
    assert not IntegratedCase.objects.exists()
    html = response.content.decode()
    assert 'id="id_nominee_references-error"' in html
    field = html.split('<label for="id_nominee_references"', 1)[1].split("</fieldset>", 1)[0]
    assert field.count('class="picker-chip"') == 2
    assert "Schmidt Bau GmbH (B-0000003)" in field


def test_round_trip_for_another_field_keeps_the_chosen_nominees_IC_10(cw_client, world):
    """IC-10: a missing client leaves the chosen nominees as chips, nobody lost."""
    data = _data(world, "B-0000003", "B-0000002")
    data["participant_reference"] = ""
    response = cw_client.post(NEW, data)
    assert response.status_code == 200
    html = response.content.decode()
    chips = html.split('id="id_nominee_references-chosen"', 1)[1].split("</ul>", 1)[0]
    assert chips.index("Schmidt Bau GmbH") < chips.index("Linda Schmidt")  # order kept
    assert 'name="nominee_references" value="B-0000003" checked' in chips


def test_picker_offers_the_nominee_types_and_keeps_the_help_text_IC_7(cw_client, world):
    """IC-7: the picker searches persons, employers and representatives only; the label
    no longer asks for reference numbers; the help text stays."""
    form = IntegratedCaseCreateForm()
    assert str(form.fields["nominee_references"].label) == "Weitere Leistungsempfänger"
    html = cw_client.get(NEW).content.decode()
    assert "Referenznummern, durch Komma getrennt" not in html
    assert "person,employer,representative" in html
    assert "Der Hauptbeteiligte ist immer Leistungsempfänger." in html
    assert 'aria-label="Gewählte weitere Leistungsempfänger"' in html
    with translation.override("en"):
        english = IntegratedCaseCreateForm()
        assert str(english.fields["nominee_references"].label) == "Additional nominees"
        html = str(english["nominee_references"])
        assert 'aria-label="Chosen additional nominees"' in html
        assert 'data-text-remove="Remove %(label)s"' in html
