"""Hypothesis property: for random small cases, the simulation equals the real payment
run (SIM-1), and what the run writes matches its own lines (PAY-10..12, LI-1, LI-2)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Liability
from payments.models import AgencyAccountEntry, DeductionProcessing, Payment
from payments.services import payment_run_process_inline, payment_run_start, simulation_run
from tests import factories
from tests.payments.builders import START, add_deduction, build_case

pytestmark = pytest.mark.django_db

money = st.sampled_from(["0.50", "5.00", "10.00", "19.99", "30.00", "45.55", "100.00"])
percent = st.sampled_from(["1.00", "5.00", "10.00", "12.50", "33.33", "100.00"])


@st.composite
def deduction_specs(draw, component_keys):
    category = draw(st.sampled_from(["unapplied", "applied", "third_party"]))
    fixed = draw(st.booleans())
    spec = {
        "category": category,
        "action": draw(st.sampled_from(["skip", "partial"])),
        "start": START + timedelta(days=7 * draw(st.integers(0, 2))),
    }
    if fixed:
        spec["amount"] = draw(money)
        spec["nominee"] = draw(st.sampled_from(["thomas", "linda"]))
    else:
        spec["percentage"] = draw(percent)
        choices = ["nominee", "component", "all"] + ([] if category == "third_party" else ["none"])
        target = draw(st.sampled_from(choices))
        if target == "nominee":
            spec["nominee"] = draw(st.sampled_from(["thomas", "linda"]))
        elif target == "component":
            spec["component"] = draw(st.sampled_from(component_keys))
        elif target == "all":
            spec["all_nominees"] = True
        if draw(st.booleans()):
            spec["type_min"] = draw(st.sampled_from(["1.00", "2.50"]))
        if draw(st.booleans()):
            spec["type_max"] = draw(st.sampled_from(["3.00", "20.00"]))
    return spec


@st.composite
def cases(draw):
    n_components = draw(st.integers(1, 3))
    components = tuple(
        (
            f"c{i}",
            draw(st.sampled_from(["thomas", "linda"])),
            draw(st.sampled_from(["10.00", "55.55", "100.00", "333.33"])),
        )
        for i in range(n_components)
    )
    keys = [key for key, _nominee, _amount in components]
    return {
        "product": {
            "rate": draw(st.sampled_from(["0", "10", "30", "100"])),
            "min_deduction": draw(st.sampled_from(["0", "1", "5"])),
            "min_payment": draw(st.sampled_from(["0", "20", "60"])),
            "tax": draw(st.sampled_from([None, "10"])),
            "frequency": draw(st.sampled_from(["weekly", "monthly"])),
            "override": draw(st.booleans()),
        },
        "components": components,
        "taxable": tuple(k for k in keys if draw(st.booleans())),
        "not_deductible": tuple(k for k in keys if draw(st.booleans())),
        "deductions": draw(st.lists(deduction_specs(keys), max_size=4)),
        "liability": draw(st.sampled_from(["5.00", "50.00", "500.00"])),
        "periods": draw(st.integers(1, 3)),
    }


def _build(spec):
    product = spec["product"]
    setup = build_case(
        rate=product["rate"],
        min_deduction=product["min_deduction"],
        min_payment=product["min_payment"],
        tax=product["tax"],
        frequency=product["frequency"],
        override=product["override"],
        components=spec["components"],
        taxable=spec["taxable"],
        not_deductible=spec["not_deductible"],
    )
    liability = factories.LiabilityFactory(
        participant=setup.thomas, original_amount=Decimal(spec["liability"])
    )
    utility = factories.UtilityFactory()
    for deduction in spec["deductions"]:
        extra = dict(deduction)
        if extra["category"] == "applied":
            extra["liability"] = liability
        if extra["category"] == "third_party":
            extra["third_party"] = utility
        add_deduction(setup, **extra)
    return setup, liability


def _up_to(frequency, periods):
    if frequency == "weekly":
        return START + timedelta(days=7 * periods)
    return date(2026, 1 + periods, 5)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=cases())
def test_simulation_equals_the_real_run_SIM_1_PAY_10_PAY_11_PAY_12(caseworker, spec):
    """SIM-1: the simulation of a case equals what the payment run then records, payment
    by payment and line by line; the run's ledger rows match its lines (PAY-10: one
    history row per line; PAY-11: agency account and third-party payments per processed
    line, the liability reduced by the applied lines and never below 0; PAY-12: the nets
    per component add up to the payment's net)."""
    with transaction.atomic():
        setup, liability = _build(spec)
        up_to = _up_to(spec["product"]["frequency"], spec["periods"])
        simulated = simulation_run(case_id=setup.case.pk, up_to=up_to, user=caseworker)
        run, _ = payment_run_start(run_date=up_to, enqueue=False)
        run = payment_run_process_inline(run=run)
        assert run.status == "completed"

        benefit = list(Payment.objects.filter(kind="benefit").order_by("period_start", "id"))
        assert [p.breakdown() for p in benefit] == simulated["payments"]
        lines = [line for p in simulated["payments"] for line in p["deductions"]]
        assert DeductionProcessing.objects.count() == len(lines)
        processed = [line for line in lines if line["status"] == "processed"]
        assert AgencyAccountEntry.objects.count() == sum(
            1 for line in processed if line["category"] == "unapplied"
        )
        assert Payment.objects.filter(kind="third_party").count() == sum(
            1 for line in processed if line["category"] == "third_party"
        )
        applied = sum(
            (Decimal(line["amount"]) for line in processed if line["category"] == "applied"),
            Decimal("0.00"),
        )
        liability = Liability.objects.get(pk=liability.pk)
        assert liability.outstanding_amount == liability.original_amount - applied
        assert liability.outstanding_amount >= 0
        assert (liability.status == "settled") == (liability.outstanding_amount == 0)
        for payment in benefit:
            parts = sum((Decimal(c["net"]) for c in payment.details["components"]), Decimal("0.00"))
            assert parts == payment.net
            assert all(Decimal(c["net"]) >= 0 for c in payment.details["components"])
        # A second run for a later date adds nothing for periods already paid.
        again = simulation_run(case_id=setup.case.pk, up_to=up_to, user=caseworker)
        assert again["payments"] == []
        transaction.set_rollback(True)
