"""REST endpoints /api/v1/deductions/ exactly as api.md names them (CD-1..CD-16, RO-1)."""

import pytest

from deductions.models import Deduction, DeductionStatus
from tests import factories
from tests.deductions.conftest import create, make_world
from workflow.models import WorkflowEvent

pytestmark = pytest.mark.django_db

URL = "/api/v1/deductions/"


def body(world, kind="unapplied", **overrides):
    data = {
        "case": world.case.pk,
        "start_date": "2026-02-01",
        "end_date": "2026-06-30",
    }
    if kind == "unapplied":
        data.update(deduction_type=world.unapplied.pk, amount="40.00", nominee=world.thomas.pk)
    elif kind == "applied":
        data.update(
            deduction_type=world.applied.pk, percentage="3.00", liability_holder=world.thomas.pk
        )
    else:
        data.update(
            deduction_type=world.third_party.pk,
            percentage="5.00",
            all_nominees=True,
            third_party=world.utility.pk,
            third_party_account_number="DE02120300000000202051",
            third_party_reference="STROM-4711",
        )
    data.update(overrides)
    return data


def assert_400(response, field):
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert not Deduction.objects.exists()
    assert not WorkflowEvent.objects.exists()


def test_create_returns_api_md_fields_CD_1_CD_6_CD_16(world, api):
    """CD-1: POST creates; the answer carries every api.md field, money as strings, and the
    *_display labels."""
    response = api.post(URL, body(world, "third_party"), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    for key in (
        "id",
        "case",
        "deduction_type",
        "category",
        "amount",
        "percentage",
        "nominee",
        "component",
        "all_nominees",
        "start_date",
        "end_date",
        "priority",
        "status",
        "business_status",
        "liability",
        "third_party",
        "third_party_account_number",
        "third_party_reference",
        "created_on",
        "category_display",
        "status_display",
        "business_status_display",
    ):
        assert key in data, key
    assert "activate" not in data  # write-only
    assert data["category"] == "third_party" and data["category_display"] == "Dritte"
    assert data["amount"] is None and data["percentage"] == "5.00"
    assert data["all_nominees"] is True and data["third_party"] == world.utility.pk
    assert data["status"] == "inactive" and data["status_display"] == "Inaktiv"
    assert data["priority"] == 1
    assert [e.event_type for e in WorkflowEvent.objects.all()] == ["deduction_created"]


def test_create_with_activate_and_applied_liability_CD_3_CD_11(world, api):
    """CD-3 / CD-11: an applied deduction takes the holder's only open liability; activate
    on creation gives an active deduction."""
    response = api.post(URL, body(world, "applied", activate=True), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["liability"] == world.liability.pk
    assert data["liability_holder"] == world.thomas.pk
    assert data["status"] == "active"


def test_activate_on_creation_refused_is_409_and_writes_nothing_CD_11(caseworker, api):
    """CD-11: activate on creation on a case that is not active → 409, nothing written."""
    from cases.models import CaseStatus

    world = make_world(caseworker, case_status=CaseStatus.OPEN)
    response = api.post(URL, body(world, activate=True), format="json")
    assert response.status_code == 409
    assert "nicht aktiv" in response.json()["detail"]
    assert not Deduction.objects.exists() and not WorkflowEvent.objects.exists()


@pytest.fixture
def may_world(caseworker):
    from datetime import date

    return make_world(caseworker, expected_end=date(2026, 5, 23))


def test_acceptance_2_over_api_CD_7_CD_8_DT_4(may_world, api):
    """Acceptance 2: each refusal is a 400 naming the field, and nothing is written."""
    assert_400(api.post(URL, body(may_world, start_date="2026-05-24"), format="json"), "start_date")
    assert_400(
        api.post(URL, body(may_world, nominee=None, all_nominees=True), format="json"),
        "all_nominees",
    )
    assert_400(
        api.post(URL, body(may_world, "third_party", all_nominees=False), format="json"),
        "nominee",
    )
    assert_400(
        api.post(URL, body(may_world, "third_party", percentage="10.50"), format="json"),
        "percentage",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": "51.00"}, "amount"),
        ({"amount": "29.00"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": None}, "amount"),
        ({"deduction_type": 999999}, "deduction_type"),
        ({"case": 999999}, "case"),
        ({"nominee": 999999}, "nominee"),
        ({"priority": 0}, "priority"),
        ({"priority": "first"}, "priority"),
        ({"start_date": "2026-13-01"}, "start_date"),
        ({"end_date": "2026-01-01"}, "end_date"),
        ({"category": "applied"}, "deduction_type"),
        ({"category": "nonsense"}, "category"),
    ],
    ids=lambda v: str(v),
)
def test_bad_input_is_400_naming_the_field_DT_2_CD_2_CD_6_CD_8_CD_9(world, api, overrides, field):
    """DT-2 (max 50 / min 30), CD-2, CD-6, CD-8, CD-9: bad input is 400 with the field."""
    assert_400(api.post(URL, body(world, **overrides), format="json"), field)


def test_percentage_type_max_DT_4(world, api):
    """DT-4: max 5 % refuses 6 % over the API."""
    response = api.post(URL, body(world, "applied", percentage="6.00"), format="json")
    assert_400(response, "percentage")
    response = api.post(URL, body(world, "applied", percentage="5.00"), format="json")
    assert response.status_code == 201


def test_priority_inputs_CD_9(world, api):
    """CD-9: null → the link's priority (a wanted position), "automatic" → next free,
    a number → that position, the others resequenced."""
    a = api.post(URL, body(world, priority="automatic"), format="json").json()
    b = api.post(URL, body(world, priority="automatic"), format="json").json()
    assert (a["priority"], b["priority"]) == (1, 2)
    c = api.post(URL, body(world, priority=None), format="json").json()
    assert c["priority"] == 1  # the link of "Geldstrafe" has priority 1
    d = api.post(URL, body(world, priority=2), format="json").json()
    got = dict(Deduction.objects.values_list("pk", "priority"))
    assert got == {c["id"]: 1, d["id"]: 2, a["id"]: 3, b["id"]: 4}


def test_patch_moves_priority_and_edits_CD_9_CD_13(world, api):
    """CD-13 / CD-9 (acceptance 3): PATCH priority 3 → 1 resequences; edits are validated."""
    made = [create(world, priority="automatic") for _ in range(3)]
    response = api.patch(f"{URL}{made[2].pk}/", {"priority": 1}, format="json")
    assert response.status_code == 200, response.content
    got = dict(Deduction.objects.values_list("pk", "priority"))
    assert got == {made[2].pk: 1, made[0].pk: 2, made[1].pk: 3}
    response = api.patch(f"{URL}{made[0].pk}/", {"amount": "55.00"}, format="json")
    assert response.status_code == 400 and "amount" in response.json()
    response = api.patch(
        f"{URL}{made[0].pk}/", {"amount": "45.00", "end_date": "2026-07-31"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["amount"] == "45.00" and response.json()["end_date"] == "2026-07-31"
    assert WorkflowEvent.objects.filter(event_type="deduction_modified").count() == 2


def test_patch_refuses_fields_fixed_at_creation_CD_13(world, api):
    """CD-13: only amount, percentage, dates, priority and third-party details change."""
    deduction = create(world)
    for data, field in [
        ({"nominee": world.linda.pk}, "nominee"),
        ({"deduction_type": world.applied.pk}, "deduction_type"),
        ({"all_nominees": True}, "all_nominees"),
        ({"activate": True}, "activate"),
    ]:
        response = api.patch(f"{URL}{deduction.pk}/", data, format="json")
        assert response.status_code == 400 and field in response.json(), response.json()
    # Sending the same value is harmless.
    response = api.patch(f"{URL}{deduction.pk}/", {"nominee": world.thomas.pk}, format="json")
    assert response.status_code == 200
    assert WorkflowEvent.objects.filter(event_type="deduction_modified").count() == 0


def test_patch_cancelled_is_409_CD_13(world, api):
    """CD-13: editing a cancelled deduction is a 409."""
    deduction = create(world)
    api.post(f"{URL}{deduction.pk}/cancel/")
    response = api.patch(f"{URL}{deduction.pk}/", {"amount": "45.00"}, format="json")
    assert response.status_code == 409


def test_filters_CD_14(world, api):
    """CD-14: ?case=, ?category=, ?status=, ?primary_client= filter the list."""
    unapplied = create(world)
    third = create(world, "third_party", activate=True)
    other_world = make_world(world.user)
    other = create(other_world)

    def got(query):
        response = api.get(URL + query)
        assert response.status_code == 200
        return {r["id"] for r in response.json()["results"]}

    assert got(f"?case={world.case.pk}") == {unapplied.pk, third.pk}
    assert got("?category=third_party") == {third.pk}
    assert got("?status=active") == {third.pk}
    assert got(f"?primary_client={other_world.thomas.pk}") == {other.pk}
    assert api.get(URL + "?status=bogus").status_code == 400
    assert set(api.get(URL).json()) >= {"count", "next", "previous", "results"}


def test_actions_and_no_delete_CD_10(world, api):
    """CD-10: actions return the deduction; a deduction is cancelled, never deleted."""
    deduction = create(world)
    assert api.post(f"{URL}{deduction.pk}/activate/").json()["status"] == "active"
    assert api.post(f"{URL}{deduction.pk}/deactivate/").json()["status"] == "inactive"
    response = api.post(f"{URL}{deduction.pk}/cancel/", {"reason": "Irrtum"}, format="json")
    assert response.json()["status"] == "cancelled"
    assert api.delete(f"{URL}{deduction.pk}/").status_code == 405
    assert Deduction.objects.filter(pk=deduction.pk).exists()


def test_roles_RO_1(world, api, supervisor_api, admin_api, anon_api):
    """RO-1: caseworkers and supervisors write, administrators read only, anonymous 401."""
    deduction = create(world)
    assert supervisor_api.post(URL, body(world), format="json").status_code == 201
    assert admin_api.get(URL).status_code == 200
    assert admin_api.post(URL, body(world), format="json").status_code == 403
    assert admin_api.post(f"{URL}{deduction.pk}/activate/").status_code == 403
    assert anon_api.get(URL).status_code == 401
    assert Deduction.objects.count() == 2
    assert Deduction.objects.get(pk=deduction.pk).status == DeductionStatus.INACTIVE


def test_third_party_payee_joins_case_over_api_TP_5(world, api):
    """TP-5: a third-party payee becomes a case participant."""
    api.post(URL, body(world, "third_party"), format="json")
    members = world.case.integrated_case.members.filter(participant=world.utility)
    assert members.filter(role="third_party_payee").count() == 1


def test_unknown_component_and_foreign_liability_are_400_CD_3_CD_7(world, api):
    """CD-3 / CD-7: ids that exist but do not belong are refused with the field."""
    foreign = factories.LiabilityFactory()
    response = api.post(URL, body(world, "applied", liability=foreign.pk), format="json")
    assert_400(response, "liability")
    component = factories.CaseComponentFactory()
    data = body(world, amount=None, percentage="5.00", nominee=None, component=component.pk)
    assert_400(api.post(URL, data, format="json"), "component")


def test_patch_status_is_400_pointing_to_the_actions_CD_10_CD_11_CD_13(world, api):
    """CD-10 / CD-11 / CD-13: the status changes only through activate/deactivate/cancel;
    a PATCH naming another status is a 400 on "status" (not a silent 200), nothing
    changes; naming the current status is harmless."""
    deduction = create(world)
    response = api.patch(f"{URL}{deduction.pk}/", {"status": "cancelled"}, format="json")
    assert response.status_code == 400, response.content
    message = response.json()["status"][0]
    assert "activate/deactivate/cancel" in message and "Status" in message
    response = api.patch(
        f"{URL}{deduction.pk}/", {"status": "active", "amount": "45.00"}, format="json"
    )
    assert response.status_code == 400 and "status" in response.json()
    deduction.refresh_from_db()
    assert deduction.status == DeductionStatus.INACTIVE and str(deduction.amount) == "40.00"
    assert not WorkflowEvent.objects.filter(event_type="deduction_modified").exists()
    response = api.patch(f"{URL}{deduction.pk}/", {"status": "inactive"}, format="json")
    assert response.status_code == 200


def test_third_party_account_number_checked_like_bank_account_CD_4(world, api):
    """CD-4: the third party's account number is checked as a participant's bank account
    (IBAN check digits, or digits only): invalid is a 400 on third_party_account_number on
    POST and PATCH; spaces are removed and letters upper-cased as for bank accounts."""
    response = api.post(
        URL, body(world, "third_party", third_party_account_number="not an iban !!"), format="json"
    )
    assert_400(response, "third_party_account_number")
    assert "Die IBAN ist ungültig" in response.json()["third_party_account_number"][0]
    response = api.post(
        URL,
        body(world, "third_party", third_party_account_number="de89 3704 0044 0532 0130 00"),
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["third_party_account_number"] == "DE89370400440532013000"
    pk = response.json()["id"]
    for bad in ("DE89370400440532013001", "12AB34"):
        response = api.patch(f"{URL}{pk}/", {"third_party_account_number": bad}, format="json")
        assert response.status_code == 400 and "third_party_account_number" in response.json()
    assert Deduction.objects.get(pk=pk).third_party_account_number == "DE89370400440532013000"
    response = api.patch(f"{URL}{pk}/", {"third_party_account_number": "1234567890"}, format="json")
    assert response.status_code == 200, response.content
