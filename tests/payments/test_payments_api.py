"""The payments API, read-only (api.md; PAY-12, TP-2, RO-1)."""

from datetime import date

import pytest

from payments.services import payment_run_process_inline, payment_run_start
from tests import factories
from tests.payments.builders import add_deduction, build_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_case():
    setup = build_case(components=(("c1", "thomas", "100"), ("c2", "linda", "50")))
    add_deduction(setup, name="Strom", amount="20", nominee="thomas")
    add_deduction(setup, name="Gas", amount="40", nominee="thomas")
    utility = factories.UtilityFactory(name="Stadtwerke Süd")
    add_deduction(
        setup,
        name="Miete",
        category="third_party",
        amount="10",
        nominee="linda",
        third_party=utility,
    )
    run, _ = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    payment_run_process_inline(run=run)
    other = build_case(components=(("c1", "thomas", "75"),))
    run2, _ = payment_run_start(run_date=date(2026, 1, 13), enqueue=False)
    payment_run_process_inline(run=run2)
    return setup, utility, other


def test_payment_fields_of_api_md_PAY_12(api, paid_case):
    """PAY-12: a benefit payment shows gross, tax, net and each deduction line."""
    setup, _utility, _other = paid_case
    body = api.get(f"/api/v1/payments/?case={setup.case.pk}&kind=benefit").json()
    assert body["count"] == 2
    thomas = next(p for p in body["results"] if p["nominee"] == setup.thomas.pk)
    for field in (
        "id",
        "case",
        "nominee",
        "payee",
        "kind",
        "period_start",
        "period_end",
        "effective_date",
        "gross",
        "tax",
        "net",
        "deductions",
        "status",
        "reissue_of",
        "kind_display",
        "status_display",
    ):
        assert field in thomas
    assert thomas["payee"] == setup.thomas.pk
    assert (thomas["gross"], thomas["tax"], thomas["net"]) == ("100.00", "0.00", "80.00")
    assert thomas["kind_display"] == "Leistungszahlung"
    assert thomas["status"] == "issued" and thomas["status_display"] == "Ausgestellt"
    assert thomas["reissue_of"] is None
    assert [(d["name"], d["status"], d["amount"], d["reason"]) for d in thomas["deductions"]] == [
        ("Strom", "processed", "20.00", None),
        ("Gas", "skipped", "0.00", "insufficient_balance"),
    ]
    assert thomas["deductions"][1]["reason_display"].startswith("Der verbleibende")
    assert [c["net"] for c in thomas["components"]] == ["80.00"]
    detail = api.get(f"/api/v1/payments/{thomas['id']}/").json()
    assert detail == thomas


def test_filters_case_payee_kind_TP_2(api, paid_case):
    """TP-2: third-party payments are found by payee; ?case= and ?kind= filter too."""
    setup, utility, other = paid_case
    third = api.get(f"/api/v1/payments/?payee={utility.pk}").json()
    assert third["count"] == 1
    payment = third["results"][0]
    assert payment["kind"] == "third_party"
    assert payment["nominee"] == setup.linda.pk and payment["payee"] == utility.pk
    assert payment["deductions"] == []
    assert payment["reference"] == "REF-4711"
    assert api.get(f"/api/v1/payments/?case={other.case.pk}").json()["count"] == 1
    assert api.get("/api/v1/payments/?kind=third_party").json()["count"] == 1
    assert api.get("/api/v1/payments/").json()["count"] == 4
    assert api.get("/api/v1/payments/?case=abc").status_code == 400


def test_payments_are_read_only_and_role_checked_RO_1(api, admin_api, anon_api, paid_case):
    """RO-1: caseworkers and administrators read; nobody writes; anonymous gets 401."""
    assert admin_api.get("/api/v1/payments/").status_code == 200
    assert anon_api.get("/api/v1/payments/").status_code == 401
    assert api.post("/api/v1/payments/", {}, format="json").status_code == 405
    payment_id = api.get("/api/v1/payments/").json()["results"][0]["id"]
    assert api.patch(f"/api/v1/payments/{payment_id}/", {"net": "1.00"}).status_code == 405
    assert api.delete(f"/api/v1/payments/{payment_id}/").status_code == 405
