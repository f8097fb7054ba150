from django.core.management.base import BaseCommand, CommandError

from clausier.invoicing.tasks import deliver_due_invoices
from clausier.kernel.clock import parse_aware


class Command(BaseCommand):
    help = (
        "Catch up on the outputs of issued invoices and credit notes: print every PDF not "
        "stored yet, and send every queued email whose time has come (first sending or "
        "retry). Idempotent; `clausier scheduler` queues it every 5 minutes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="act as of this ISO 8601 aware datetime (catch-up runs, tests)"
        )

    def handle(self, *args, now=None, **options):
        if now is not None:
            try:
                parse_aware(now)
            except ValueError as exc:
                raise CommandError(f"--now={now!r}: {exc}") from None
        counts = deliver_due_invoices.call(now=now)
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
        if counts["errors"]:
            raise CommandError(f"{counts['errors']} document(s) could not be processed")
