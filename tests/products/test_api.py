"""REST API of products, deduction types and product links (api.md; PR-1..3, DT-1..12,
RO-1)."""

from decimal import Decimal

import pytest

from deductions.models import Deduction
from products import services
from products.models import DeductionType, Product, ProductDeductionType
from tests import factories

pytestmark = pytest.mark.django_db

TYPES = "/api/v1/deduction-types/"
PRODUCTS = "/api/v1/products/"


def _prios():
    return dict(DeductionType.objects.values_list("name", "priority"))


def _type_body(name, **kwargs):
    return {"name": name, "category": "unapplied", **kwargs}


# --- products (PR-1..3) ---------------------------------------------------------------------


def test_create_product_with_nested_component_types_PR_1_PR_2(admin_api):
    """PR-1, PR-2: POST creates the product and its component types at once; money and
    percentages are strings with two decimals; *_display labels."""
    response = admin_api.post(
        PRODUCTS,
        {
            "name": "Grundsicherung",
            "payment_frequency": "weekly",
            "max_deduction_rate": "30",
            "min_deduction_amount": "0",
            "min_payment_amount": "10.5",
            "tax_rate": None,
            "component_types": [
                {"name": "Maximale persönliche Leistung", "deductible": True, "taxable": False},
                {"name": "Max. Kindergeldbetrag für unterhaltsberechtigtes Kind"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["max_deduction_rate"] == "30.00"
    assert body["min_payment_amount"] == "10.50"
    assert body["tax_rate"] is None
    assert body["payment_frequency_display"] == "Wöchentlich"
    assert [(c["name"], c["deductible"], c["taxable"]) for c in body["component_types"]] == [
        ("Maximale persönliche Leistung", True, False),
        ("Max. Kindergeldbetrag für unterhaltsberechtigtes Kind", True, False),
    ]
    assert all(isinstance(c["id"], int) for c in body["component_types"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_deduction_rate", "101"),
        ("max_deduction_rate", "-1"),
        ("tax_rate", "100.50"),
        ("min_deduction_amount", "-0.01"),
        ("min_payment_amount", "-3"),
        ("payment_frequency", "daily"),
    ],
)
def test_bad_product_input_is_400_naming_the_field_PR_1(admin_api, field, value):
    """PR-1: bad rates, negative amounts, unknown frequency → 400 naming the field;
    nothing is written."""
    body = {
        "name": "P",
        "payment_frequency": "monthly",
        "max_deduction_rate": "30",
        "component_types": [{"name": "K"}],
        field: value,
    }
    response = admin_api.post(PRODUCTS, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Product.objects.exists()


def test_product_update_and_history_PR_3(admin_api, administrator):
    """PR-3: PATCH changes a deduction setting; /history/ shows who, old and new."""
    product = factories.ProductFactory(max_deduction_rate=Decimal("30"))
    response = admin_api.patch(
        f"{PRODUCTS}{product.pk}/", {"max_deduction_rate": "25"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["max_deduction_rate"] == "25.00"
    history = admin_api.get(f"{PRODUCTS}{product.pk}/history/").json()["results"]
    assert history[0]["user"] == administrator.username
    assert history[0]["event"] == "changed"
    assert history[0]["changes"] == [
        {"field": "max_deduction_rate", "old": "30.00", "new": "25.00"}
    ]


def test_component_types_not_writable_on_update_but_via_sub_endpoint_PR_2(admin_api):
    """PR-2: component types are nested on create; later they are added and changed at
    /products/{id}/component-types/."""
    product = factories.ProductFactory()
    response = admin_api.patch(
        f"{PRODUCTS}{product.pk}/", {"component_types": [{"name": "X"}]}, format="json"
    )
    assert response.status_code == 400
    assert "component_types" in response.json()
    created = admin_api.post(
        f"{PRODUCTS}{product.pk}/component-types/", {"name": "Grundbetrag", "taxable": True}
    )
    assert created.status_code == 201
    ct_id = created.json()["id"]
    duplicate = admin_api.post(f"{PRODUCTS}{product.pk}/component-types/", {"name": "Grundbetrag"})
    assert duplicate.status_code == 400 and "name" in duplicate.json()
    changed = admin_api.patch(
        f"{PRODUCTS}{product.pk}/component-types/{ct_id}/", {"deductible": False}, format="json"
    )
    assert changed.json() == {
        "id": ct_id,
        "name": "Grundbetrag",
        "deductible": False,
        "taxable": True,
    }


# --- deduction types: the seed example (DT-6, DT-7) -------------------------------------------


def test_seed_example_through_the_api_DT_6_DT_7(admin_api):
    """DT-6, DT-7 (acceptance 1): A=1, B=2; creating C with priority 1 gives C=1, A=2,
    B=3; moving and deleting keep the priorities dense."""
    assert admin_api.post(TYPES, _type_body("A"), format="json").json()["priority"] == 1
    response = admin_api.post(TYPES, _type_body("B", priority=None), format="json")
    assert response.json()["priority"] == 2
    c = admin_api.post(TYPES, _type_body("C", priority=1), format="json")
    assert c.status_code == 201 and c.json()["priority"] == 1
    listed = admin_api.get(TYPES).json()["results"]
    assert [(t["name"], t["priority"]) for t in listed] == [("C", 1), ("A", 2), ("B", 3)]

    a_id = DeductionType.objects.get(name="A").pk
    moved = admin_api.patch(f"{TYPES}{a_id}/", {"priority": 3}, format="json")
    assert moved.status_code == 200 and moved.json()["priority"] == 3
    assert _prios() == {"C": 1, "B": 2, "A": 3}

    c_id = c.json()["id"]
    assert admin_api.delete(f"{TYPES}{c_id}/").status_code == 204
    assert _prios() == {"B": 1, "A": 2}
    to_end = admin_api.patch(
        f"{TYPES}{DeductionType.objects.get(name='B').pk}/", {"priority": None}, format="json"
    )
    assert to_end.json()["priority"] == 2
    assert _prios() == {"A": 1, "B": 2}


def test_type_representation_DT_1_DT_8_DT_9(admin_api):
    """DT-1, DT-2, DT-3, DT-4, DT-8, DT-9: api.md fields with *_display labels, money as
    strings; the default amount and percentage a client prefills with are returned."""
    response = admin_api.post(
        TYPES,
        {
            "name": "Strom",
            "category": "third_party",
            "max_amount": "100",
            "min_amount": "5",
            "default_amount": "30",
            "max_percentage": "10",
            "default_percentage": "5",
            "allowed_participant_types": ["utility"],
            "insufficient_balance_action": "partial",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["category_display"] == "Dritte"
    assert body["insufficient_balance_action_display"] == "Teilbetrag abziehen"
    assert body["max_amount"] == "100.00" and body["default_percentage"] == "5.00"
    assert (body["min_amount"], body["default_amount"], body["max_percentage"]) == (
        "5.00",
        "30.00",
        "10.00",
    )
    assert body["allowed_participant_types"] == ["utility"]
    assert body["allowed_participant_types_display"] == ["Versorgungsbetrieb"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"min_amount": "60", "max_amount": "50"}, "min_amount"),
        ({"max_amount": "50", "default_amount": "51"}, "default_amount"),
        ({"min_amount": "30", "default_amount": "29"}, "default_amount"),
        ({"max_percentage": "5", "default_percentage": "6"}, "default_percentage"),
        ({"allowed_participant_types": ["martian"]}, "allowed_participant_types"),
        ({"category": "third_party", "allowed_participant_types": []}, "allowed_participant_types"),
        ({"max_amount": "-1"}, "max_amount"),
        ({"priority": 0}, "priority"),
        ({"insufficient_balance_action": "later"}, "insufficient_balance_action"),
    ],
)
def test_bad_type_input_is_400_naming_the_field_DT_5(admin_api, body, field):
    """DT-5: min ≤ max, defaults within the limits, valid participant type codes; each a
    400 naming the field; nothing is written and priorities do not move."""
    admin_api.post(TYPES, _type_body("A"), format="json")
    response = admin_api.post(TYPES, {**_type_body("Neu", priority=1), **body}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert _prios() == {"A": 1}


def test_duplicate_name_is_400_DT_1(admin_api):
    """DT-1: the name is unique."""
    admin_api.post(TYPES, _type_body("Strom"), format="json")
    response = admin_api.post(TYPES, _type_body("Strom"), format="json")
    assert response.status_code == 400 and "name" in response.json()


def test_delete_of_linked_type_refused_with_reason_DT_10(admin_api):
    """DT-10: a linked type cannot be deleted (409 with the product's name)."""
    product = factories.ProductFactory(name="Grundsicherung Y")
    t = services.deduction_type_create(name="Miete", category="unapplied")
    services.product_link_add(product=product, deduction_type=t)
    response = admin_api.delete(f"{TYPES}{t.pk}/")
    assert response.status_code == 409
    assert "Grundsicherung Y" in response.json()["detail"]
    assert DeductionType.objects.filter(pk=t.pk).exists()


def test_type_filters_and_search_DT_12(api):
    """DT-12: filter by category and action, search by name, filter by product."""
    product = factories.ProductFactory()
    strom = factories.DeductionTypeFactory(name="Strom", category="third_party")
    factories.DeductionTypeFactory(
        name="Steuern", category="unapplied", insufficient_balance_action="partial"
    )
    factories.ProductDeductionTypeFactory(product=product, deduction_type=strom)
    names = lambda q: [t["name"] for t in api.get(TYPES + q).json()["results"]]  # noqa: E731
    assert names("?category=third_party") == ["Strom"]
    assert names("?insufficient_balance_action=partial") == ["Steuern"]
    assert names("?search=steu") == ["Steuern"]
    assert names(f"?product={product.pk}") == ["Strom"]


def test_type_history_over_api_DT_12(admin_api, administrator):
    """DT-12: every change is kept in history, including resequencing shifts."""
    a = admin_api.post(TYPES, _type_body("A"), format="json").json()
    admin_api.post(TYPES, _type_body("B", priority=1), format="json")
    history = admin_api.get(f"{TYPES}{a['id']}/history/").json()["results"]
    assert [h["event"] for h in history] == ["changed", "created"]
    assert history[0]["user"] == administrator.username
    assert history[0]["reason"] == services.RESEQUENCE_REASON
    assert history[0]["changes"] == [{"field": "priority", "old": 1, "new": 2}]


# --- product links (DT-10, DT-11) ---------------------------------------------------------


def test_links_through_the_api_DT_10_DT_11(admin_api):
    """DT-10, DT-11: POST links one type (next free or at p), GET lists the linked types
    by link priority, PATCH moves a link, DELETE unlinks; always dense."""
    product = factories.ProductFactory()
    a, b, c = (factories.DeductionTypeFactory(name=n) for n in "ABC")
    url = f"{PRODUCTS}{product.pk}/deduction-types/"
    first = admin_api.post(url, {"deduction_type": a.pk, "priority": None}, format="json")
    assert first.status_code == 201 and first.json()["priority"] == 1
    admin_api.post(url, {"deduction_type": b.pk}, format="json")
    third = admin_api.post(url, {"deduction_type": c.pk, "priority": 1}, format="json")
    assert third.json()["priority"] == 1
    listed = admin_api.get(url).json()["results"]
    assert [(x["name"], x["priority"], x["deduction_type"]) for x in listed] == [
        ("C", 1, c.pk), ("A", 2, a.pk), ("B", 3, b.pk),
    ]  # fmt: skip
    assert listed[0]["deduction_type_detail"]["id"] == c.pk
    moved = admin_api.patch(f"{url}{c.pk}/", {"priority": 3}, format="json")
    assert moved.status_code == 200 and moved.json()["priority"] == 3
    assert [x["name"] for x in admin_api.get(url).json()["results"]] == ["A", "B", "C"]
    assert admin_api.delete(f"{url}{a.pk}/").status_code == 204
    assert [(x["name"], x["priority"]) for x in admin_api.get(url).json()["results"]] == [
        ("B", 1), ("C", 2),
    ]  # fmt: skip
    assert DeductionType.objects.filter(pk=a.pk).exists()
    assert admin_api.delete(f"{url}{a.pk}/").status_code == 404


def test_link_many_and_twice_DT_10(admin_api):
    """DT-10: several types at once; linking a linked type again is a 400."""
    product = factories.ProductFactory()
    # B has the higher type priority: several types are linked in type priority order,
    # each at its type's priority (DT-11).
    b, a = factories.DeductionTypeFactory(name="B"), factories.DeductionTypeFactory(name="A")
    url = f"{PRODUCTS}{product.pk}/deduction-types/"
    response = admin_api.post(url, {"deduction_types": [b.pk, a.pk]}, format="json")
    assert response.status_code == 201
    assert [(x["name"], x["priority"]) for x in response.json()] == [("B", 1), ("A", 2)]
    again = admin_api.post(url, {"deduction_type": a.pk}, format="json")
    assert again.status_code == 400 and "deduction_type" in again.json()
    unknown = admin_api.post(url, {"deduction_type": 99999}, format="json")
    assert unknown.status_code == 400 and "deduction_type" in unknown.json()
    assert ProductDeductionType.objects.filter(product=product).count() == 2


def test_seed_example_new_type_at_priority_1_links_first_DT_11(admin_api):
    """DT-11 (the seed's example): types A=1 and B=2 are linked (A=1, B=2); a new type C
    created with type priority 1 (types: C=1, A=2, B=3) and then linked takes its type's
    priority: links C=1, A=2, B=3 — the links shifted as DT-6."""
    product = factories.ProductFactory()
    url = f"{PRODUCTS}{product.pk}/deduction-types/"
    types_url = TYPES
    ids = {}
    for name in "AB":
        created = admin_api.post(types_url, {"name": name, "category": "unapplied"}, format="json")
        assert created.status_code == 201, created.json()
        ids[name] = created.json()["id"]
        assert admin_api.post(url, {"deduction_type": ids[name]}, format="json").status_code == 201
    c = admin_api.post(
        types_url, {"name": "C", "category": "unapplied", "priority": 1}, format="json"
    )
    assert c.status_code == 201 and c.json()["priority"] == 1
    assert {t.name: t.priority for t in DeductionType.objects.all()} == {"C": 1, "A": 2, "B": 3}
    linked = admin_api.post(url, {"deduction_type": c.json()["id"]}, format="json")
    assert linked.status_code == 201 and linked.json()["priority"] == 1
    listed = admin_api.get(url).json()["results"]
    assert [(x["name"], x["priority"]) for x in listed] == [("C", 1), ("A", 2), ("B", 3)]


def test_new_type_from_product_takes_its_type_priority_DT_10_DT_11(admin_api):
    """DT-10, DT-11: a type created from the product with type priority 1 is linked at 1
    and the product's other links shift; without a type priority it comes last (n + 1)."""
    product = factories.ProductFactory()
    a, b = factories.DeductionTypeFactory(name="A"), factories.DeductionTypeFactory(name="B")
    url = f"{PRODUCTS}{product.pk}/deduction-types/"
    for t in (a, b):
        admin_api.post(url, {"deduction_type": t.pk}, format="json")
    new = admin_api.post(
        f"{url}new/", {"name": "C", "category": "unapplied", "priority": 1}, format="json"
    )
    assert new.status_code == 201 and new.json()["priority"] == 1
    last = admin_api.post(f"{url}new/", {"name": "D", "category": "unapplied"}, format="json")
    assert last.status_code == 201 and last.json()["priority"] == 4
    listed = admin_api.get(url).json()["results"]
    assert [(x["name"], x["priority"]) for x in listed] == [
        ("C", 1), ("A", 2), ("B", 3), ("D", 4),
    ]  # fmt: skip


def test_link_takes_type_priority_at_most_n_plus_1_DT_11(admin_api):
    """DT-11: a type whose priority lies beyond the product's links is linked at n + 1."""
    product = factories.ProductFactory()
    types = [factories.DeductionTypeFactory(name=n) for n in "ABCDE"]
    url = f"{PRODUCTS}{product.pk}/deduction-types/"
    first = admin_api.post(url, {"deduction_type": types[4].pk}, format="json")
    assert first.json()["priority"] == 1  # type priority 5, but the product has no link
    second = admin_api.post(url, {"deduction_type": types[1].pk}, format="json")
    assert second.json()["priority"] == 2  # type priority 2 = n + 1
    third = admin_api.post(url, {"deduction_type": types[0].pk}, format="json")
    assert third.json()["priority"] == 1  # type priority 1: the others shift
    listed = admin_api.get(url).json()["results"]
    assert [(x["name"], x["priority"]) for x in listed] == [("A", 1), ("E", 2), ("B", 3)]


def test_create_type_from_product_DT_10(admin_api):
    """DT-10: POST .../deduction-types/new/ creates a type and links it at once."""
    product = factories.ProductFactory()
    url = f"{PRODUCTS}{product.pk}/deduction-types/new/"
    response = admin_api.post(
        url,
        {"name": "Gas", "category": "third_party", "allowed_participant_types": ["utility"]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["name"] == "Gas" and response.json()["priority"] == 1
    bad = admin_api.post(url, {"name": "X", "category": "applied"}, format="json")
    assert bad.status_code == 400 and "allowed_participant_types" in bad.json()
    assert not DeductionType.objects.filter(name="X").exists()


def test_link_priority_change_leaves_case_deductions_DT_11(admin_api):
    """DT-11: a link priority change over the API does not touch existing deductions."""
    product = factories.ProductFactory()
    a, b = factories.DeductionTypeFactory(), factories.DeductionTypeFactory()
    factories.ProductDeductionTypeFactory(product=product, deduction_type=a)
    factories.ProductDeductionTypeFactory(product=product, deduction_type=b)
    deduction = factories.DeductionFactory(case__product=product, deduction_type=a, priority=1)
    before = Deduction.history.count()
    response = admin_api.patch(
        f"{PRODUCTS}{product.pk}/deduction-types/{a.pk}/", {"priority": 2}, format="json"
    )
    assert response.status_code == 200
    deduction.refresh_from_db()
    assert deduction.priority == 1
    assert Deduction.history.count() == before


# --- roles (RO-1) ---------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["api", "supervisor_api"])
def test_caseworkers_read_but_do_not_write_RO_1_DT_12(request, client_name):
    """RO-1, DT-12: caseworkers and supervisors read types, products and links;
    writing is for administrators (403) and nothing changes."""
    client = request.getfixturevalue(client_name)
    product = factories.ProductFactory()
    t = factories.DeductionTypeFactory()
    assert client.get(TYPES).status_code == 200
    assert client.get(PRODUCTS).status_code == 200
    assert client.get(f"{PRODUCTS}{product.pk}/deduction-types/").status_code == 200
    assert client.post(TYPES, _type_body("X"), format="json").status_code == 403
    assert client.patch(f"{TYPES}{t.pk}/", {"priority": 1}, format="json").status_code == 403
    assert client.delete(f"{TYPES}{t.pk}/").status_code == 403
    link = client.post(
        f"{PRODUCTS}{product.pk}/deduction-types/", {"deduction_type": t.pk}, format="json"
    )
    assert link.status_code == 403
    assert client.patch(f"{PRODUCTS}{product.pk}/", {"name": "Y"}, format="json").status_code == 403
    assert not ProductDeductionType.objects.exists()
    assert DeductionType.objects.count() == 1


def test_anonymous_gets_401_RO_1(anon_api):
    """RO-1: anonymous users get nothing."""
    assert anon_api.get(TYPES).status_code == 401
    assert anon_api.get(PRODUCTS).status_code == 401


def test_product_delete_not_offered_over_api(admin_api):
    product = factories.ProductFactory()
    assert admin_api.delete(f"{PRODUCTS}{product.pk}/").status_code == 405
    assert Product.objects.filter(pk=product.pk).exists()


def test_patch_frequency_of_paid_product_is_400_PR_3_PAY_13(admin_api):
    """PR-3 / PAY-13: PATCH {"payment_frequency": "monthly"} on a product whose case has a
    benefit payment → 400 on payment_frequency with a German reason; nothing changes."""
    from tests.products.test_services import _benefit_payment

    product = factories.ProductFactory(payment_frequency="weekly")
    _benefit_payment(factories.ProductDeliveryCaseFactory(product=product))
    response = admin_api.patch(
        f"{PRODUCTS}{product.pk}/", {"payment_frequency": "monthly"}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert "Zahlungshäufigkeit" in response.json()["payment_frequency"][0]
    product.refresh_from_db()
    assert product.payment_frequency == "weekly"


@pytest.mark.parametrize("type_id", ["99999999999999999999999", "0"])
def test_product_link_with_id_beyond_64_bits_is_404_DT_11(admin_api, type_id):
    """DT-11: /products/{id}/deduction-types/{type_id}/ with an id SQLite cannot hold
    (beyond 64 bits) is a 404, not a 500."""
    product = factories.ProductFactory()
    response = admin_api.get(f"{PRODUCTS}{product.pk}/deduction-types/{type_id}/")
    assert response.status_code == 404


def test_deduction_type_product_filter_beyond_64_bits_is_400_DT_12(admin_api):
    """DT-12: ?product= outside 1..2**63-1 is a 400 naming the parameter."""
    response = admin_api.get(f"{TYPES}?product=99999999999999999999999")
    assert response.status_code == 400 and "product" in response.json()
