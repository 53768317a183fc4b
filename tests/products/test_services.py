"""Services of products (PR-1..3), deduction types (DT-1..9) and product links
(DT-10, DT-11), with their history (PR-3, DT-12)."""

from decimal import Decimal

import pytest

from config.exceptions import Conflict, ValidationFailed
from deductions.models import Deduction
from products import selectors, services
from products.models import ComponentType, DeductionType, Product, ProductDeductionType
from tests import factories

pytestmark = pytest.mark.django_db


def _prios():
    return dict(DeductionType.objects.values_list("name", "priority"))


def _link_prios(product):
    return dict(
        ProductDeductionType.objects.filter(product=product).values_list(
            "deduction_type__name", "priority"
        )
    )


def _new_type(name, priority=None, **kwargs):
    kwargs.setdefault("category", "unapplied")
    return services.deduction_type_create(name=name, priority=priority, **kwargs)


# --- products ------------------------------------------------------------------------------


def test_product_create_with_settings_and_component_types_PR_1_PR_2(administrator):
    """PR-1, PR-2: a product with its three deduction settings, tax rate and two component
    types flagged deductible / taxable; history rows name the administrator."""
    product = services.product_create(
        name="Grundsicherung",
        payment_frequency="weekly",
        max_deduction_rate=Decimal("30"),
        min_deduction_amount=Decimal("1.50"),
        min_payment_amount=Decimal("40"),
        tax_rate=Decimal("10"),
        component_types=[
            {"name": "Maximale persönliche Leistung", "deductible": True, "taxable": True},
            {"name": "Max. Kindergeldbetrag für unterhaltsberechtigtes Kind", "deductible": False},
        ],
        user=administrator,
    )
    product.refresh_from_db()
    assert product.max_deduction_rate == Decimal("30.00")
    assert product.min_payment_amount == Decimal("40.00")
    types = list(
        product.component_types.order_by("id").values_list("name", "deductible", "taxable")
    )
    assert types == [
        ("Maximale persönliche Leistung", True, True),
        ("Max. Kindergeldbetrag für unterhaltsberechtigtes Kind", False, False),
    ]
    assert product.history.get().history_user == administrator
    assert ComponentType.history.filter(history_user=administrator).count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_deduction_rate", Decimal("100.01")),
        ("max_deduction_rate", Decimal("-1")),
        ("tax_rate", Decimal("101")),
        ("tax_rate", Decimal("-0.01")),
        ("min_deduction_amount", Decimal("-0.01")),
        ("min_payment_amount", Decimal("-5")),
    ],
)
def test_product_validation_names_the_field_and_writes_nothing_PR_1(field, value):
    """PR-1: rates 0–100, amounts ≥ 0; the error names the field; nothing is written."""
    data = {
        "name": "P",
        "payment_frequency": "monthly",
        "max_deduction_rate": Decimal("30"),
        field: value,
    }
    with pytest.raises(ValidationFailed) as exc:
        services.product_create(**data, component_types=[{"name": "K"}])
    assert list(exc.value.errors) == [field]
    assert not Product.objects.exists()
    assert not ComponentType.objects.exists()


def test_product_rates_at_the_bounds_are_accepted_PR_1():
    """PR-1: 0 and 100 are valid rates; 0 is a valid minimum amount."""
    product = services.product_create(
        name="P", payment_frequency="monthly", max_deduction_rate=Decimal("100"),
        tax_rate=Decimal("0"), min_payment_amount=Decimal("0"),
    )  # fmt: skip
    assert product.pk


def test_product_create_refuses_duplicate_component_type_names_PR_2():
    """PR-2: nested component types need distinct names; nothing is written."""
    with pytest.raises(ValidationFailed) as exc:
        services.product_create(
            name="P", payment_frequency="weekly", max_deduction_rate=Decimal("30"),
            component_types=[{"name": "A"}, {"name": "a"}],
        )  # fmt: skip
    assert "component_types" in exc.value.errors
    assert not Product.objects.exists()


def test_product_update_records_who_old_and_new_PR_3(administrator):
    """PR-3: a change to a deduction setting keeps a history row with user, old and new
    value; an update that changes nothing records nothing."""
    product = factories.ProductFactory(max_deduction_rate=Decimal("30"))
    before = product.history.count()
    services.product_update(
        product=product, data={"max_deduction_rate": Decimal("25")}, user=administrator
    )
    latest = product.history.latest()
    assert latest.history_user == administrator
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("max_deduction_rate", Decimal("30.00"), Decimal("25.00"))
    ]
    services.product_update(product=product, data={"max_deduction_rate": Decimal("25.00")})
    assert product.history.count() == before + 1


def test_component_type_add_update_and_delete_rules_PR_2():
    """PR-2: add and update component types; names unique within the product; a type
    used by case components cannot be deleted."""
    product = factories.ProductFactory()
    ct = services.component_type_add(product=product, name="Grundbetrag", taxable=True)
    with pytest.raises(ValidationFailed) as exc:
        services.component_type_add(product=product, name="grundbetrag")
    assert "name" in exc.value.errors
    updated = services.component_type_update(component_type=ct, data={"deductible": False})
    assert updated.deductible is False and updated.taxable is True
    factories.CaseComponentFactory(component_type=ct, case__product=product)
    with pytest.raises(Conflict):
        services.component_type_delete(component_type=ct)
    assert ComponentType.objects.filter(pk=ct.pk).exists()


# --- deduction types: priorities ----------------------------------------------------------


def test_seed_example_create_at_front_DT_6():
    """DT-6: A=1, B=2; creating C with priority 1 gives C=1, A=2, B=3."""
    _new_type("A")
    _new_type("B")
    _new_type("C", priority=1)
    assert _prios() == {"C": 1, "A": 2, "B": 3}


def test_type_without_priority_gets_next_free_DT_7():
    """DT-7: automatic priority is n + 1; a priority beyond n + 1 also means the end."""
    _new_type("A")
    _new_type("B")
    assert _new_type("C").priority == 3
    assert _new_type("D", priority=99).priority == 4


def test_move_and_delete_keep_priorities_dense_DT_6():
    """DT-6: moving from q to p shifts the types between; deleting closes the gap."""
    a, b, c, d = (_new_type(n) for n in "ABCD")
    services.deduction_type_update(deduction_type=d, data={"priority": 2})
    assert _prios() == {"A": 1, "D": 2, "B": 3, "C": 4}
    services.deduction_type_update(deduction_type=a, data={"priority": 3})
    assert _prios() == {"D": 1, "B": 2, "A": 3, "C": 4}
    services.deduction_type_update(deduction_type=b, data={"priority": None})
    assert _prios() == {"D": 1, "A": 2, "C": 3, "B": 4}
    services.deduction_type_delete(deduction_type=a)
    assert _prios() == {"D": 1, "C": 2, "B": 3}


def test_update_without_priority_keeps_it_DT_6():
    """DT-6: changing other fields leaves every priority where it was."""
    _new_type("A")
    b = _new_type("B")
    services.deduction_type_update(deduction_type=b, data={"max_amount": Decimal("10")})
    assert _prios() == {"A": 1, "B": 2}


@pytest.mark.parametrize("bad", [0, -3, "x", 1.5])
def test_priority_must_be_a_positive_integer_DT_6(bad):
    """DT-6: a priority below 1 or not an integer is a validation error on "priority"."""
    with pytest.raises(ValidationFailed) as exc:
        _new_type("A", priority=bad)
    assert list(exc.value.errors) == ["priority"]
    assert not DeductionType.objects.exists()


def test_resequenced_neighbours_get_history_rows_DT_12(administrator):
    """DT-12: shifting A and B by inserting C at 1 records a history row for each, with the
    administrator and the resequencing reason; the old priority stays in history."""
    a = _new_type("A", user=administrator)
    b = _new_type("B", user=administrator)
    _new_type("C", priority=1, user=administrator)
    for obj, old, new in ((a, 1, 2), (b, 2, 3)):
        latest = obj.history.latest()
        assert latest.history_type == "~"
        assert latest.history_user == administrator
        assert latest.history_change_reason == services.RESEQUENCE_REASON
        delta = latest.diff_against(latest.prev_record)
        assert [(c.field, c.old, c.new) for c in delta.changes] == [("priority", old, new)]


def test_type_history_records_field_changes_DT_12(administrator):
    """DT-12: an edit keeps who, old and new values; a delete keeps a row too."""
    t = _new_type("Strom", category="third_party", allowed_participant_types=["utility"])
    services.deduction_type_update(
        deduction_type=t, data={"max_amount": Decimal("50")}, user=administrator
    )
    latest = t.history.latest()
    assert latest.history_user == administrator
    changes = latest.diff_against(latest.prev_record).changes
    assert [(c.field, c.old, c.new) for c in changes] == [("max_amount", None, Decimal("50.00"))]
    services.deduction_type_delete(deduction_type=t, user=administrator)
    assert DeductionType.history.filter(id=t.pk, history_type="-").get().history_user == (
        administrator
    )


# --- deduction types: validation (DT-1, DT-5, DT-8, DT-9) ---------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"min_amount": Decimal("60"), "max_amount": Decimal("50")}, "min_amount"),
        ({"min_amount": Decimal("10"), "default_amount": Decimal("5")}, "default_amount"),
        ({"max_amount": Decimal("50"), "default_amount": Decimal("51")}, "default_amount"),
        ({"max_percentage": Decimal(5), "default_percentage": Decimal(6)}, "default_percentage"),
        ({"max_amount": Decimal("-1")}, "max_amount"),
        ({"max_percentage": Decimal("101")}, "max_percentage"),
        ({"allowed_participant_types": ["person", "alien"]}, "allowed_participant_types"),
        ({"category": "applied", "allowed_participant_types": []}, "allowed_participant_types"),
        ({"category": "sideways"}, "category"),
        ({"insufficient_balance_action": "maybe"}, "insufficient_balance_action"),
        ({"name": "  "}, "name"),
    ],
    ids=[
        "min>max", "default<min", "default>max", "default%>max%", "negative", "pct>100",
        "unknown-participant-type", "applied-without-types", "category", "action", "name",
    ],
)  # fmt: skip
def test_type_validation_names_the_field_and_writes_nothing_DT_5(fields, field):
    """DT-5 (and DT-1, DT-8, DT-9): defaults within limits, min ≤ max, known codes; a
    violation is a validation error naming the field, never a crash; nothing written."""
    _new_type("A")
    data = {"name": "Neu", "category": "unapplied", "priority": 1, **fields}
    with pytest.raises(ValidationFailed) as exc:
        services.deduction_type_create(**data)
    assert field in exc.value.errors
    assert _prios() == {"A": 1}


def test_type_validation_on_update_uses_stored_values_DT_5():
    """DT-5: lowering the maximum below the stored default is refused on "default_amount"."""
    t = _new_type("A", max_amount=Decimal("50"), default_amount=Decimal("40"))
    with pytest.raises(ValidationFailed) as exc:
        services.deduction_type_update(deduction_type=t, data={"max_amount": Decimal("30")})
    assert "default_amount" in exc.value.errors
    t.refresh_from_db()
    assert t.max_amount == Decimal("50.00")


def test_type_name_unique_DT_1():
    """DT-1: the name is unique (a code-table value)."""
    _new_type("Strom")
    with pytest.raises(ValidationFailed) as exc:
        _new_type("Strom", priority=1)
    assert "name" in exc.value.errors
    assert _prios() == {"Strom": 1}


def test_type_fields_stored_DT_1_DT_2_DT_3_DT_4_DT_8_DT_9():
    """DT-1, DT-2, DT-3, DT-4, DT-8, DT-9: category, amount limits, the default amount
    and percentage (which prefill new case deductions, DT-3/DT-4), the maximum percentage,
    allowed participant types and processing action are kept."""
    t = services.deduction_type_create(
        name="Überzahlung", category="applied", min_amount=Decimal("5"),
        max_amount=Decimal("200"), default_amount=Decimal("20"),
        max_percentage=Decimal("20"), default_percentage=Decimal("10"),
        allowed_participant_types=["person", "person", "prospect"],
        insufficient_balance_action="partial",
    )  # fmt: skip
    t.refresh_from_db()
    assert (t.category, t.min_amount, t.max_amount, t.default_amount) == (
        "applied", Decimal("5.00"), Decimal("200.00"), Decimal("20.00"),
    )  # fmt: skip
    assert (t.max_percentage, t.default_percentage) == (Decimal("20.00"), Decimal("10.00"))
    assert t.allowed_participant_types == ["person", "prospect"]
    assert t.insufficient_balance_action == "partial"
    assert t.allows_participant_type("person") and not t.allows_participant_type("utility")


def test_category_of_a_used_type_cannot_change_DT_1():
    """DT-1: case deductions copy the category; a used type keeps it."""
    deduction = factories.DeductionFactory()
    with pytest.raises(ValidationFailed) as exc:
        services.deduction_type_update(
            deduction_type=deduction.deduction_type, data={"category": "third_party"}
        )
    assert list(exc.value.errors) == ["category"]


def test_delete_refused_when_linked_or_used_DT_6():
    """DT-6 / DT-10: a linked type or one used by deductions cannot be deleted; the
    message says why; priorities stay as they were."""
    linked = _new_type("Miete")
    used = factories.DeductionFactory().deduction_type
    _new_type("Frei")
    product = factories.ProductFactory(name="Grundsicherung X")
    services.product_link_add(product=product, deduction_type=linked)
    before = _prios()
    with pytest.raises(Conflict) as exc:
        services.deduction_type_delete(deduction_type=linked)
    assert "Grundsicherung X" in exc.value.message
    with pytest.raises(Conflict) as exc:
        services.deduction_type_delete(deduction_type=used)
    assert "1 Abzug auf einem Fall" in exc.value.message
    assert _prios() == before


# --- limits for case deductions (DT-2, DT-4) ---------------------------------------------


def test_fixed_amount_above_type_maximum_refused_DT_2():
    """DT-2: fixed max 50 → 51 is refused on "amount" with the limit; 50 is accepted."""
    t = factories.DeductionTypeFactory(name="Strom", max_amount=Decimal("50"))
    with pytest.raises(ValidationFailed) as exc:
        services.deduction_type_check_amount(deduction_type=t, amount=Decimal("51"))
    assert list(exc.value.errors) == ["amount"]
    assert "50,00 €" in exc.value.errors["amount"][0]
    assert "maximalen Abzugsbetrag" in exc.value.errors["amount"][0]
    services.deduction_type_check_amount(deduction_type=t, amount=Decimal("50"))


def test_fixed_amount_below_type_minimum_refused_DT_2():
    """DT-2: fixed min 30 → 29 is refused on "amount" with the limit; 30 is accepted."""
    t = factories.DeductionTypeFactory(min_amount=Decimal("30"))
    with pytest.raises(ValidationFailed) as exc:
        services.deduction_type_check_amount(deduction_type=t, amount=Decimal("29"))
    assert list(exc.value.errors) == ["amount"]
    assert "30,00 €" in exc.value.errors["amount"][0]
    assert "minimalen Abzugsbetrag" in exc.value.errors["amount"][0]
    services.deduction_type_check_amount(deduction_type=t, amount=Decimal("30"))


def test_percentage_above_type_maximum_refused_DT_4():
    """DT-4: max percentage 5 → 6 % is refused on "percentage" with the limit; 5 passes."""
    t = factories.DeductionTypeFactory(max_percentage=Decimal("5"))
    with pytest.raises(ValidationFailed) as exc:
        services.deduction_type_check_amount(deduction_type=t, percentage=Decimal("6"))
    assert list(exc.value.errors) == ["percentage"]
    assert "5,00 %" in exc.value.errors["percentage"][0]
    services.deduction_type_check_amount(deduction_type=t, percentage=Decimal("5"))


def test_amount_and_percentage_must_be_positive_DT_2_DT_4():
    """DT-2, DT-4: zero or negative amounts and percentages are refused even without
    limits; a type without limits accepts any positive amount."""
    t = factories.DeductionTypeFactory()
    for kwargs, field in (
        ({"amount": Decimal("0")}, "amount"),
        ({"percentage": Decimal("0")}, "percentage"),
        ({"percentage": Decimal("100.5")}, "percentage"),
    ):
        with pytest.raises(ValidationFailed) as exc:
            services.deduction_type_check_amount(deduction_type=t, **kwargs)
        assert list(exc.value.errors) == [field]
    services.deduction_type_check_amount(deduction_type=t, amount=Decimal("9999"))


# --- product links (DT-10, DT-11) ---------------------------------------------------------


def test_link_next_free_and_at_priority_DT_11():
    """DT-11: linking assigns the next free link priority; a given one resequences."""
    product = factories.ProductFactory()
    a, b, c = (_new_type(n) for n in "ABC")
    services.product_link_add(product=product, deduction_type=a)
    services.product_link_add(product=product, deduction_type=b)
    services.product_link_add(product=product, deduction_type=c, priority=1)
    assert _link_prios(product) == {"C": 1, "A": 2, "B": 3}


def test_link_many_in_order_at_priority_DT_10_DT_11():
    """DT-10: several existing types are linked at once, in the given order, from p on."""
    product = factories.ProductFactory()
    a, b, c, d = (_new_type(n) for n in "ABCD")
    services.product_link_add(product=product, deduction_type=a)
    services.product_link_add(product=product, deduction_type=b)
    links = services.product_links_add(product=product, deduction_types=[d, c], priority=2)
    assert [link.priority for link in links] == [2, 3]
    assert _link_prios(product) == {"A": 1, "D": 2, "C": 3, "B": 4}


def test_link_twice_refused_DT_10():
    """DT-10: a type is linked to a product once; the error names "deduction_type"."""
    product = factories.ProductFactory()
    a = _new_type("A")
    services.product_link_add(product=product, deduction_type=a)
    with pytest.raises(ValidationFailed) as exc:
        services.product_link_add(product=product, deduction_type=a, priority=1)
    assert list(exc.value.errors) == ["deduction_type"]
    assert _link_prios(product) == {"A": 1}


def test_links_are_per_product_DT_11():
    """DT-11: link priorities are independent per product; the global type priority is
    untouched by linking."""
    p1, p2 = factories.ProductFactory(), factories.ProductFactory()
    a, b = _new_type("A"), _new_type("B")
    services.product_link_add(product=p1, deduction_type=a)
    services.product_link_add(product=p1, deduction_type=b)
    services.product_link_add(product=p2, deduction_type=b)
    services.product_link_add(product=p2, deduction_type=a, priority=1)
    assert _link_prios(p1) == {"A": 1, "B": 2}
    assert _link_prios(p2) == {"A": 1, "B": 2}
    services.product_link_move(
        link=selectors.product_link_get(product=p2, deduction_type=b), priority=1
    )
    assert _link_prios(p1) == {"A": 1, "B": 2}
    assert _link_prios(p2) == {"B": 1, "A": 2}
    assert _prios() == {"A": 1, "B": 2}


def test_link_move_does_not_touch_existing_deductions_DT_11(administrator):
    """DT-11: changing a link's priority (or unlinking) never changes deductions that
    already exist on cases: their priority and history stay as they were."""
    product = factories.ProductFactory()
    a, b = _new_type("A"), _new_type("B")
    link_a = services.product_link_add(product=product, deduction_type=a)
    services.product_link_add(product=product, deduction_type=b)
    case = factories.ProductDeliveryCaseFactory(product=product)
    d1 = factories.DeductionFactory(case=case, deduction_type=a, priority=1)
    d2 = factories.DeductionFactory(case=case, deduction_type=b, priority=2)
    history_before = Deduction.history.count()
    services.product_link_move(link=link_a, priority=2, user=administrator)
    assert _link_prios(product) == {"B": 1, "A": 2}
    d1.refresh_from_db()
    d2.refresh_from_db()
    assert (d1.priority, d2.priority) == (1, 2)
    assert Deduction.history.count() == history_before


def test_unlink_closes_gap_and_leaves_type_DT_10_DT_11(administrator):
    """DT-10, DT-11: unlinking closes the gap in the product's links; the type stays and
    stays linked to other products; the moved link gets a history row."""
    p1, p2 = factories.ProductFactory(), factories.ProductFactory()
    a, b, c = (_new_type(n) for n in "ABC")
    for t in (a, b, c):
        services.product_link_add(product=p1, deduction_type=t)
    services.product_link_add(product=p2, deduction_type=a)
    services.product_link_remove(
        link=selectors.product_link_get(product=p1, deduction_type=a), user=administrator
    )
    assert _link_prios(p1) == {"B": 1, "C": 2}
    assert _link_prios(p2) == {"A": 1}
    assert DeductionType.objects.filter(pk=a.pk).exists()
    link_c = selectors.product_link_get(product=p1, deduction_type=c)
    latest = link_c.history.latest()
    assert latest.history_change_reason == services.RESEQUENCE_REASON
    assert latest.history_user == administrator


def test_create_type_from_product_links_it_at_once_DT_10():
    """DT-10: a type created from a product is linked at once (at the wanted link
    priority) and stays available to other products."""
    p1, p2 = factories.ProductFactory(), factories.ProductFactory()
    services.product_link_add(product=p1, deduction_type=_new_type("A"))
    link = services.deduction_type_create_for_product(
        product=p1, link_priority=1, name="Strom", category="third_party",
        allowed_participant_types=["utility"], priority=1,
    )  # fmt: skip
    assert _link_prios(p1) == {"Strom": 1, "A": 2}
    assert _prios() == {"Strom": 1, "A": 2}
    services.product_link_add(product=p2, deduction_type=link.deduction_type)
    assert _link_prios(p2) == {"Strom": 1}


def test_create_type_from_product_invalid_writes_nothing_DT_10():
    """DT-10: an invalid new type is neither created nor linked."""
    product = factories.ProductFactory()
    with pytest.raises(ValidationFailed):
        services.deduction_type_create_for_product(
            product=product, name="X", category="third_party", allowed_participant_types=[]
        )
    assert not DeductionType.objects.exists()
    assert not ProductDeductionType.objects.exists()


def test_selector_offers_only_linked_types_of_category_by_link_priority_DT_10():
    """DT-10, DT-11 (CD-2, CD-9): only types linked to the product, of the category, in
    link priority order, each with its link priority; nothing for an unconfigured
    category."""
    product = factories.ProductFactory()
    other = factories.ProductFactory()
    strom = _new_type("Strom", category="third_party", allowed_participant_types=["utility"])
    gas = _new_type("Gas", category="third_party", allowed_participant_types=["utility"])
    miete = _new_type("Miete", category="third_party", allowed_participant_types=["person"])
    steuer = _new_type("Steuern", category="unapplied")
    services.product_link_add(product=product, deduction_type=strom)
    services.product_link_add(product=product, deduction_type=steuer)
    services.product_link_add(product=product, deduction_type=gas, priority=1)
    services.product_link_add(product=other, deduction_type=miete)
    offered = list(
        selectors.deduction_types_for_case_category(product=product, category="third_party")
    )
    assert [(t.name, t.link_priority) for t in offered] == [("Gas", 1), ("Strom", 2)]
    assert not selectors.deduction_types_for_case_category(product=product, category="applied")
    assert selectors.link_priority(product=product, deduction_type=steuer) == 3
    assert selectors.link_priority(product=product, deduction_type=miete) is None
    assert selectors.deduction_type_is_linked(product=other, deduction_type=miete)
    assert not selectors.deduction_type_is_linked(product=product, deduction_type=miete)


# --- payment frequency after payments (PR-3, PAY-13) ------------------------------------


def _benefit_payment(case):
    """One benefit payment of `case` (a payment run's ledger row)."""
    return factories.BenefitPaymentFactory(case=case)


def test_frequency_change_refused_once_a_case_is_paid_PR_3_PAY_13(administrator):
    """PR-3 / PAY-13: with a paid case, another frequency would lay out periods that
    overlap the paid ones; the change is refused on `payment_frequency`, nothing saved."""
    product = factories.ProductFactory(payment_frequency="weekly")
    paid = factories.ProductDeliveryCaseFactory(product=product)
    factories.ProductDeliveryCaseFactory(product=product)  # a second, unpaid case
    _benefit_payment(paid)
    with pytest.raises(ValidationFailed) as err:
        services.product_update(
            product=product, data={"payment_frequency": "monthly"}, user=administrator
        )
    assert set(err.value.errors) == {"payment_frequency"}
    assert (
        "Zahlungshäufigkeit kann nicht mehr geändert werden"
        in (err.value.errors["payment_frequency"][0])
    )
    product.refresh_from_db()
    assert product.payment_frequency == "weekly"
    # Other settings still change, and the unchanged frequency is harmless.
    services.product_update(
        product=product,
        data={"payment_frequency": "weekly", "max_deduction_rate": Decimal("20")},
        user=administrator,
    )
    product.refresh_from_db()
    assert product.max_deduction_rate == Decimal("20.00")


def test_frequency_change_allowed_before_payments_and_carried_to_financial_components_PR_3_IC_9(
    administrator,
):
    """PR-3 / IC-9: third-party payments alone or no payments at all do not fix the
    frequency; the financial components of the product's cases follow the change."""
    from cases.models import FinancialComponent

    product = factories.ProductFactory(payment_frequency="weekly")
    component = factories.CaseComponentFactory(case__product=product)
    factories.FinancialComponentFactory(
        case=component.case,
        component=component,
        nominee=component.nominee,
        amount=Decimal("100.00"),
        delivery_method="cheque",
        frequency="weekly",
        start_date=component.start_date,
    )
    factories.ThirdPartyPaymentFactory(deduction__case__product=product)
    services.product_update(
        product=product, data={"payment_frequency": "monthly"}, user=administrator
    )
    product.refresh_from_db()
    assert product.payment_frequency == "monthly"
    assert set(FinancialComponent.objects.values_list("frequency", flat=True)) == {"monthly"}


def test_frequency_check_is_one_query_whatever_the_number_of_cases_PR_3(
    django_assert_num_queries,
):
    """PR-3: the check reads the product's paid cases with one query, not per case."""
    product = factories.ProductFactory()
    for _ in range(3):
        _benefit_payment(factories.ProductDeliveryCaseFactory(product=product))
    with django_assert_num_queries(1):
        assert services.product_frequency_change_refusal(product=product)
