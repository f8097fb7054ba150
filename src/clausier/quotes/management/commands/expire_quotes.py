from django.core.management.base import BaseCommand, CommandError

from clausier.kernel.clock import parse_aware
from clausier.quotes.tasks import expire_quotes


class Command(BaseCommand):
    help = (
        "Expire every sent quote whose validity day is over (idempotent: run it as often as "
        "you like; `clausier scheduler` queues it every 15 minutes). --enqueue hands the job to "
        "the task worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="an aware ISO 8601 datetime, for catch-up runs")
        parser.add_argument("--enqueue", action="store_true", help="queue it for db_worker")

    def handle(self, *args, now=None, enqueue=False, **options):
        if now:
            try:
                parse_aware(now)
            except ValueError as exc:
                raise CommandError(f"--now={now!r}: {exc}") from None
        if enqueue:
            result = expire_quotes.enqueue(now=now)
            self.stdout.write(f"queued: {result.id}")
            return
        counts = expire_quotes.call(now=now)
        self.stdout.write(
            f"{counts['checked']} sent quote(s) checked, {counts['expired']} expired, "
            f"{counts['skipped']} left alone."
        )
