"""``clausier import-events FILE --seller SLUG``: usage events backfilled from a CSV (with a
header) or JSON Lines file, in batches, with a progress bar."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clausier.kernel.progress import ProgressBar
from clausier.metering import limits, reading
from clausier.metering.services import ingest
from clausier.sellers.models import Seller

BATCH = 1_000


class Command(BaseCommand):
    help = (
        "Import usage events from a CSV file (a header naming id, subscription or client, "
        "meter, timestamp, value, and properties as a JSON object or properties.<name> "
        "columns) or a JSON Lines file (one event object a line), in batches: each event "
        "stored once per (seller, id), so a rerun counts nothing twice. Every refused line "
        "is listed with its number and reason, and the command then fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the events file (.csv or .jsonl)")
        parser.add_argument("--seller", required=True, help="the seller (its slug)")
        parser.add_argument("--format", choices=[reading.CSV, reading.JSONL], default=None)
        parser.add_argument("--batch", type=int, default=BATCH, help="events a transaction")
        parser.add_argument("--progress", action="store_true", help="show the progress bar")

    def handle(self, *args, file, seller, format=None, batch=BATCH, progress=False, **options):
        found = Seller.objects.filter(slug=seller).first()
        if found is None:
            raise CommandError(f"--seller={seller!r}: no such seller")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        size = min(max(batch, 1), limits.MAX_BATCH_EVENTS)
        fmt = format or reading.file_format(path)
        bar = None
        if progress or self.stderr.isatty():
            bar = ProgressBar(self.stderr, reading.count_lines(path))
        accepted = duplicates = 0
        refused: list[tuple[int, str]] = []
        for chunk in reading.batches(reading.read_events(path, fmt), size):
            refused += [(line, reason) for line, _, reason in chunk if reason]
            readable = [(line, event) for line, event, reason in chunk if not reason]
            result = ingest(seller=found, events=[e for _, e in readable], by=None)
            accepted += result.accepted
            duplicates += result.duplicates
            refused += [(readable[r.index][0], r.reason) for r in result.rejected]
            if bar is not None:
                bar.set(chunk[-1][0])
        if bar is not None:
            bar.set(bar.total)
            bar.finish()
        self.stdout.write(
            f"{accepted} event(s) stored, {duplicates} already stored, {len(refused)} refused"
        )
        for line, reason in sorted(refused):
            self.stdout.write(f"line {line}: {reason}")
        if refused:
            raise CommandError(f"{len(refused)} line(s) refused, listed above; the others stored")
