"""Browser: a caseworker tries a change in the what-if, sees both plans and the payoff
dates, and applies it (SIM-4, LI-3)."""

from decimal import Decimal

import pytest

from config import roles
from deductions.models import Deduction
from tests import factories
from tests.payments.builders import add_deduction, build_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_changes_a_deduction_compares_and_applies_SIM_4(page, login):
    """SIM-4: 30 € instead of 20 €: both plans side by side, the payoff date before
    (20.04.2026) and after (16.03.2026); nothing is written until "Änderungen übernehmen"."""
    factories.UserFactory(username="clara", role=roles.CASEWORKER)
    setup = build_case(components=(("c1", "thomas", "100"),))
    liability = factories.LiabilityFactory(
        participant=setup.thomas, original_amount=Decimal("300.00")
    )
    overpayment = add_deduction(
        setup,
        name="Überzahlung",
        category="applied",
        amount="20",
        liability=liability,
        action="partial",
    )

    login("clara")
    page.goto(f"/cases/pdc/{setup.case.pk}/simulate/")
    page.get_by_role("link", name="Was wäre, wenn …").click()
    page.get_by_label("Simulieren bis").fill("2026-01-26")
    row = page.get_by_test_id(f"what-if-deduction-{overpayment.pk}")
    row.get_by_label("Fester Betrag").fill("30,00")
    page.get_by_role("button", name="Vergleichen").click()

    payoff = page.get_by_test_id("what-if-payoff")
    payoff.wait_for()
    assert (
        "getilgt am 20.04.2026 nach 15 Zahlungen"
        in payoff.get_by_test_id("payoff-before").inner_text()
    )
    assert (
        "getilgt am 16.03.2026 nach 10 Zahlungen"
        in payoff.get_by_test_id("payoff-after").inner_text()
    )
    assert "60,00 €" in page.get_by_test_id("totals-current").inner_text()
    assert "90,00 €" in page.get_by_test_id("totals-what-if").inner_text()
    assert page.get_by_test_id("plan-current").is_visible()
    assert page.get_by_test_id("plan-what-if").is_visible()
    assert Deduction.objects.get(pk=overpayment.pk).amount == Decimal("20.00")

    # The form keeps the change; apply it.
    page.get_by_role("button", name="Änderungen übernehmen").click()
    page.get_by_text("Die Änderungen wurden übernommen.").wait_for()
    assert Deduction.objects.get(pk=overpayment.pk).amount == Decimal("30.00")
    assert Deduction.history.filter(id=overpayment.pk).count() == 2
