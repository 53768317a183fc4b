"""Third-party payments (TP-2..TP-4): the third party's financial view, cancel with a
reason from the code table, reissue exactly once as in the original transaction."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from config.exceptions import IllegalTransition, ValidationFailed
from payments.models import Payment, PaymentStatus
from payments.third_party import (
    PaymentCancelReason,
    third_party_payment_cancel,
    third_party_payment_reissue,
)
from tests import factories

pytestmark = pytest.mark.django_db

COPIED = (
    "case_id",
    "nominee_id",
    "payee_id",
    "kind",
    "deduction_id",
    "account_number",
    "reference",
    "gross",
    "tax",
    "net",
    "period_start",
    "period_end",
)


@pytest.fixture
def payment(db):
    return factories.ThirdPartyPaymentFactory()


def test_cancel_and_reissue_over_api_TP_3_TP_4(api, caseworker, payment):
    """TP-3, TP-4: cancel with "issued_in_error", then reissue: exactly one new payment with
    the same payee, account, reference, amount and period, linked to the original; the
    original is "reissued"; all three states stay visible in the payments list."""
    cancelled = api.post(
        f"/api/v1/payments/{payment.pk}/cancel/", {"reason": "issued_in_error"}, format="json"
    )
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"] == "cancelled"
    stored = Payment.objects.get(pk=payment.pk)
    assert stored.cancel_reason == "issued_in_error"
    assert stored.cancelled_by == caseworker and stored.cancelled_at is not None
    assert Payment.objects.count() == 1  # cancelling creates nothing

    reissued = api.post(f"/api/v1/payments/{payment.pk}/reissue/")
    assert reissued.status_code == 201, reissued.content
    body = reissued.json()
    assert body["reissue_of"] == payment.pk
    assert body["status"] == "issued"
    assert body["net"] == "30.00"
    assert Payment.objects.count() == 2
    new = Payment.objects.get(reissue_of=payment)
    original = Payment.objects.get(pk=payment.pk)
    for name in COPIED:
        assert getattr(new, name) == getattr(original, name), name
    assert original.status == PaymentStatus.REISSUED
    assert new.pk != original.pk and new.payment_run_id is None

    listed = api.get(f"/api/v1/payments/?payee={payment.payee_id}").json()
    assert {(r["id"], r["status"]) for r in listed["results"]} == {
        (original.pk, "reissued"),
        (new.pk, "issued"),
    }


def test_second_reissue_and_uncancelled_reissue_are_409_TP_4(api, payment):
    """TP-4: reissuing an uncancelled payment, or reissuing twice, is a 409 with the reason
    and creates nothing; a payment is cancelled once."""
    refused = api.post(f"/api/v1/payments/{payment.pk}/reissue/")
    assert refused.status_code == 409
    assert refused.json() == {"detail": "Nur abgebrochene Zahlungen können neu erstellt werden."}
    assert Payment.objects.count() == 1

    api.post(f"/api/v1/payments/{payment.pk}/cancel/", {"reason": "duplicate"}, format="json")
    again = api.post(
        f"/api/v1/payments/{payment.pk}/cancel/", {"reason": "duplicate"}, format="json"
    )
    assert again.status_code == 409
    assert again.json() == {"detail": "Die Zahlung ist bereits abgebrochen."}

    assert api.post(f"/api/v1/payments/{payment.pk}/reissue/").status_code == 201
    twice = api.post(f"/api/v1/payments/{payment.pk}/reissue/")
    assert twice.status_code == 409
    assert twice.json() == {"detail": "Die Zahlung wurde bereits neu erstellt."}
    assert Payment.objects.count() == 2
    cancel_reissued = api.post(
        f"/api/v1/payments/{payment.pk}/cancel/", {"reason": "other"}, format="json"
    )
    assert cancel_reissued.status_code == 409


def test_cancel_needs_a_reason_from_the_code_table_TP_3(api, payment):
    """TP-3: a missing or unknown reason is a 400 naming the field; nothing changes."""
    for body in ({}, {"reason": "weil"}):
        response = api.post(f"/api/v1/payments/{payment.pk}/cancel/", body, format="json")
        assert response.status_code == 400
        assert "reason" in response.json()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.ISSUED
    assert str(PaymentCancelReason.ISSUED_IN_ERROR.label) == "Irrtümlich ausgegeben"


def test_benefit_payments_are_not_cancelled_here_TP_3(caseworker):
    """TP-3: only third-party payments are cancelled by this service."""
    deduction = factories.ThirdPartyDeductionFactory()
    benefit = factories.BenefitPaymentFactory(
        case=deduction.case,
        period_start=deduction.start_date,
        period_end=deduction.start_date,
        effective_date=deduction.start_date,
        net=Decimal("70.00"),
    )
    with pytest.raises(IllegalTransition):
        third_party_payment_cancel(payment=benefit, reason="duplicate", user=caseworker)
    with pytest.raises(ValidationFailed):
        third_party_payment_cancel(payment=benefit, reason="", user=caseworker)
    assert Payment.objects.get(pk=benefit.pk).status == PaymentStatus.ISSUED


def test_database_refuses_a_second_reissue_TP_4(caseworker, payment):
    """TP-4: the one-to-one link makes a second reissue impossible even past the service."""
    third_party_payment_cancel(payment=payment, reason="wrong_payee", user=caseworker)
    reissue = third_party_payment_reissue(payment=payment, user=caseworker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            **{name: getattr(reissue, name) for name in COPIED},
            effective_date=reissue.effective_date,
            reissue_of=payment,
        )


def test_payment_actions_need_casework_role_RO_1(admin_api, anon_api, payment):
    """RO-1: administrators read payments but do not cancel them; anonymous → 401."""
    assert (
        admin_api.post(
            f"/api/v1/payments/{payment.pk}/cancel/", {"reason": "duplicate"}, format="json"
        ).status_code
        == 403
    )
    assert anon_api.post(f"/api/v1/payments/{payment.pk}/reissue/").status_code == 401
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.ISSUED


def test_third_party_financial_view_TP_2_TP_3_TP_4(client, caseworker, administrator, payment):
    """TP-2, TP-3, TP-4: /participants/<id>/payments/ lists the payments the third party
    received; a caseworker cancels with a reason and reissues there; the chain original →
    cancelled → reissue stays visible. Administrators see the page without the actions."""
    other_payee = factories.ThirdPartyPaymentFactory()
    url = f"/participants/{payment.payee_id}/payments/"
    client.force_login(caseworker)
    page = client.get(url).content.decode()
    assert f'data-testid="tp-row-{payment.pk}"' in page
    assert f'data-testid="tp-row-{other_payee.pk}"' not in page
    assert payment.reference in page and payment.account_number in page
    assert "Irrtümlich ausgegeben" in page  # the reason code table

    response = client.post(f"{url}{payment.pk}/cancel/", {"reason": "issued_in_error"}, follow=True)
    assert "wurde abgebrochen" in response.content.decode()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.CANCELLED
    response = client.post(f"{url}{payment.pk}/reissue/", follow=True)
    page = response.content.decode()
    new = Payment.objects.get(reissue_of=payment)
    assert f"als Nr. {new.pk} neu erstellt" in page
    assert f"Neu erstellt aus Nr. {payment.pk}" in page
    assert f"Neu erstellt als Nr. {new.pk}" in page
    assert "Grund: Irrtümlich ausgegeben" in page

    again = client.post(f"{url}{payment.pk}/reissue/", follow=True)
    assert "bereits neu erstellt" in again.content.decode()
    assert Payment.objects.count() == 3

    client.force_login(administrator)
    admin_page = client.get(url).content.decode()
    assert f'data-testid="tp-row-{new.pk}"' in admin_page
    assert "Zahlung abbrechen" not in admin_page
    assert client.post(f"{url}{new.pk}/cancel/", {"reason": "duplicate"}).status_code == 403


def test_payment_run_payment_cancelled_and_reissued_TP_2_TP_3_TP_4(api):
    """TP-2, TP-3, TP-4 (acceptance 3): a third-party payment issued by a real payment run
    is listed for the third party, cancelled and reissued: exactly one new payment with the
    same payee, account, reference, amount and period; a second reissue is a 409."""
    from datetime import date

    from payments.services.runs import payment_run_process_inline, payment_run_start
    from tests.payments.builders import add_deduction, build_case

    setup = build_case()
    utility = factories.UtilityFactory(name="Wasserwerk")
    add_deduction(
        setup,
        name="Wasser",
        category="third_party",
        amount="10",
        nominee="linda",
        third_party=utility,
    )
    run, _created = payment_run_start(run_date=date(2026, 1, 12), enqueue=False)
    payment_run_process_inline(run=run)
    original = Payment.objects.get(kind="third_party")

    listed = api.get(f"/api/v1/payments/?payee={utility.pk}&kind=third_party").json()
    assert [r["id"] for r in listed["results"]] == [original.pk]
    assert (
        api.post(
            f"/api/v1/payments/{original.pk}/cancel/", {"reason": "issued_in_error"}, format="json"
        ).status_code
        == 200
    )
    assert api.post(f"/api/v1/payments/{original.pk}/reissue/").status_code == 201
    second = api.post(f"/api/v1/payments/{original.pk}/reissue/")
    assert second.status_code == 409
    assert second.json()["detail"] == "Die Zahlung wurde bereits neu erstellt."

    payments = Payment.objects.filter(kind="third_party")
    assert payments.count() == 2
    new = payments.get(reissue_of=original)
    original = Payment.objects.get(pk=original.pk)
    assert original.status == PaymentStatus.REISSUED
    for name in ("payee_id", "account_number", "reference", "net", "period_start", "period_end"):
        assert getattr(new, name) == getattr(original, name), name
    assert (new.account_number, new.reference, new.net) == (
        "DE02100100109307118603",
        "REF-4711",
        Decimal("10.00"),
    )


def test_payment_detail_shows_reason_label_and_the_reissue_chain_TP_3_TP_4(
    client, caseworker, payment
):
    """TP-3, TP-4: /payments/<id>/ names the cancel reason by its German label (not the
    code) and links a cancelled payment to its reissue and the reissue to its original."""
    third_party_payment_cancel(payment=payment, reason="issued_in_error", user=caseworker)
    new = third_party_payment_reissue(payment=payment, user=caseworker)
    client.force_login(caseworker)
    original_page = client.get(f"/payments/{payment.pk}/").content.decode()
    assert "Irrtümlich ausgegeben" in original_page
    assert "issued_in_error" not in original_page
    assert f'href="/payments/{new.pk}/"' in original_page and "Neu erstellt als" in original_page
    reissue_page = client.get(f"/payments/{new.pk}/").content.decode()
    assert f'href="/payments/{payment.pk}/"' in reissue_page
    assert "Neu erstellt aus" in reissue_page


def test_cancel_without_reason_lists_the_german_labels_TP_3(client, caseworker, payment):
    """TP-3: cancelling without a reason (browser check bypassed) names the reasons by
    their German labels, not by their codes."""
    with pytest.raises(ValidationFailed) as excinfo:
        third_party_payment_cancel(payment=payment, reason="", user=caseworker)
    message = str(excinfo.value.errors["reason"][0])
    assert "Irrtümlich ausgegeben, Falscher Zahlungsempfänger" in message
    assert "issued_in_error" not in message
    client.force_login(caseworker)
    url = f"/participants/{payment.payee_id}/payments/{payment.pk}/cancel/"
    page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "Irrtümlich ausgegeben, Falscher Zahlungsempfänger" in page
    assert "issued_in_error, wrong_payee" not in page
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.ISSUED
