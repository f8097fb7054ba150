from contextlib import closing

from django.core.management.base import BaseCommand, CommandError

from clausier.invoicing import domain, selectors
from clausier.kernel.progress import ProgressBar
from clausier.sellers.models import Seller

# Below this many documents the walk is quick: no progress bar.
PROGRESS_FROM = 1000


class Command(BaseCommand):
    help = (
        "Verify the hash chain of every series of issued invoices and credit notes: each "
        "document's stored snapshot must still hash to its content hash and link to the "
        "previous document of its series. Prints OK per chain or the first broken link "
        "(document number, what differs); exits with status 1 when a chain is broken."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seller", help="only this seller (its slug)")
        parser.add_argument(
            "--progress",
            action="store_true",
            help="show the progress bar even on a short run or when not on a terminal",
        )

    def handle(self, *args, seller=None, progress=False, **options):
        only = None
        if seller:
            only = Seller.objects.filter(slug=seller).first()
            if only is None:
                raise CommandError(f"--seller={seller!r}: no such seller")
        chains = selectors.ledger_chains(seller=only)
        total = sum(chain.documents for chain in chains)
        show = progress or (total >= PROGRESS_FROM and self.stderr.isatty())
        bar = ProgressBar(self.stderr, total) if show else None
        broken = 0
        for chain in chains:
            label = f"{chain.seller} {chain.series} {chain.year}"
            with closing(selectors.ledger_rows(chain)) as rows:
                if bar is None:
                    checked, failure = domain.verify_chain(rows)
                else:
                    start = bar.done
                    checked, failure = domain.verify_chain(bar.counting(rows))
                    bar.set(start + chain.documents)  # a broken chain is not read further
            if failure is None:
                self.stdout.write(f"OK      {label}: {checked} document(s), chaîne intacte")
                continue
            broken += 1
            self.stdout.write(
                f"ROMPU   {label}: {failure.number} (rang {failure.sequence}) : "
                f"{failure.problem} ; {checked} document(s) intègres avant lui"
            )
        if bar is not None:
            bar.draw()
            bar.finish()
        if not chains:
            self.stdout.write("OK      aucun document émis")
        if broken:
            # From the command line: the message on stderr and exit status 1.
            raise CommandError(f"{broken} chaîne(s) rompue(s)", returncode=1)
