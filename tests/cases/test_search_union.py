"""The case search (cases.selectors.integrated_case_list) as a union of case matches and
client matches (issue #14, item 11), and a participant's delivery cases as a union of
cases as client and as nominee: the same rows as before, each once."""

import pytest

from cases.selectors import integrated_case_list, participant_cases
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def found():
    anna = factories.PersonFactory(name="Anna Schmidt", reference="P-ANNA")
    bert = factories.PersonFactory(name="Bert Meyer", reference="P-BERT")
    return {
        "by_reference": factories.IntegratedCaseFactory(reference="BIC-7001", primary_client=bert),
        "by_both": factories.IntegratedCaseFactory(reference="BIC-SCHMIDT", primary_client=anna),
        "by_name": factories.IntegratedCaseFactory(reference="BIC-9000", primary_client=anna),
        "other": factories.IntegratedCaseFactory(reference="BIC-1234"),
    }


def search(query):
    return [c.pk for c in integrated_case_list(query=query)]


def test_case_search_by_part_of_the_reference_any_case(found):
    """A part of the case reference, in any case of letters, newest first."""
    assert search("ic-700") == [found["by_reference"].pk]
    assert search("BIC-") == [c.pk for c in sorted(found.values(), key=lambda c: -c.pk)]


def test_case_search_by_client_name_words_and_reference(found):
    """Every word in the client's name (any order, inside words), or the client's exact
    reference; a case matching both ways is listed once."""
    assert search("schmidt ann") == [found["by_name"].pk, found["by_both"].pk]
    assert search("SCHMIDT") == [found["by_name"].pk, found["by_both"].pk]
    assert search("p-bert") == [found["by_reference"].pk]
    assert search("p-ber") == []  # the client's reference: exact only
    assert search("anna meyer") == []


def test_case_search_keeps_the_other_filters(found):
    assert [c.pk for c in integrated_case_list(query="BIC", status="closed")] == []
    list_ = integrated_case_list(
        query="schmidt", primary_client_id=found["by_name"].primary_client_id
    )
    assert [c.pk for c in list_] == [found["by_name"].pk, found["by_both"].pk]


def test_participants_delivery_cases_as_client_and_nominee_once_each():
    """A participant's delivery cases: as primary client or as nominee, each once (also
    when both), newest first; others' cases not."""
    person = factories.PersonFactory()
    as_client = factories.ProductDeliveryCaseFactory(
        integrated_case=factories.IntegratedCaseFactory(primary_client=person)
    )
    factories.NomineeFactory(case=as_client, participant=person)
    as_nominee = factories.NomineeFactory(participant=person).case
    factories.ProductDeliveryCaseFactory()
    rows = participant_cases(participant=person)["product_delivery_cases"]
    assert [c.pk for c in rows] == sorted([as_client.pk, as_nominee.pk], reverse=True)
