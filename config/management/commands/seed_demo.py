"""Idempotent demo data: users for each role, then each app's demo records.

Each domain app may provide `<app>/demo.py` with `seed(*, stdout) -> None`; they run in
dependency order and must be idempotent (get_or_create by natural keys)."""

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
DEMO_APPS = ("participants", "products", "cases", "deductions", "payments", "workflow")


class Command(BaseCommand):
    help = "Creates demo users and demo data (safe to run again)."

    def handle(self, *args, **options):
        roles.sync_role_permissions()
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
        for app_label in DEMO_APPS:
            try:
                module = import_module(f"{app_label}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app_label}.demo":
                    raise
                continue
            with transaction.atomic():
                module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo-Daten sind angelegt. Demo-Benutzer:"))
        for username, password, _name, role, _staff in DEMO_USERS:
            self.stdout.write(f"  {username:<12} Passwort: {password:<22} Rolle: {role}")
        self.stdout.write("Anmeldung: http://127.0.0.1:8000/accounts/login/")
