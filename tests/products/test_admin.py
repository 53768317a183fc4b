"""Django admin, the administrators' tool (PR-3, DT-12): changelists with filters and
search, saves through the services (dense priorities, validation beside the field),
inlines on the product page, history."""

from decimal import Decimal

import pytest

from config import roles
from products import services
from products.models import ComponentType, DeductionType, Product, ProductDeductionType
from tests import factories
from tests.html_tables import table_rows

pytestmark = pytest.mark.django_db

TYPE_URL = "/admin/products/deductiontype/"
PRODUCT_URL = "/admin/products/product/"


def _prios():
    return dict(DeductionType.objects.values_list("name", "priority"))


def _link_prios(product):
    return dict(
        ProductDeductionType.objects.filter(product=product).values_list(
            "deduction_type__name", "priority"
        )
    )


def _type_form(name, **kwargs):
    data = {
        "name": name,
        "category": "unapplied",
        "position": "",
        "insufficient_balance_action": "skip",
        "min_amount": "",
        "max_amount": "",
        "default_amount": "",
        "max_percentage": "",
        "default_percentage": "",
        # The read-only inline of linked products.
        "product_links-TOTAL_FORMS": "0",
        "product_links-INITIAL_FORMS": "0",
        "product_links-MIN_NUM_FORMS": "0",
        "product_links-MAX_NUM_FORMS": "1000",
    }
    data.update(kwargs)
    return data


def _product_form(product=None, *, components=(), links=(), **fields):
    """Admin POST data for the product page. `components`: (id|None, name, deductible,
    taxable, delete); `links`: (id|None, type id, position, delete)."""
    data = {
        "name": product.name if product else "Grundsicherung",
        "payment_frequency": "weekly",
        "max_deduction_rate": "30",
        "min_deduction_amount": "0",
        "min_payment_amount": "0",
        "tax_rate": "",
    }
    data.update(fields)
    initial_c = sum(1 for c in components if c[0])
    data.update(
        {
            "component_types-TOTAL_FORMS": str(len(components)),
            "component_types-INITIAL_FORMS": str(initial_c),
            "component_types-MIN_NUM_FORMS": "0",
            "component_types-MAX_NUM_FORMS": "1000",
        }
    )
    for i, (pk, name, deductible, taxable, delete) in enumerate(components):
        prefix = f"component_types-{i}-"
        data[prefix + "id"] = str(pk or "")
        data[prefix + "product"] = str(product.pk if product else "")
        data[prefix + "name"] = name
        if deductible:
            data[prefix + "deductible"] = "on"
        if taxable:
            data[prefix + "taxable"] = "on"
        if delete:
            data[prefix + "DELETE"] = "on"
    initial_l = sum(1 for link in links if link[0])
    data.update(
        {
            "deduction_type_links-TOTAL_FORMS": str(len(links)),
            "deduction_type_links-INITIAL_FORMS": str(initial_l),
            "deduction_type_links-MIN_NUM_FORMS": "0",
            "deduction_type_links-MAX_NUM_FORMS": "1000",
        }
    )
    for i, (pk, type_id, position, delete) in enumerate(links):
        prefix = f"deduction_type_links-{i}-"
        data[prefix + "id"] = str(pk or "")
        data[prefix + "product"] = str(product.pk if product else "")
        data[prefix + "deduction_type"] = str(type_id)
        data[prefix + "position"] = "" if position is None else str(position)
        if delete:
            data[prefix + "DELETE"] = "on"
    return data


# --- deduction types ------------------------------------------------------------------------


def test_changelist_filters_by_category_and_action_and_searches_name_DT_12(administrator_client):
    """DT-12: list filters by category and processing action, search by name."""
    factories.DeductionTypeFactory(name="Strom", category="third_party")
    factories.DeductionTypeFactory(
        name="Steuern", category="unapplied", insufficient_balance_action="partial"
    )
    factories.DeductionTypeFactory(name="Überzahlung", category="applied")

    def shown(query):
        html = administrator_client.get(TYPE_URL + query).content.decode()
        return {n for n in ("Strom", "Steuern", "Überzahlung") if f">{n}</a>" in html}

    assert shown("") == {"Strom", "Steuern", "Überzahlung"}
    assert shown("?category__exact=third_party") == {"Strom"}
    assert shown("?insufficient_balance_action__exact=partial") == {"Steuern"}
    assert shown("?q=zahl") == {"Überzahlung"}


def test_add_through_admin_keeps_density_DT_6_DT_7_DT_12(administrator_client, administrator):
    """DT-6, DT-7, DT-12: adding C at priority 1 in admin shifts A and B; a blank
    priority gets the next free one; history names the administrator."""
    services.deduction_type_create(name="A", category="unapplied")
    services.deduction_type_create(name="B", category="unapplied")
    response = administrator_client.post(TYPE_URL + "add/", _type_form("C", position="1"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _prios() == {"C": 1, "A": 2, "B": 3}
    response = administrator_client.post(TYPE_URL + "add/", _type_form("D"))
    assert response.status_code == 302
    assert _prios()["D"] == 4
    assert DeductionType.objects.get(name="C").history.get().history_user == administrator
    assert DeductionType.objects.get(name="A").history.latest().history_user == administrator


def test_change_priority_in_admin_moves_and_shifts_DT_6_DT_12(administrator_client):
    """DT-6, DT-12: changing a type's priority in admin moves it; others shift."""
    for name in "ABC":
        services.deduction_type_create(name=name, category="unapplied")
    c = DeductionType.objects.get(name="C")
    data = _type_form("C", position="1", max_amount="20")
    response = administrator_client.post(f"{TYPE_URL}{c.pk}/change/", data)
    assert response.status_code == 302
    assert _prios() == {"C": 1, "A": 2, "B": 3}
    c.refresh_from_db()
    assert c.max_amount == Decimal("20.00")


def test_admin_validation_beside_the_field_DT_5_DT_12(administrator_client):
    """DT-5, DT-12: a default above the maximum is shown beside "default_amount" and
    nothing is saved; an unknown participant type cannot even be chosen."""
    services.deduction_type_create(name="A", category="unapplied")
    response = administrator_client.post(
        TYPE_URL + "add/",
        _type_form("Neu", position="1", max_amount="50", default_amount="51"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["default_amount"]
    assert "50,00 €" in errors["default_amount"][0]
    response = administrator_client.post(
        TYPE_URL + "add/",
        _type_form("Neu", category="third_party", allowed_participant_types=["martian"]),
    )
    assert "allowed_participant_types" in response.context["adminform"].form.errors
    assert _prios() == {"A": 1}


def test_admin_delete_closes_gap_and_refuses_linked_type_DT_6_DT_12(administrator_client):
    """DT-6, DT-12: deleting a type in admin closes the gap; a linked type cannot be
    deleted (the confirmation page names what protects it) and nothing moves."""
    a, b, c = (services.deduction_type_create(name=n, category="unapplied") for n in "ABC")
    product = factories.ProductFactory(name="Grundsicherung Z")
    services.product_link_add(product=product, deduction_type=c)
    response = administrator_client.post(f"{TYPE_URL}{a.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _prios() == {"B": 1, "C": 2}
    response = administrator_client.post(f"{TYPE_URL}{c.pk}/delete/", {"post": "yes"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{TYPE_URL}{c.pk}/change/"
    assert "Grundsicherung Z" in response.content.decode()
    assert "kann nicht gelöscht werden" in response.content.decode()
    assert _prios() == {"B": 1, "C": 2}


def test_history_page_shows_changes_DT_12(client, administrator):
    """DT-12: the history page lists the changes with the user. Another administrator
    reads it, so the acting user's name in each row is not the signed-in user's."""
    t = services.deduction_type_create(name="Gas", category="unapplied", user=administrator)
    services.deduction_type_update(
        deduction_type=t, data={"max_amount": Decimal("80")}, user=administrator
    )
    reader = factories.UserFactory(username="leserin", role=roles.ADMINISTRATOR, is_staff=True)
    client.force_login(reader)
    response = client.get(f"{TYPE_URL}{t.pk}/history/")
    assert response.status_code == 200
    html = response.content.decode()
    assert administrator.username in html or administrator.get_full_name() in html
    rows = table_rows(html, 'id="change-history"')
    assert len(rows) == 2
    assert [row["Geändert von"] for row in rows] == [administrator.username] * 2
    by_comment = {row["Kommentar"]: row for row in rows}
    assert by_comment["Erzeugt"]["Geändert von"] == administrator.username
    # Issue 14, item 8: the changes column in German, values as the other pages show them.
    assert by_comment["Geändert"]["Änderungen"] == "Maximaler Abzugsbetrag: – → 80,00"


def test_caseworker_cannot_use_admin_RO_1(client, caseworker):
    """RO-1, DT-12: administration is for administrators."""
    client.force_login(caseworker)
    response = client.get(TYPE_URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- products with inlines ---------------------------------------------------------------


def test_add_product_with_component_types_and_links_PR_2_PR_3_DT_10(
    administrator_client, administrator
):
    """PR-2, PR-3, DT-10, DT-11: the product page creates the product, its component
    types and links in one save, through the services (dense link priorities, history
    with the administrator)."""
    a, b = factories.DeductionTypeFactory(name="A"), factories.DeductionTypeFactory(name="B")
    data = _product_form(
        components=[
            (None, "Maximale persönliche Leistung", True, False, False),
            (None, "Max. Kindergeldbetrag für unterhaltsberechtigtes Kind", True, True, False),
        ],
        links=[(None, a.pk, None, False), (None, b.pk, "1", False)],
    )
    response = administrator_client.post(PRODUCT_URL + "add/", data)
    assert response.status_code == 302, response.content.decode()[:4000]
    product = Product.objects.get(name="Grundsicherung")
    assert _link_prios(product) == {"B": 1, "A": 2}
    assert list(product.component_types.order_by("id").values_list("name", "taxable")) == [
        ("Maximale persönliche Leistung", False),
        ("Max. Kindergeldbetrag für unterhaltsberechtigtes Kind", True),
    ]
    assert product.history.get().history_user == administrator
    assert ComponentType.history.filter(history_user=administrator).count() == 2


def test_product_page_moves_unlinks_and_adds_links_DT_11_DT_12(administrator_client):
    """DT-11, DT-12: on the product page the links are ordered by priority; moving one,
    unlinking one and adding one in a single save leaves a dense sequence."""
    product = factories.ProductFactory()
    a, b, c, d = (factories.DeductionTypeFactory(name=n) for n in "ABCD")
    la = services.product_link_add(product=product, deduction_type=a)
    lb = services.product_link_add(product=product, deduction_type=b)
    lc = services.product_link_add(product=product, deduction_type=c)
    page = administrator_client.get(f"{PRODUCT_URL}{product.pk}/change/")
    formset = next(
        f
        for f in page.context["inline_admin_formsets"]
        if f.formset.prefix == "deduction_type_links"
    )
    assert [f.instance.deduction_type.name for f in formset.formset.initial_forms] == [
        "A",
        "B",
        "C",
    ]
    data = _product_form(
        product,
        links=[
            (la.pk, a.pk, 1, True),  # unlink A
            (lb.pk, b.pk, 2, False),  # unchanged field
            (lc.pk, c.pk, 1, False),  # C to the front
            (None, d.pk, 2, False),  # new D at 2
        ],
    )
    response = administrator_client.post(f"{PRODUCT_URL}{product.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:4000]
    assert _link_prios(product) == {"C": 1, "D": 2, "B": 3}


def test_product_page_validation_beside_the_field_PR_1(administrator_client):
    """PR-1: a rate above 100 and a negative amount are shown beside their fields;
    nothing is saved."""
    data = _product_form(max_deduction_rate="150", min_payment_amount="-1")
    response = administrator_client.post(PRODUCT_URL + "add/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"max_deduction_rate", "min_payment_amount"}
    assert not Product.objects.exists()


def test_product_page_refuses_linking_a_type_twice_DT_10(administrator_client):
    """DT-10: a type can be linked to a product once; the inline says so."""
    product = factories.ProductFactory()
    a = factories.DeductionTypeFactory(name="A")
    link = services.product_link_add(product=product, deduction_type=a)
    data = _product_form(product, links=[(link.pk, a.pk, 1, False), (None, a.pk, None, False)])
    response = administrator_client.post(f"{PRODUCT_URL}{product.pk}/change/", data)
    assert response.status_code == 200
    assert ProductDeductionType.objects.filter(product=product).count() == 1


def test_product_page_refuses_deleting_used_component_type_PR_2(administrator_client):
    """PR-2: a component type used by case components is not deleted; the page says why."""
    product = factories.ProductFactory()
    ct = services.component_type_add(product=product, name="Grundbetrag")
    factories.CaseComponentFactory(case__product=product, component_type=ct)
    data = _product_form(product, components=[(ct.pk, "Grundbetrag", True, False, True)])
    response = administrator_client.post(f"{PRODUCT_URL}{product.pk}/change/", data)
    assert response.status_code == 200
    assert "Fallkomponente" in response.content.decode()
    assert ComponentType.objects.filter(pk=ct.pk).exists()


def test_product_settings_change_in_admin_kept_in_history_PR_3(administrator_client, administrator):
    """PR-3: changing the three deduction settings in admin records who, old and new."""
    product = factories.ProductFactory(max_deduction_rate=Decimal("30"))
    data = _product_form(
        product, max_deduction_rate="20", min_deduction_amount="1", min_payment_amount="5"
    )
    response = administrator_client.post(f"{PRODUCT_URL}{product.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:4000]
    latest = product.history.latest()
    assert latest.history_user == administrator
    changed = {c.field: (c.old, c.new) for c in latest.diff_against(latest.prev_record).changes}
    assert changed == {
        "max_deduction_rate": (Decimal("30.00"), Decimal("20.00")),
        "min_deduction_amount": (Decimal("0.00"), Decimal("1.00")),
        "min_payment_amount": (Decimal("0.00"), Decimal("5.00")),
    }
    assert administrator_client.get(f"{PRODUCT_URL}{product.pk}/history/").status_code == 200


def test_admin_pages_render_DT_12_PR_3(administrator_client):
    """DT-12, PR-3: changelists, add, change and history pages of products, types,
    links and component types render for administrators."""
    product = factories.ProductFactory()
    t = factories.DeductionTypeFactory()
    link = services.product_link_add(product=product, deduction_type=t)
    ct = services.component_type_add(product=product, name="Grundbetrag")
    urls = [
        PRODUCT_URL, PRODUCT_URL + "add/", f"{PRODUCT_URL}{product.pk}/change/",
        f"{PRODUCT_URL}{product.pk}/history/",
        TYPE_URL, TYPE_URL + "add/", f"{TYPE_URL}{t.pk}/change/", f"{TYPE_URL}{t.pk}/history/",
        "/admin/products/productdeductiontype/",
        f"/admin/products/productdeductiontype/{link.pk}/history/",
        "/admin/products/componenttype/", f"/admin/products/componenttype/{ct.pk}/history/",
    ]  # fmt: skip
    for url in urls:
        assert administrator_client.get(url).status_code == 200, url


def test_product_page_refuses_frequency_change_of_paid_product_PR_3_PAY_13(administrator_client):
    """PR-3 / PAY-13: in admin the refusal stands beside the frequency field."""
    from tests.products.test_services import _benefit_payment

    product = factories.ProductFactory(payment_frequency="weekly")
    _benefit_payment(factories.ProductDeliveryCaseFactory(product=product))
    data = _product_form(product, payment_frequency="monthly")
    response = administrator_client.post(f"{PRODUCT_URL}{product.pk}/change/", data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"payment_frequency"}
    assert "Zahlungshäufigkeit" in errors["payment_frequency"][0]
    product.refresh_from_db()
    assert product.payment_frequency == "weekly"


def test_seed_example_inline_link_takes_type_priority_DT_11(administrator_client):
    """DT-11 (the seed's example) on the product page: types A=1 and B=2 are linked; a new
    type C with type priority 1 (types C=1, A=2, B=3) added in the inline with the
    priority left blank is linked at 1 and the links shift: C=1, A=2, B=3."""
    product = factories.ProductFactory()
    a = services.deduction_type_create(name="A", category="unapplied")
    b = services.deduction_type_create(name="B", category="unapplied")
    la = services.product_link_add(product=product, deduction_type=a)
    lb = services.product_link_add(product=product, deduction_type=b)
    c = services.deduction_type_create(name="C", category="unapplied", priority=1)
    assert {t.name: t.priority for t in DeductionType.objects.all()} == {"C": 1, "A": 2, "B": 3}
    data = _product_form(
        product,
        links=[(la.pk, a.pk, 1, False), (lb.pk, b.pk, 2, False), (None, c.pk, None, False)],
    )
    response = administrator_client.post(f"{PRODUCT_URL}{product.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:4000]
    assert _link_prios(product) == {"C": 1, "A": 2, "B": 3}
