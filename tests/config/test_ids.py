"""config.ids: ids from input stay within 1..2**63-1, so SQLite never overflows into a
500 (filters of every list: IC-2, IC-6, CD-14, DT-12; path ids: DT-11; form choices:
IC-7)."""

import pytest
from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters

from cases.models import ProductDeliveryCase
from config.ids import MAX_ID, IdMultipleChoiceField, id_filter_errors, parse_id
from participants.models import Participant
from tests import factories


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (" 42 ", 42),
        (7, 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("99999999999999999999999", None),
        ("0", None),
        ("-3", None),
        ("1.5", None),
        ("1e30", None),
        ("abc", None),
        ("NaN", None),
        (None, None),
        (True, None),
    ],
)
def test_parse_id_DT_11(value, expected):
    """DT-11: a path id is a whole number in 1..2**63-1, else None (the view's 404)."""
    assert parse_id(value) == expected


class _CaseFilter(filters.FilterSet):
    product = filters.NumberFilter(field_name="product_id")
    nominee = filters.NumberFilter(field_name="nominee_links__participant_id")
    member = filters.NumberFilter(field_name="integrated_case__members__participant")
    case = filters.NumberFilter(field_name="pk")
    amount = filters.NumberFilter(field_name="components__amount")

    class Meta:
        model = ProductDeliveryCase
        fields = ["product", "nominee", "member", "case", "amount", "integrated_case"]


@pytest.mark.django_db
def test_id_filter_errors_only_for_ids_out_of_range_IC_6_CD_14():
    """IC-6 / CD-14: foreign keys, paths through relations, the primary key and
    model-choice filters are bounded; a money filter is not; non-numbers are left to the
    filter's own validation."""
    huge = "99999999999999999999999"
    data = {name: huge for name in _CaseFilter.base_filters}
    errors = id_filter_errors(_CaseFilter(data=data, queryset=ProductDeliveryCase.objects.all()))
    assert set(errors) == {"product", "nominee", "member", "case", "integrated_case"}
    ok = {"product": "3", "nominee": "abc", "integrated_case": "1", "amount": "-5"}
    assert not id_filter_errors(_CaseFilter(data=ok, queryset=ProductDeliveryCase.objects.all()))


@pytest.mark.django_db
def test_id_multiple_choice_field_refuses_ids_beyond_64_bits_IC_7():
    """IC-7: nominees chosen on a page: an id beyond 64 bits is an invalid choice, valid
    ids are still chosen."""
    person = factories.PersonFactory()
    field = IdMultipleChoiceField(queryset=Participant.objects.all())
    assert list(field.clean([str(person.pk)])) == [person]
    with pytest.raises(ValidationError):
        field.clean([str(person.pk), "99999999999999999999999"])
