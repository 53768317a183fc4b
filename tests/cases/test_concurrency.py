"""PostgreSQL only: concurrent approvals (IC-2), concurrent registrations (PT-2 unique
references)."""

import threading
from datetime import date

import pytest
from django.db import connection

from cases import services
from cases.models import IntegratedCase, ProductDeliveryCase
from config.exceptions import IllegalTransition
from participants.models import Participant
from participants.services import participant_create
from tests import factories

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")


def _run_parallel(target, count):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker(i):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(target(i))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_parallel_approvals_create_one_case_IC_2():
    """IC-2: approving one application from several requests at once creates exactly one
    integrated case and one product delivery case; the others get a clear 409 error."""
    user = factories.UserFactory(username="cw-par", role="Caseworker")
    product = factories.ProductFactory(has_application_process=True)
    factories.IntegratedCaseTypeFactory()
    applicant = factories.PersonFactory()
    application = services.application_submit(
        product=product, requested_start_date=date(2026, 11, 2), applicant=applicant, user=user
    )
    results, errors = _run_parallel(
        lambda i: services.application_approve(application=application, user=user), 4
    )
    assert len(results) == 1
    assert len(errors) == 3 and all(isinstance(e, IllegalTransition) for e in errors)
    assert IntegratedCase.objects.count() == 1
    assert ProductDeliveryCase.objects.count() == 1


def test_parallel_registrations_get_unique_references_PT_2():
    """PT-2: references stay unique when registrations run at the same time."""
    results, errors = _run_parallel(
        lambda i: participant_create(type="utility", name=f"Werk {i}").reference, 6
    )
    assert not errors
    assert len(set(results)) == 6
    assert Participant.objects.count() == 6
