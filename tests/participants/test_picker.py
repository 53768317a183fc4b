"""The participant picker (issue 14): the search endpoint (RO-1 caseworker roles only, at
most 20 results, by name parts, reference prefix, date of birth as dd.mm.yyyy or ISO), the
widget's combobox markup and the name echoed after a validation round-trip (PT-1, IC-1)."""

from datetime import date

import pytest
from django.urls import reverse

from cases.forms import LiabilityForm, MemberAddForm
from participants import selectors
from participants.models import ParticipantType
from tests import factories

pytestmark = pytest.mark.django_db
PICK = "/participants/pick/"


@pytest.fixture
def people():
    return {
        "anna": factories.ParticipantFactory(
            name="Anna Schmidt", reference="B-0000101", date_of_birth=date(1980, 2, 1)
        ),
        "hans": factories.ParticipantFactory(
            name="Hans-Peter Schmidtke", reference="B-0000102", date_of_birth=date(1975, 7, 9)
        ),
        "erika": factories.ParticipantFactory(
            name="Erika Mustermann", reference="B-0000203", date_of_birth=date(1980, 2, 1)
        ),
        "firm": factories.ParticipantFactory(
            name="Schmidt GmbH", reference="B-0000301", type=ParticipantType.EMPLOYER
        ),
    }


def _names(client, **params):
    response = client.get(PICK, params)
    assert response.status_code == 200
    html = response.content.decode()
    return html, {p.name for p in selectors.participant_pick(query=params.get("q", ""))}


def test_endpoint_only_for_caseworker_roles_RO_1(client, caseworker, supervisor, administrator):
    """RO-1: caseworkers and case supervisors search; administrators and anonymous users do not."""
    factories.ParticipantFactory(name="Anna Schmidt")
    assert client.get(PICK, {"q": "anna"}).status_code == 302  # to the login page
    client.force_login(administrator)
    assert client.get(PICK, {"q": "anna"}).status_code == 403
    for user in (caseworker, supervisor):
        client.force_login(user)
        response = client.get(PICK, {"q": "anna"})
        assert response.status_code == 200
        assert "Anna Schmidt" in response.content.decode()


def test_results_show_name_birth_date_and_reference_as_options(client, caseworker, people):
    client.force_login(caseworker)
    html = client.get(PICK, {"q": "anna", "listbox": "id_x-listbox"}).content.decode()
    assert 'role="option"' in html and 'id="id_x-listbox-0"' in html
    assert "Anna Schmidt" in html and "01.02.1980" in html and "B-0000101" in html
    assert 'data-reference="B-0000101"' in html
    assert "Erika" not in html


def test_search_by_name_parts_in_any_order_word_prefixes(people):
    def names(query):
        return [p.name for p in selectors.participant_pick(query=query)]

    assert names("schmidt") == ["Anna Schmidt", "Hans-Peter Schmidtke", "Schmidt GmbH"]
    assert names("schmidtk") == ["Hans-Peter Schmidtke"]
    assert names("hans") == ["Hans-Peter Schmidtke"]
    assert names("schmidt anna") == ["Anna Schmidt"]
    assert names("SCHMIDT ANN") == ["Anna Schmidt"]
    assert names("midt") == []  # prefixes of words only (the index serves those)
    assert names("a") == []  # too short to search


def test_search_by_reference_prefix_case_insensitive(people):
    assert [p.name for p in selectors.participant_pick(query="b-00001")] == [
        "Anna Schmidt",
        "Hans-Peter Schmidtke",
    ]
    assert [p.name for p in selectors.participant_pick(query="B-0000203")] == ["Erika Mustermann"]


@pytest.mark.parametrize("typed", ["01.02.1980", "1.2.1980", "1980-02-01", " 01.02.1980 "])
def test_search_by_date_of_birth_german_and_iso(people, typed):
    found = selectors.participant_pick(query=typed)
    assert [p.name for p in found] == ["Anna Schmidt", "Erika Mustermann"]


def test_results_limited_to_20_and_filtered_by_type(client, caseworker, people):
    factories.ParticipantFactory.create_batch(25, name="Meier")
    client.force_login(caseworker)
    html = client.get(PICK, {"q": "meier"}).content.decode()
    assert html.count('role="option"') == 20
    html = client.get(PICK, {"q": "schmidt", "types": "employer,bogus"}).content.decode()
    assert "Schmidt GmbH" in html and "Anna Schmidt" not in html


def test_no_match_says_so_and_short_query_lists_nothing(client, caseworker, people):
    client.force_login(caseworker)
    assert "Kein Beteiligter gefunden." in client.get(PICK, {"q": "zzz"}).content.decode()
    assert 'role="option"' not in client.get(PICK, {"q": "z"}).content.decode()


def test_widget_is_a_combobox_that_works_as_a_plain_reference_field(people):
    """Without JavaScript the field is the reference input it always was; the combobox
    attributes and the listbox are there for static/js/picker.js."""
    html = str(MemberAddForm()["participant_reference"])
    assert 'name="member-participant_reference"' in html and 'type="text"' in html
    assert 'role="combobox"' in html and 'aria-expanded="false"' in html
    assert 'aria-controls="id_member-participant_reference-listbox"' in html
    assert 'id="id_member-participant_reference-listbox" role="listbox"' in html
    assert f'hx-get="{reverse("participants:pick")}"' in html
    assert "person,prospect" in html  # IC-1: persons and prospects only


def test_reference_typed_is_echoed_with_name_after_a_round_trip_IC_1(people):
    """Typing the reference still works; the server echoes who it is."""
    form = LiabilityForm(data={"participant_reference": "b-0000101", "original_amount": ""})
    assert not form.is_valid()  # the amount is missing
    assert form.cleaned_data["participant_reference"] == people["anna"]
    html = str(form["participant_reference"])
    assert "Anna Schmidt, geb. 01.02.1980 (B-0000101)" in html
    assert 'value="b-0000101"' in html
    unknown = LiabilityForm(data={"participant_reference": "B-9999999"})
    assert not unknown.is_valid()
    assert 'class="picker-echo" id="id_participant_reference-echo" aria-live="polite"></p>' in str(
        unknown["participant_reference"]
    )


# --- restrictions: the picker offers only whom its field accepts (issue 14) ----------------


@pytest.fixture
def holders(people):
    """Anna holds an open liability, Hans only a settled one, the firm an open one."""
    factories.LiabilityFactory(participant=people["anna"])
    factories.LiabilityFactory(
        participant=people["hans"], status="settled", outstanding_amount="0.00"
    )
    factories.LiabilityFactory(participant=people["firm"])
    return people


def test_open_liability_restricts_to_holders_of_an_open_liability_CD_3(holders):
    """CD-3: `open_liability` offers only participants with an open liability (a settled
    one does not count); with `types` both restrictions apply."""

    def names(**restriction):
        return [p.name for p in selectors.participant_pick(query="schmidt", **restriction)]

    assert names() == ["Anna Schmidt", "Hans-Peter Schmidtke", "Schmidt GmbH"]
    assert names(open_liability=True) == ["Anna Schmidt", "Schmidt GmbH"]
    assert names(open_liability=True, types=["person"]) == ["Anna Schmidt"]
    assert names(types=[]) == []  # a field accepting no type offers nobody


def test_endpoint_restrictions_are_checked_and_only_narrow_CD_3_IC_1(client, caseworker, holders):
    """CD-3, IC-1: the endpoint reads `open_liability=1` and `types` (unknown codes are
    dropped; a list of unknown codes only offers nobody, never everybody); anything else
    for `open_liability` restricts nothing more than without it."""
    client.force_login(caseworker)

    def html(**params):
        return client.get(PICK, {"q": "schmidt", **params}).content.decode()

    restricted = html(open_liability="1", types="person")
    assert "Anna Schmidt" in restricted
    assert "Schmidtke" not in restricted and "Schmidt GmbH" not in restricted
    holders_only = html(open_liability="1")
    assert "Anna Schmidt" in holders_only and "Schmidt GmbH" in holders_only
    assert "Schmidtke" not in holders_only
    nobody = html(types="bogus")
    assert 'class="picker-option"' not in nobody and "Kein Beteiligter gefunden." in nobody
    assert 'class="picker-option"' not in html(types="bogus,-")
    assert html(open_liability="yes").count('class="picker-option"') == 3


def test_restricted_widget_sends_its_restrictions_CD_3():
    """CD-3: the picker of a liability holder field asks the endpoint for holders of an
    open liability of the allowed types only; an explicitly empty type list asks for
    nobody; without restriction nothing extra is sent."""
    import json
    import re

    from participants.widgets import ParticipantPicker

    def vals(widget):
        html = widget.render("holder", "", attrs={"id": "id_holder"})
        return json.loads(re.search(r"hx-vals=\"([^\"]*)\"", html).group(1).replace("&quot;", '"'))

    assert vals(ParticipantPicker(types=["person"], open_liability=True)) == {
        "listbox": "id_holder-listbox",
        "types": "person",
        "open_liability": "1",
    }
    assert vals(ParticipantPicker(types=[]))["types"] == "-"
    assert vals(ParticipantPicker()) == {"listbox": "id_holder-listbox", "types": ""}


def test_pick_field_accepts_references_of_its_queryset_only_CD_3(holders):
    """CD-3: the field takes the reference the picker fills in (any case, spaces around),
    looked up in its queryset only: an unknown reference and a participant outside the
    queryset are refused, each with its own message."""
    from django import forms

    from participants.fields import ParticipantPickField
    from participants.models import Participant

    class Form(forms.Form):
        holder = ParticipantPickField(
            queryset=Participant.objects.filter(type="person"),
            types=["person"],
            refusal="%(name)s (%(ref)s) nicht hier.",
        )

    form = Form(data={"holder": " b-0000101 "})
    assert form.is_valid() and form.cleaned_data["holder"] == holders["anna"]
    form = Form(data={"holder": "B-0000301"})  # the firm: not a person
    assert not form.is_valid()
    assert form.errors["holder"] == ["Schmidt GmbH (B-0000301) nicht hier."]
    form = Form(data={"holder": "B-9999999"})
    assert not form.is_valid()
    assert "keinen Beteiligten mit der Referenznummer „B-9999999“" in form.errors["holder"][0]
    form = Form(data={"holder": str(holders["anna"].pk)})  # an id is not a reference
    assert not form.is_valid()
    bound = Form(initial={"holder": holders["anna"]})["holder"]
    assert 'value="B-0000101"' in str(bound) and "Anna Schmidt, geb. 01.02.1980" in str(bound)
