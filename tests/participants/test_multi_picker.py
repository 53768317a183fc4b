"""Several participants with one picker (issue 14): `ParticipantMultiPickField` takes the
references the chips submit (one value each) and/or references typed with commas (the
text input, without JavaScript), looks each up in its queryset only, refuses unknown and
not-allowed ones each with its own message, drops duplicates, and the widget shows the
accepted ones again as chips with their echo after a validation round-trip (IC-7)."""

from datetime import date

import pytest
from django import forms
from django.http import QueryDict

from participants.fields import ParticipantMultiPickField
from participants.models import Participant, ParticipantType
from participants.widgets import ParticipantMultiPicker, split_references
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "anna": factories.ParticipantFactory(
            name="Anna Schmidt", reference="B-0000101", date_of_birth=date(1980, 2, 1)
        ),
        "hans": factories.ParticipantFactory(
            name="Hans Meier", reference="B-0000102", date_of_birth=date(1975, 7, 9)
        ),
        "firm": factories.ParticipantFactory(
            name="Schmidt GmbH", reference="B-0000301", type=ParticipantType.EMPLOYER
        ),
        "water": factories.UtilityFactory(name="Wasserwerke", reference="B-0000401"),
    }


class Form(forms.Form):
    chosen = ParticipantMultiPickField(
        queryset=Participant.objects.filter(type__in=["person", "employer"]),
        types=["person", "employer"],
        refusal="%(name)s (%(ref)s) nicht hier.",
        list_label="Gewählte",
        required=False,
    )
    other = forms.CharField()  # missing in most tests: the form round-trips


def _post(*chosen, other=""):
    data = QueryDict(mutable=True)
    data.setlist("chosen", list(chosen))
    if other:
        data["other"] = other
    return Form(data=data)


def test_list_of_references_in_the_order_given(people):
    form = _post("B-0000102", "b-0000101 ", "B-0000301", other="x")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["chosen"] == [people["hans"], people["anna"], people["firm"]]


def test_comma_text_and_list_together(people):
    """Without JavaScript the text input takes references with commas; with chips too."""
    form = _post("B-0000101", "b-0000102, ,B-0000301,", other="x")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["chosen"] == [people["anna"], people["hans"], people["firm"]]


def test_duplicates_are_dropped(people):
    form = _post("B-0000101", "b-0000101, B-0000102", "B-0000101", other="x")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["chosen"] == [people["anna"], people["hans"]]


def test_unknown_and_not_allowed_are_refused_each_with_its_message(people):
    form = _post("B-0000101", "B-9999999, B-0000401", "b-9999999", other="x")
    assert not form.is_valid()
    assert form.errors["chosen"] == [
        "Es gibt keinen Beteiligten mit der Referenznummer „B-9999999“.",
        "Wasserwerke (B-0000401) nicht hier.",
    ]
    assert "chosen" not in form.cleaned_data


def test_default_refusal_without_own_message(people):
    class Plain(forms.Form):
        chosen = ParticipantMultiPickField(queryset=Participant.objects.filter(type="person"))

    form = Plain(data={"chosen": "B-0000301"})
    assert form.errors["chosen"] == ["Schmidt GmbH (B-0000301) kann hier nicht gewählt werden."]


def test_empty_is_an_empty_list_or_required(people):
    for data in ({"other": "x"}, {"other": "x", "chosen": ""}, {"other": "x", "chosen": " , "}):
        form = Form(data=data)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["chosen"] == []

    class Required(forms.Form):
        chosen = ParticipantMultiPickField(queryset=Participant.objects.all())

    form = Required(data={"chosen": " "})
    assert form.errors["chosen"] == ["Dieses Feld ist zwingend erforderlich."]


def test_an_id_is_no_reference(people):
    form = _post(str(people["anna"].pk), other="x")
    assert not form.is_valid()


def test_round_trip_shows_accepted_ones_as_chips_and_the_rest_in_the_text(people):
    """After a validation error the accepted participants are chips (echo, remove button
    with its label, the reference in a checked checkbox of the field's name, so that
    without JavaScript it can be unchecked); what was refused stays in the text input."""
    form = _post("B-0000101", "b-0000102, B-0000401, B-9999999")  # `other` is missing
    assert not form.is_valid()
    html = str(form["chosen"])
    assert html.count('class="picker-chip"') == 2
    assert "Anna Schmidt, geb. 01.02.1980 (B-0000101)" in html
    assert "Hans Meier, geb. 09.07.1975 (B-0000102)" in html
    assert 'aria-label="Anna Schmidt, geb. 01.02.1980 (B-0000101) entfernen"' in html
    assert (
        '<input type="checkbox" class="picker-keep" name="chosen" value="B-0000102" checked>'
        in html
    )
    assert 'value="B-0000401, B-9999999"' in html  # the text input keeps the refused ones
    assert "Wasserwerke" not in html  # not allowed here: no chip
    assert 'id="id_chosen-chosen" aria-label="Gewählte"' in html


def test_round_trip_with_all_accepted_keeps_chips_and_an_empty_text(people):
    form = _post("B-0000101", "B-0000101", "b-0000301")
    assert not form.is_valid()  # `other` is missing
    html = str(form["chosen"])
    assert html.count('class="picker-chip"') == 2
    assert 'name="chosen" value=""' not in html  # the empty text input has no value
    assert 'value="B-0000301" checked' in html


def test_widget_is_the_combobox_of_the_single_picker_restricted_to_the_types(people):
    html = str(Form()["chosen"])
    assert 'role="combobox"' in html and "data-picker-multi" in html
    assert 'name="chosen"' in html and 'type="text"' in html and 'id="id_chosen"' in html
    assert 'aria-controls="id_chosen-listbox"' in html
    assert "person,employer" in html
    assert 'aria-live="polite"' in html
    assert 'class="picker-chip"' not in html
    assert 'data-text-remove="%(label)s entfernen"' in html


def test_initial_participants_are_chips(people):
    form = Form(initial={"chosen": [people["anna"], people["hans"]]})
    html = str(form["chosen"])
    assert html.count('class="picker-chip"') == 2
    assert not form["chosen"].field.has_changed([people["anna"]], ["b-0000101"])
    assert form["chosen"].field.has_changed([people["anna"]], ["B-0000101", "B-0000102"])


def test_each_form_has_its_own_queryset_on_field_and_widget(people):
    form = Form()
    form.fields["chosen"].queryset = Participant.objects.filter(type="employer")
    assert form.fields["chosen"].widget.queryset.get() == people["firm"]
    assert Form.base_fields["chosen"].widget.queryset.count() == 3  # the class's is untouched


def test_split_references():
    assert split_references(None) == []
    assert split_references(" a, b ,,c ") == ["a", "b", "c"]
    assert split_references(["a", "b, c", ""]) == ["a", "b", "c"]


def test_widget_without_queryset_looks_references_up(people):
    html = ParticipantMultiPicker().render("x", ["B-0000401"], attrs={"id": "id_x"})
    assert "Wasserwerke (B-0000401)" in html and 'value=""' not in html
