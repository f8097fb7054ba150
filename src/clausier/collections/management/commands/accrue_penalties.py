"""``clausier accrue-penalties [--on YYYY-MM-DD] [--seller SLUG]``: the nightly accrual of
the late invoices' penalties run by hand, with a progress bar."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clausier.collections.tasks import accrue_all
from clausier.kernel.progress import ProgressBar
from clausier.sellers.models import Seller


class Command(BaseCommand):
    help = (
        "Bring the late-payment interest and the recovery indemnity of every issued invoice "
        "past its due date to a day (today in Paris by default): each invoice in its own "
        "transaction, as the nightly job does. Running it again the same day writes "
        "nothing; an invoice whose legal rate is missing is counted and left for later."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", default="", help="the day to accrue to (YYYY-MM-DD)")
        parser.add_argument("--seller", default="", help="only this seller (its slug)")
        parser.add_argument("--progress", action="store_true", help="show the progress bar")

    def handle(self, *args, on="", seller="", progress=False, **options):
        try:
            day = date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--on={on!r}: a date YYYY-MM-DD is expected") from None
        found = None
        if seller:
            found = Seller.objects.filter(slug=seller).first()
            if found is None:
                raise CommandError(f"--seller={seller!r}: no such seller")
        bar = ProgressBar(self.stderr, 1) if progress or self.stderr.isatty() else None

        def step(done: int, total: int) -> None:
            if bar is not None:
                bar.total = max(total, 1)
                bar.set(done)

        counts = accrue_all(on=day, progress=step, seller_id=found.pk if found else None)
        if bar is not None:
            bar.finish()
        self.stdout.write(
            f"Pénalités au {day:%d/%m/%Y} : {counts['invoices']} facture(s) examinée(s), "
            f"{counts['late']} en retard, {counts['errors']} en erreur"
        )
        if counts["errors"]:
            raise CommandError(
                f"{counts['errors']} facture(s) non calculée(s) : voir le journal (taux manquant ?)"
            )
