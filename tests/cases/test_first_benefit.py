"""The first benefit with the integrated case (IC-10): creating an integrated case may
name a product; the integrated case and its first product delivery case are created in
one transaction, or neither. Products with an application process keep their path
through applications (IC-2)."""

from datetime import date

import pytest

from cases import services
from cases.models import IntegratedCase, Nominee, ProductDeliveryCase
from config.exceptions import ValidationFailed
from tests import factories

pytestmark = pytest.mark.django_db
IC = "/api/v1/integrated-cases/"


@pytest.fixture
def thomas(db):
    return factories.PersonFactory(name="Thomas Schmidt")


@pytest.fixture
def product(db):
    return factories.ProductFactory(name="Grundsicherung")


@pytest.fixture
def cw_client(client, caseworker):
    client.force_login(caseworker)
    return client


def test_service_creates_case_and_first_benefit_IC_10(caseworker, thomas, product):
    """IC-10: with a product, the first product delivery case comes with the integrated
    case; start date defaults to the opening date; the primary client is its nominee."""
    linda = factories.PersonFactory(name="Linda Schmidt")
    case = services.integrated_case_create(
        user=caseworker,
        primary_client=thomas,
        product=product,
        opened_on=date(2026, 3, 2),
        expected_end_date=date(2026, 12, 31),
        nominees=[linda],
    )
    pdc = ProductDeliveryCase.objects.get(integrated_case=case)
    assert pdc.product == product and pdc.primary_client == thomas
    assert pdc.start_date == date(2026, 3, 2) and pdc.expected_end_date == date(2026, 12, 31)
    assert pdc.case_supervisor == caseworker
    assert set(Nominee.objects.filter(case=pdc).values_list("participant_id", flat=True)) == {
        thomas.pk,
        linda.pk,
    }


def test_service_bad_nominee_leaves_neither_IC_10(caseworker, thomas, product):
    """IC-10: a refused nominee (a utility cannot receive the benefit) leaves no
    integrated case and no product delivery case behind."""
    utility = factories.UtilityFactory()
    with pytest.raises(ValidationFailed) as exc:
        services.integrated_case_create(
            user=caseworker, primary_client=thomas, product=product, nominees=[utility]
        )
    assert "nominees" in exc.value.errors
    assert not IntegratedCase.objects.exists()
    assert not ProductDeliveryCase.objects.exists()


def test_application_product_keeps_its_path_IC_10_IC_2(caseworker, thomas):
    """IC-10, IC-2: a product with an application process is refused here, naming the
    application path; nothing is created."""
    product = factories.ProductFactory(name="Kinderzuschlag", has_application_process=True)
    with pytest.raises(ValidationFailed) as exc:
        services.integrated_case_create(user=caseworker, primary_client=thomas, product=product)
    assert "Antrag" in exc.value.errors["product"][0]
    assert not IntegratedCase.objects.exists()


def test_api_creates_both_IC_10(api, thomas, product):
    """IC-10: POST /integrated-cases/ with product, start date, expected end: 201 and the
    new case lists its first product delivery case."""
    response = api.post(
        IC,
        {
            "primary_client": thomas.pk,
            "product": product.pk,
            "start_date": "2026-11-02",
            "expected_end_date": "2027-05-23",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    pdc = ProductDeliveryCase.objects.get(integrated_case_id=body["id"])
    assert body["product_delivery_cases"] == [pdc.pk]
    assert pdc.start_date == date(2026, 11, 2) and pdc.product == product


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"nominees": "utility"}, "nominees"),
        ({"start_date": "2026-11-02", "expected_end_date": "2026-01-01"}, "expected_end_date"),
        ({"application_product": True}, "product"),
        ({"product": None, "start_date": "2026-11-02"}, "product"),
    ],
)
def test_api_refusal_leaves_neither_IC_10(api, thomas, product, extra, field):
    """IC-10: any refusal is a 400 naming the field, and no integrated case is left."""
    payload = {"primary_client": thomas.pk, "product": product.pk}
    if extra.pop("application_product", False):
        payload["product"] = factories.ProductFactory(has_application_process=True).pk
    if extra.get("nominees") == "utility":
        extra["nominees"] = [factories.UtilityFactory().pk]
    payload.update(extra)
    response = api.post(IC, payload, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not IntegratedCase.objects.exists()
    assert not ProductDeliveryCase.objects.exists()


def test_form_creates_both_IC_10(cw_client, thomas, product):
    """IC-10: the create form with a product opens the case and its first benefit."""
    response = cw_client.post(
        "/cases/new/",
        {
            "mode": "existing",
            "participant_reference": thomas.reference,
            "case_type": "social_assistance",
            "product": product.pk,
            "start_date": "2026-11-02",
        },
    )
    case = IntegratedCase.objects.get()
    assert response.status_code == 302
    pdc = ProductDeliveryCase.objects.get(integrated_case=case)
    assert pdc.start_date == date(2026, 11, 2)
    page = cw_client.get(response["Location"]).content.decode()
    assert pdc.reference in page


def test_form_bad_nominee_beside_field_and_nothing_written_IC_10(cw_client, thomas, product):
    """IC-10: a refused nominee is named beside its field; neither case is created."""
    utility = factories.UtilityFactory()
    response = cw_client.post(
        "/cases/new/",
        {
            "mode": "existing",
            "participant_reference": thomas.reference,
            "case_type": "social_assistance",
            "product": product.pk,
            "nominee_references": utility.reference,
        },
    )
    assert response.status_code == 200
    assert 'id="id_nominee_references-error"' in response.content.decode()
    assert not IntegratedCase.objects.exists()


def test_form_says_application_products_go_through_applications_IC_10(cw_client, thomas):
    """IC-10: the form marks products with an application process and refuses them."""
    product = factories.ProductFactory(name="Kinderzuschlag", has_application_process=True)
    page = cw_client.get("/cases/new/").content.decode()
    assert "Kinderzuschlag (Anliegenverfahren: über Anträge)" in page
    response = cw_client.post(
        "/cases/new/",
        {
            "mode": "existing",
            "participant_reference": thomas.reference,
            "case_type": "social_assistance",
            "product": product.pk,
        },
    )
    assert 'id="id_product-error"' in response.content.decode()
    assert not IntegratedCase.objects.exists()


def test_every_described_by_reference_names_an_element_on_the_page_IC_10(cw_client, thomas):
    """IC-10: the help texts and errors an input points at with aria-describedby exist,
    so a screen reader reads them with the field (also after a refusal)."""
    import re

    utility = factories.UtilityFactory()
    for response in (
        cw_client.get("/cases/new/"),
        cw_client.post(
            "/cases/new/",
            {
                "mode": "existing",
                "participant_reference": thomas.reference,
                "case_type": "social_assistance",
                "nominee_references": utility.reference,
            },
        ),
    ):
        html = response.content.decode()
        ids = set(re.findall(r'\sid="([^"]+)"', html))
        described = {
            ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()
        }
        assert described, "the form has described inputs"
        assert described <= ids, sorted(described - ids)
