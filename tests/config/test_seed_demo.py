"""`manage.py seed_demo` for a newcomer: quiet, with the demo users and a "try this" path
pointing at the demo's own case (RO-1 demo users)."""

import io
import logging

import pytest
from django.core.management import call_command

from cases.models import IntegratedCase, ProductDeliveryCase

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit: events dispatch as in use


def test_seed_demo_prints_users_and_try_this_path_without_celery_noise_RO_1(caplog, capfd):
    """The output names the three demo users with passwords and roles, and numbered steps
    with links to the demo case, its deductions, payments, wizard, simulation, tasks, an
    application and admin, on the port given; Celery's eager task lines and kombu's
    broker warning are not logged while seeding (its events dispatch tasks)."""
    caplog.set_level(logging.INFO)
    out = io.StringIO()
    call_command("seed_demo", "--base-url", "http://127.0.0.1:8100/", stdout=out)
    text = out.getvalue()
    case = ProductDeliveryCase.objects.get(primary_client__name="Thomas Schmidt")
    ic = IntegratedCase.objects.get(pk=case.integrated_case_id)
    for username, password in (
        ("admin", "admin-demo-2026"),
        ("caseworker", "caseworker-demo-2026"),
        ("supervisor", "supervisor-demo-2026"),
    ):
        assert f"{username:<12} Passwort: {password}" in text
    assert "Anmeldung: http://127.0.0.1:8100/accounts/login/" in text
    assert "So probieren Sie es aus:" in text
    for link in (
        f"http://127.0.0.1:8100/cases/{ic.pk}/",
        f"http://127.0.0.1:8100/cases/pdc/{case.pk}/deductions/",
        f"http://127.0.0.1:8100/cases/pdc/{case.pk}/payments/",
        f"http://127.0.0.1:8100/cases/pdc/{case.pk}/deductions/new/",
        f"http://127.0.0.1:8100/cases/pdc/{case.pk}/simulate/",
        "http://127.0.0.1:8100/tasks/",
        "http://127.0.0.1:8100/cases/applications/new/",
        "http://127.0.0.1:8100/admin/",
    ):
        assert link in text
    assert ic.reference in text and case.reference in text and "Kinderzuschlag" in text
    noise = [r for r in caplog.records if r.name.startswith(("celery", "kombu"))]
    assert noise == []
    captured = capfd.readouterr()
    assert "succeeded in" not in captured.out + captured.err
    assert "No hostname was supplied" not in captured.out + captured.err
    # Each app's lines only with -v 2.
    assert "angelegt" not in text
    verbose = io.StringIO()
    call_command("seed_demo", verbosity=2, stdout=verbose)
    assert "Workflow: Ereigniszuordnungen angelegt." in verbose.getvalue()


def test_seed_demo_restores_the_celery_log_level_RO_1():
    """Silencing is for the seeding only: Celery's loggers keep their level afterwards."""
    before = logging.getLogger("celery").level, logging.getLogger("kombu").level
    call_command("seed_demo", stdout=io.StringIO())
    assert (logging.getLogger("celery").level, logging.getLogger("kombu").level) == before
