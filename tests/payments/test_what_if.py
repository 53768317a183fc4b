"""SIM-4 what-if simulation: changes previewed beside the current plan, nothing written until
applied; applying goes through the ordinary services (history, events) in one transaction."""

from datetime import date
from decimal import Decimal

import pytest

from config import roles
from config.exceptions import ValidationFailed
from deductions.models import Deduction
from deductions.services import deduction_update
from payments.services.what_if import Change, what_if_apply, what_if_run
from tests import factories
from tests.payments.builders import add_deduction, build_case
from workflow.models import WorkflowEvent

pytestmark = pytest.mark.django_db

UP_TO = date(2026, 1, 26)  # three weekly payments


@pytest.fixture
def user():
    return factories.UserFactory(role=roles.CASEWORKER)


def _case(suffix: str = ""):
    setup = build_case(components=(("c1", "thomas", "100"),))
    liability = factories.LiabilityFactory(
        participant=setup.thomas, original_amount=Decimal("300.00")
    )
    overpayment = add_deduction(
        setup,
        name=f"Überzahlung{suffix}",
        category="applied",
        amount="20",
        liability=liability,
        action="partial",
    )
    strom = add_deduction(setup, name=f"Strom{suffix}", amount="5", nominee="thomas")
    return setup, liability, overpayment, strom


def _written():
    return (
        Deduction.objects.count(),
        Deduction.history.count(),
        WorkflowEvent.objects.count(),
    )


def test_what_if_shows_both_plans_and_writes_nothing_SIM_4(user):
    """SIM-4: 30 € instead of 20 € on the overpayment: both plans, their totals, the
    per-payment differences and the payoff date before and after; no rows, no history,
    no events."""
    setup, liability, overpayment, _strom = _case()
    before = _written()
    result = what_if_run(
        case_id=setup.case.pk,
        up_to=UP_TO,
        changes=[Change(deduction=overpayment.pk, values={"amount": Decimal("30.00")})],
        user=user,
    )
    assert _written() == before
    overpayment.refresh_from_db()
    assert overpayment.amount == Decimal("20.00")
    assert result["current"]["totals"]["deducted"] == "75.00"  # 3 × (20 + 5)
    assert result["what_if"]["totals"]["deducted"] == "90.00"  # 3 × 30: Strom finds no room
    assert result["current"]["totals"]["net"] == "225.00"
    assert all("net" in row["differences"] for row in result["differences"])
    [row] = result["liabilities"]
    assert row["liability"] == liability.pk
    assert row["before"]["payments"] == 15 and row["after"]["payments"] == 10
    assert row["after"]["payoff_date"] < row["before"]["payoff_date"]


def test_what_if_draft_and_priority_SIM_4(user):
    """SIM-4: a draft deduction joins the plan (numbered -1) and a changed priority moves
    a deduction first; none of it is written."""
    setup, _liability, _overpayment, strom = _case()
    gas_type = factories.DeductionTypeFactory(name="Gas", category="unapplied")
    factories.ProductDeductionTypeFactory(product=setup.case.product, deduction_type=gas_type)
    before = _written()
    result = what_if_run(
        case_id=setup.case.pk,
        up_to=UP_TO,
        changes=[
            Change(deduction=strom.pk, values={"priority": 1}),
            Change(
                deduction=None,
                values={
                    "deduction_type": gas_type.pk,
                    "amount": Decimal("4.00"),
                    "nominee": setup.thomas.pk,
                    "start_date": date(2026, 1, 5),
                    "end_date": date(2026, 12, 31),
                    "priority": "automatic",
                },
            ),
        ],
        user=user,
    )
    assert _written() == before
    lines = result["what_if"]["payments"][0]["deductions"]
    assert [(line["name"], line["priority"]) for line in lines] == [
        ("Strom", 1),
        ("Überzahlung", 2),
        ("Gas", 3),
    ]
    assert lines[2]["deduction"] == -1 and lines[2]["draft"] is True
    assert result["what_if"]["totals"]["deducted"] == "87.00"


def test_what_if_refusal_names_the_change_and_writes_nothing_SIM_4(user):
    """SIM-4: the preview validates like the real change (the services' messages)."""
    setup, _liability, overpayment, strom = _case()
    before = _written()
    with pytest.raises(ValidationFailed) as exc:
        what_if_run(
            case_id=setup.case.pk,
            up_to=UP_TO,
            changes=[
                Change(deduction=strom.pk, values={"amount": Decimal("6.00")}),
                Change(deduction=overpayment.pk, values={"percentage": Decimal("5")}),
            ],
            user=user,
        )
    assert "changes.1.percentage" in exc.value.errors
    assert any("Überzahlung" in m for m in exc.value.errors["changes"])
    assert _written() == before


def test_applying_writes_the_same_history_as_editing_by_hand_SIM_4(user):
    """SIM-4: what_if_apply makes the change through deduction_update: the same history
    rows and the same "modified" event as the edit page."""
    by_hand, _l1, hand_deduction, _s1 = _case()
    applied, _l2, applied_deduction, _s2 = _case(" B")
    deduction_update(deduction=hand_deduction, user=user, amount=Decimal("30.00"), priority=2)
    what_if_apply(
        case_id=applied.case.pk,
        changes=[
            Change(
                deduction=applied_deduction.pk, values={"amount": Decimal("30.00"), "priority": 2}
            )
        ],
        user=user,
    )

    def history(deduction):
        return [
            (h.history_type, h.amount, h.priority, h.history_change_reason, h.history_user_id)
            for h in Deduction.history.filter(case_id=deduction.case_id).order_by("history_id")
        ]

    def events(deduction):
        return [
            (
                e.event_type,
                {
                    k: v
                    for k, v in e.payload.items()
                    if k not in ("deduction", "case", "deduction_type")
                },
            )
            for e in WorkflowEvent.objects.filter(case_id=deduction.case_id).order_by("pk")
        ]

    assert history(applied_deduction) == history(hand_deduction)
    assert events(applied_deduction) == events(hand_deduction)
    assert events(applied_deduction)[-1][0] == "deduction_modified"
    applied_deduction.refresh_from_db()
    assert applied_deduction.amount == Decimal("30.00") and applied_deduction.priority == 2


def test_apply_is_all_or_nothing_SIM_4(user):
    """SIM-4: one refused change leaves the others unwritten too."""
    setup, _liability, overpayment, strom = _case()
    before = _written()
    with pytest.raises(ValidationFailed):
        what_if_apply(
            case_id=setup.case.pk,
            changes=[
                Change(deduction=strom.pk, values={"amount": Decimal("6.00")}),
                Change(deduction=overpayment.pk, values={"end_date": date(2025, 1, 1)}),
            ],
            user=user,
        )
    assert _written() == before
    strom.refresh_from_db()
    assert strom.amount == Decimal("5.00")


def test_action_change_is_previewed_not_applied_SIM_4(user):
    """SIM-4: the processing action (a setting of the deduction type, DT-9) can be tried in
    the what-if; applying it is refused with the reason, and nothing is written."""
    setup = build_case(components=(("c1", "thomas", "100"),))
    strom = add_deduction(setup, name="Strom", amount="25", nominee="thomas")
    gas = add_deduction(setup, name="Gas", amount="10", nominee="thomas", action="skip")
    result = what_if_run(
        case_id=setup.case.pk,
        up_to=date(2026, 1, 12),
        changes=[Change(deduction=gas.pk, values={"action": "partial"})],
        user=user,
    )
    [current] = result["current"]["payments"]
    [after] = result["what_if"]["payments"]
    assert [line["amount"] for line in current["deductions"]] == ["25.00", "0.00"]
    assert [line["amount"] for line in after["deductions"]] == ["25.00", "5.00"]
    before = _written()
    with pytest.raises(ValidationFailed):
        what_if_apply(
            case_id=setup.case.pk,
            changes=[Change(deduction=gas.pk, values={"action": "partial"})],
            user=user,
        )
    assert _written() == before
    assert strom.pk


# --- API (additive to api.md) and roles (RO-1) --------------------------------------------


def test_simulate_api_with_changes_and_apply_SIM_4(api, admin_api):
    """SIM-4: POST .../simulate/ with ``changes`` answers the current plan as before plus a
    ``what_if`` block; nothing is written; .../simulate/apply/ applies; an administrator
    may do neither (RO-1)."""
    setup, liability, overpayment, _strom = _case()
    url = f"/api/v1/product-delivery-cases/{setup.case.pk}/simulate/"
    body = {
        "up_to": "2026-01-26",
        "changes": [{"deduction": overpayment.pk, "amount": "30.00"}],
    }
    before = _written()
    response = api.post(url, body, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["id"] is None and len(data["payments"]) == 3
    assert data["payments"][0]["deductions"][0]["amount"] == "20.00"
    assert data["what_if"]["payments"][0]["deductions"][0]["amount"] == "30.00"
    assert data["what_if"]["totals"]["deducted"] == "90.00"
    assert data["what_if"]["liabilities"][0]["after"]["payments"] == 10
    assert _written() == before

    refused = api.post(url, {**body, "save": True}, format="json")
    assert refused.status_code == 400 and "save" in refused.json()
    bad = api.post(
        url,
        {"up_to": "2026-01-26", "changes": [{"deduction": overpayment.pk, "percentage": "5"}]},
        format="json",
    )
    assert bad.status_code == 400 and "changes" in bad.json()

    assert (
        admin_api.post(f"{url}apply/", {"changes": body["changes"]}, format="json").status_code
        == 403
    )
    assert admin_api.post(url, body, format="json").status_code == 403
    applied = api.post(f"{url}apply/", {"changes": body["changes"]}, format="json")
    assert applied.status_code == 200
    assert applied.json() == {"updated": [overpayment.pk], "created": []}
    overpayment.refresh_from_db()
    assert overpayment.amount == Decimal("30.00")


# --- the page (SIM-4) and its roles (RO-1) ------------------------------------------------


def test_what_if_page_compares_and_applies_SIM_4(client):
    """SIM-4: the page prefills each deduction in force; comparing shows both plans, the
    totals, the differences and the payoff dates and writes nothing; applying writes."""
    setup, liability, overpayment, _strom = _case()
    client.force_login(factories.UserFactory(role=roles.CASEWORKER))
    url = f"/cases/pdc/{setup.case.pk}/simulate/what-if/"
    page = client.get(url).content.decode()
    assert f'name="d{overpayment.pk}_amount"' in page and 'inputmode="decimal"' in page
    assert 'type="number"' not in page.split('name="d')[1].split(">")[0]
    form = {
        "up_to": "2026-01-26",
        f"d{overpayment.pk}_amount": "30,00",
        f"d{overpayment.pk}_priority": "1",
        f"d{overpayment.pk}_start_date": "2026-01-05",
        f"d{overpayment.pk}_end_date": "2026-12-31",
        f"d{overpayment.pk}_action": "partial",
        f"d{_strom.pk}_amount": "5,00",
        f"d{_strom.pk}_priority": "2",
        f"d{_strom.pk}_start_date": "2026-01-05",
        f"d{_strom.pk}_end_date": "2026-12-31",
        f"d{_strom.pk}_action": "skip",
        "compare": "1",
    }
    before = _written()
    html = client.post(url, form).content.decode()
    assert _written() == before
    assert 'data-testid="what-if-payoff"' in html
    assert "getilgt am 20.04.2026 nach 15 Zahlungen" in html  # 15 × 20 from 12.01.
    assert "getilgt am 16.03.2026 nach 10 Zahlungen" in html
    assert "75,00 €" in html and "90,00 €" in html
    assert "Überzahlung: 20,00 € → 30,00 €" in html
    response = client.post(url, {**form, "apply": "1"})
    assert response.status_code == 302
    overpayment.refresh_from_db()
    assert overpayment.amount == Decimal("30.00")


def test_what_if_page_shows_refusal_beside_the_field_SIM_4(client):
    setup, _liability, overpayment, strom = _case()
    client.force_login(factories.UserFactory(role=roles.CASEWORKER))
    url = f"/cases/pdc/{setup.case.pk}/simulate/what-if/"
    form = {
        "up_to": "2026-01-26",
        f"d{overpayment.pk}_amount": "20,00",
        f"d{overpayment.pk}_priority": "1",
        f"d{overpayment.pk}_start_date": "2026-01-05",
        f"d{overpayment.pk}_end_date": "2025-01-01",
        f"d{overpayment.pk}_action": "partial",
        f"d{strom.pk}_amount": "5,00",
        f"d{strom.pk}_priority": "2",
        f"d{strom.pk}_start_date": "2026-01-05",
        f"d{strom.pk}_end_date": "2026-12-31",
        f"d{strom.pk}_action": "skip",
        "compare": "1",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_d{overpayment.pk}_end_date_error"' in html


def test_what_if_page_roles_RO_1(client):
    """RO-1: caseworkers and supervisors use the what-if; administrators may not."""
    setup, *_rest = _case()
    url = f"/cases/pdc/{setup.case.pk}/simulate/what-if/"
    client.force_login(factories.UserFactory(role="Administrator"))
    assert client.get(url).status_code == 403
    client.force_login(factories.UserFactory(role="Case supervisor"))
    assert client.get(url).status_code == 200


def test_what_if_page_draft_deduction_and_apply_creates_it_SIM_4(client):
    """SIM-4: a draft added on the page joins the what-if plan; applying creates it, active,
    with its "created" and "activated" events."""
    setup, _liability, overpayment, strom = _case()
    gas_type = factories.DeductionTypeFactory(name="Gas", category="unapplied")
    factories.ProductDeductionTypeFactory(product=setup.case.product, deduction_type=gas_type)
    client.force_login(factories.UserFactory(role=roles.CASEWORKER))
    url = f"/cases/pdc/{setup.case.pk}/simulate/what-if/"
    form = {"up_to": "2026-01-12", "compare": "1"}
    for d in (overpayment, strom):
        form |= {
            f"d{d.pk}_amount": f"{d.amount:.2f}".replace(".", ","),
            f"d{d.pk}_priority": str(d.priority),
            f"d{d.pk}_start_date": "2026-01-05",
            f"d{d.pk}_end_date": "2026-12-31",
            f"d{d.pk}_action": d.deduction_type.insufficient_balance_action,
        }
    form |= {
        "draft_type": str(gas_type.pk),
        "draft_amount": "3,50",
        "draft_start_date": "2026-01-05",
        "draft_end_date": "2026-12-31",
    }
    before = _written()
    html = client.post(url, form).content.decode()
    assert _written() == before
    assert "Gas: – → 3,50 €" in html
    response = client.post(url, {**form, "apply": "1"})
    assert response.status_code == 302
    gas = Deduction.objects.get(deduction_type=gas_type)
    assert gas.status == "active" and gas.amount == Decimal("3.50")
    assert list(
        WorkflowEvent.objects.filter(deduction_id=gas.pk)
        .order_by("pk")
        .values_list("event_type", flat=True)
    ) == ["deduction_created", "deduction_activated"]
