"""``clausier import-statement FILE --seller SLUG``: a bank statement imported from the
command line, with a progress bar."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clausier.kernel.progress import ProgressBar
from clausier.payments import statement_selectors
from clausier.payments.services import statements
from clausier.sellers.models import Seller


class Command(BaseCommand):
    help = (
        "Import a bank statement (CAMT.053, or CSV read with the column mapping saved for "
        "its bank): each line stored once (a line already imported is a duplicate), each "
        "credit matched to the seller's open invoices and recorded as a transfer; the rest "
        "waits for review in the back-office. A file that cannot be read is refused whole, "
        "naming the element and the reason, and nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the statement file")
        parser.add_argument("--seller", required=True, help="the seller (its slug)")
        parser.add_argument("--format", choices=["camt053", "csv"], default=None)
        parser.add_argument("--mapping", default="", help="the bank whose CSV mapping to use")
        parser.add_argument(
            "--chunk", type=int, default=statements.CHUNK, help="lines a transaction"
        )
        parser.add_argument("--progress", action="store_true", help="show the progress bar")

    def handle(self, *args, file, seller, format=None, mapping="", chunk=200, progress=False, **o):
        found = Seller.objects.filter(slug=seller).first()
        if found is None:
            raise CommandError(f"--seller={seller!r}: no such seller")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        format = format or ("csv" if path.suffix.lower() == ".csv" else "camt053")
        saved = None
        if format == "csv":
            saved = statement_selectors.mapping_named(seller=found, bank=mapping)
            if saved is None:
                names = ", ".join(m.bank for m in statement_selectors.mappings(seller=found))
                raise CommandError(
                    f"--mapping={mapping!r}: no such bank mapping ({names or 'none'})"
                )
        bar = ProgressBar(self.stderr, 1) if progress or self.stderr.isatty() else None

        def step(done: int, total: int) -> None:
            if bar is not None:
                bar.total = max(total, 1)
                bar.set(done)

        try:
            done = statements.import_statement(
                seller=found,
                data=path.read_bytes(),
                filename=path.name,
                format=format,
                mapping=saved,
                by=None,
                chunk=max(chunk, 1),
                progress=step,
            )
        except ValidationError as exc:
            raise CommandError(
                "; ".join(f"{k} : {' '.join(v)}" for k, v in exc.message_dict.items())
            ) from None
        if bar is not None:
            bar.finish()
        self.stdout.write(
            f"Relevé n° {done.pk} : {done.matched_count} rapprochée(s), "
            f"{done.to_review_count} à rapprocher, {done.duplicate_count} doublon(s) écarté(s)"
        )
