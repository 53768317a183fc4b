"""Send unhandled or failed workflow events to the dispatcher again (WF-1).

    manage.py workflow_redispatch 12 13        # these events
    manage.py workflow_redispatch --failed     # every event given up after its last retry
    manage.py workflow_redispatch --unhandled  # every unhandled event

Handled events are never touched: re-dispatching them changes nothing."""

from django.core.management.base import BaseCommand, CommandError

from workflow import services
from workflow.models import WorkflowEvent


class Command(BaseCommand):
    help = "Verarbeitet unverarbeitete oder fehlgeschlagene Workflowereignisse erneut."

    def add_arguments(self, parser):
        parser.add_argument("event_ids", nargs="*", type=int)
        parser.add_argument("--failed", action="store_true", help="endgültig fehlgeschlagene")
        parser.add_argument("--unhandled", action="store_true", help="alle unverarbeiteten")

    def handle(self, *args, event_ids, failed, unhandled, **options):
        if not (event_ids or failed or unhandled):
            raise CommandError("Ereignis-IDs, --failed oder --unhandled angeben.")
        ids = set(event_ids)
        pending = WorkflowEvent.objects.filter(handled_at__isnull=True)
        if failed:
            ids |= set(pending.filter(failed_at__isnull=False).values_list("pk", flat=True))
        if unhandled:
            ids |= set(pending.values_list("pk", flat=True))
        count = services.events_redispatch(event_ids=sorted(ids))
        self.stdout.write(f"{count} Ereignis(se) erneut zur Verarbeitung gegeben.")
