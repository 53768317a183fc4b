"""``manage.py payment_run --date YYYY-MM-DD``: one payment run in the foreground (PAY-13),
chunk after chunk in this process, with a progress bar on the console."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from config.dates import format_date
from config.exceptions import ValidationFailed
from payments.models import PaymentRunStatus, PaymentRunTrigger
from payments.services import payment_run_process_inline, payment_run_start


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date: kein gültiges Datum (JJJJ-MM-TT): {value!r}") from exc


class Command(BaseCommand):
    help = "Führt den Zahlungslauf für einen Stichtag im Vordergrund aus."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, default=None, help="Stichtag (Standard: heute)")

    def handle(self, *args, **options):
        run_date = options["date"] or timezone.localdate()
        try:
            run, created = payment_run_start(
                run_date=run_date, trigger=PaymentRunTrigger.COMMAND, enqueue=False
            )
        except ValidationFailed as exc:
            raise CommandError(f"--date: {exc.message}") from exc
        if not created:
            self.stdout.write(
                f"Für {format_date(run_date)} gibt es bereits einen Zahlungslauf "
                f"({run.get_status_display()}); offene Pakete werden verarbeitet."
            )
        started = timezone.now()
        self._bar(run)
        run = payment_run_process_inline(run=run, progress=self._bar)
        self._bar(run)
        self.stdout.write("")
        seconds = max((timezone.now() - started).total_seconds(), 1e-6)
        summary = (
            f"Zahlungslauf {format_date(run_date)}: {run.get_status_display()} – "
            f"{run.done_cases}/{run.total_cases} Fälle, {run.payments_created} Zahlungen, "
            f"{run.done_cases / seconds:,.0f} Fälle/s"
        )
        if run.status == PaymentRunStatus.COMPLETED:
            self.stdout.write(self.style.SUCCESS(summary))
        else:
            self.stdout.write(self.style.ERROR(summary))
            if run.error:
                self.stdout.write(run.error)
            raise CommandError("Der Zahlungslauf ist nicht abgeschlossen.")

    def _bar(self, run, width: int = 40) -> None:
        total = run.total_cases or 1
        done = min(run.done_cases, total) if run.total_cases else 0
        filled = int(width * done / total) if run.total_cases else width
        percent = 100 * done // total if run.total_cases else 100
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {percent:3d}% "
            f"{run.done_cases}/{run.total_cases} Fälle, {run.payments_created} Zahlungen",
            ending="",
        )
        self.stdout.flush()
