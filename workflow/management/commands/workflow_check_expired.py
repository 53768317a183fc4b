"""Raise "deduction expired" now for deductions past their end date (what the daily beat
task does at 02:00); each deduction is reported once."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from workflow import services


class Command(BaseCommand):
    help = "Meldet abgelaufene Abzüge (Ereignis „Abzug abgelaufen“, je Abzug einmal)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)

    def handle(self, *args, today, **options):
        count = services.deductions_expired_raise(today=today or timezone.localdate())
        self.stdout.write(f"{count} abgelaufene(r) Abzug/Abzüge gemeldet.")
