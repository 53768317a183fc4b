"""Two administrators saving at once (DT-6, DT-7, DT-11; issue 4 acceptance 4): on
PostgreSQL each thread has its own connection and transaction; the advisory lock of the
sequence's scope serialises them, so the priorities end dense and unique."""

import threading

import pytest
from django.db import connection

from products import services
from products.models import DeductionType, ProductDeductionType
from tests import factories

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (concurrent transactions)")


def _run_at_once(jobs):
    """Run each job in its own thread (own DB connection), released together. Returns
    the exceptions raised."""
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=10)
            job()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a save hung (deadlock?)"
    return errors


def _dense(values):
    return sorted(values) == list(range(1, len(values) + 1))


def test_concurrent_type_saves_leave_dense_unique_priorities_DT_6_DT_7():
    """DT-6, DT-7: eight saves at once (new at priority 1, new automatic, moves) all
    succeed and leave priorities 1..n, each once."""
    a = services.deduction_type_create(name="A", category="unapplied")
    b = services.deduction_type_create(name="B", category="unapplied")
    jobs = [
        (lambda i=i: services.deduction_type_create(name=f"F{i}", category="unapplied", priority=1))
        for i in range(3)
    ]
    jobs += [
        (lambda i=i: services.deduction_type_create(name=f"N{i}", category="unapplied"))
        for i in range(3)
    ]
    jobs.append(lambda: services.deduction_type_update(deduction_type=a, data={"priority": 5}))
    jobs.append(lambda: services.deduction_type_update(deduction_type=b, data={"priority": 1}))
    errors = _run_at_once(jobs)
    assert errors == []
    priorities = list(DeductionType.objects.values_list("priority", flat=True))
    assert len(priorities) == 8
    assert _dense(priorities)


def _link_round(r: int) -> None:
    product, other = factories.ProductFactory(), factories.ProductFactory()
    types = [
        services.deduction_type_create(name=f"R{r}T{i}", category="unapplied") for i in range(6)
    ]
    first = services.product_link_add(product=product, deduction_type=types[0])
    services.product_link_add(product=other, deduction_type=types[0])
    jobs = [
        lambda: services.product_link_add(product=product, deduction_type=types[1], priority=1),
        lambda: services.product_link_add(product=product, deduction_type=types[2], priority=1),
        lambda: services.product_link_add(product=product, deduction_type=types[3]),
        lambda: services.product_links_add(
            product=product, deduction_types=[types[4], types[5]], priority=2
        ),
        lambda: services.product_link_move(link=first, priority=None),
        lambda: services.deduction_type_create_for_product(
            product=product, name=f"R{r}Neu", category="unapplied", priority=1, link_priority=1
        ),
        lambda: services.deduction_type_update(deduction_type=types[5], data={"priority": 1}),
        lambda: services.deduction_type_update(deduction_type=types[4], data={"priority": None}),
    ]
    errors = _run_at_once(jobs)
    assert errors == []
    links = list(
        ProductDeductionType.objects.filter(product=product).values_list("priority", flat=True)
    )
    assert len(links) == 7
    assert _dense(links)
    assert list(
        ProductDeductionType.objects.filter(product=other).values_list("priority", flat=True)
    ) == [1]
    assert _dense(list(DeductionType.objects.values_list("priority", flat=True)))


def test_concurrent_link_saves_leave_dense_unique_link_priorities_DT_11():
    """DT-11: links added at priority 1 and automatically, several at once, a move, a
    type created from the product and type resequencings, all at once on one product,
    end dense and unique, without deadlock (this test found one: see the lock order in
    products.services); a second product's links are untouched. Five rounds, since
    interleavings vary."""
    for r in range(5):
        _link_round(r)
