from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from clausier.quotes.tasks import expire_quotes


class Command(BaseCommand):
    help = (
        "Expire every sent quote whose validity day is over (idempotent: run it as often as "
        "you like, e.g. hourly from cron). --enqueue hands the job to the task worker instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", help="an aware ISO 8601 datetime, for catch-up runs")
        parser.add_argument("--enqueue", action="store_true", help="queue it for db_worker")

    def handle(self, *args, now=None, enqueue=False, **options):
        if now:
            try:
                parsed = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now={now!r}: expected an ISO 8601 datetime") from None
            if parsed.tzinfo is None:
                raise CommandError(f"--now={now!r}: give the offset, e.g. 2026-06-01T00:00+02:00")
        if enqueue:
            result = expire_quotes.enqueue(now=now)
            self.stdout.write(f"queued: {result.id}")
            return
        counts = expire_quotes.call(now=now)
        self.stdout.write(
            f"{counts['checked']} sent quote(s) checked, {counts['expired']} expired, "
            f"{counts['skipped']} left alone."
        )
