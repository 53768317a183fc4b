"""Idempotent demo data: users for each role, then each app's demo records.

Each domain app may provide `<app>/demo.py` with `seed(*, stdout) -> None`; they run in
dependency order and must be idempotent (get_or_create by natural keys).

The output is for a newcomer: the demo users and a short "try this" path. What each app
created is shown with `-v 2`; Celery's eager task lines and kombu's broker warning are
silenced while seeding (they say nothing about the demo)."""

import io
import logging
from contextlib import contextmanager
from importlib import import_module

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand
from django.db import transaction

from config import roles

DEMO_USERS = [
    # username, password, full name, role, staff
    ("admin", "admin-demo-2026", ("Anna", "Admin"), roles.ADMINISTRATOR, True),
    ("caseworker", "caseworker-demo-2026", ("Clara", "Fallbearbeiterin"), roles.CASEWORKER, False),
    ("supervisor", "supervisor-demo-2026", ("Stefan", "Supervisor"), roles.SUPERVISOR, False),
]
DEMO_APPS = ("workflow", "participants", "products", "cases", "deductions", "payments")
# Loggers that report eager Celery tasks and the (absent) broker while seeding.
QUIET_LOGGERS = ("celery", "kombu")


@contextmanager
def _quiet_loggers(names=QUIET_LOGGERS, level=logging.ERROR):
    """Raise the level of the named loggers for the block, then restore it."""
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, old in zip(loggers, previous, strict=True):
            logger.setLevel(old)


def demo_users_ensure() -> dict[str, User]:
    """The demo users with their roles, created once (a second seed keeps their passwords);
    by role, for the page benchmark that logs in as each of them."""
    roles.sync_role_permissions()
    users = {}
    with transaction.atomic():
        for username, password, (first, last), role, staff in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "is_staff": staff},
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(Group.objects.get(name=role))
            users[role] = user
    return users


class Command(BaseCommand):
    help = "Creates demo users and demo data (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default="http://127.0.0.1:8000",
            help="Where the server runs, for the printed links (make run passes its PORT).",
        )

    def handle(self, *args, **options):
        details = self.stdout if options["verbosity"] >= 2 else io.StringIO()
        with _quiet_loggers():
            self._seed(details)
        self._print_guide(options["base_url"].rstrip("/"))

    def _seed(self, details):
        demo_users_ensure()
        for app_label in DEMO_APPS:
            try:
                module = import_module(f"{app_label}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_label}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(stdout=details)

    def _print_guide(self, base: str) -> None:
        """The demo users and where to start, with links to the demo's own objects."""
        write = self.stdout.write
        write(self.style.SUCCESS("Demo-Daten sind bereit."))
        write(f"Anmeldung: {base}/accounts/login/")
        for username, password, _name, role, _staff in DEMO_USERS:
            write(f"  {username:<12} Passwort: {password:<22} Rolle: {ROLE_LABELS[role]}")
        steps = _guide_steps(base)
        if steps:
            write("")
            write("So probieren Sie es aus:")
            for number, step in enumerate(steps, start=1):
                write(f"  {number}. {step}")


ROLE_LABELS = {
    roles.ADMINISTRATOR: "Administrator",
    roles.CASEWORKER: "Fallbearbeiter",
    roles.SUPERVISOR: "Fall-Supervisor",
}


def _guide_steps(base: str) -> list[str]:
    """A short path through the demo: the case, its deductions and payments (with the
    skipped rent), the wizard, the simulation, the supervisor's task, an application and
    admin. Empty when the demo case is missing (an app's demo refused to seed)."""
    from django.apps import apps

    case_model = apps.get_model("cases", "ProductDeliveryCase")
    case = (
        case_model.objects.filter(product__name="Grundsicherung")
        .select_related("integrated_case", "primary_client")
        .order_by("id")
        .first()
    )
    if case is None:
        return []
    ic = case.integrated_case
    pdc = f"{base}/cases/pdc/{case.pk}/"
    return [
        f"Als „caseworker“ anmelden, „Fälle“ → {ic.reference} ({case.primary_client.name}) "
        f"öffnen: {base}/cases/{ic.pk}/",
        f"Dort den Produktbereitstellungsfall {case.reference} (Grundsicherung) öffnen: {pdc}",
        f"„Abzüge“: Strom, Überzahlung und Miete; die Miete (50,00 €) übersteigt die "
        f"30-%-Grenze und wird in jedem Zahlungslauf übersprungen: {pdc}deductions/",
        f"„Zahlungen“ zeigt den Zahlungslauf mit dem übersprungenen Abzug: {pdc}payments/",
        f"„Neuer Abzug“ führt durch den Assistenten: {pdc}deductions/new/",
        f"„Zahlungen simulieren“ rechnet die nächsten Zahlungen; eine gespeicherte "
        f"Simulation gibt es schon: {pdc}simulate/",
        f"Als „supervisor“: „Aufgaben“ zeigt die Aufgabe zur übersprungenen Miete: {base}/tasks/",
        f"„Antrag erfassen“ für das Leistungsprodukt „Kinderzuschlag“: "
        f"{base}/cases/applications/new/",
        f"Als „admin“: „Administration“ → Leistungsprodukte, Abzugstypen, Zahlungsläufe: "
        f"{base}/admin/",
    ]
