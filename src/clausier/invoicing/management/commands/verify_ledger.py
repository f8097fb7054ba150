from contextlib import closing

from django.core.management.base import CommandError

from clausier.invoicing import domain, selectors
from clausier.invoicing.management.seller_command import SellerCommand
from clausier.kernel.progress import ProgressBar
from clausier.kernel.replica import report

# Below this many documents the walk is quick: no progress bar.
PROGRESS_FROM = 1000


class Command(SellerCommand):
    help = (
        "Verify the hash chain of every series of issued invoices and credit notes: each "
        "document's stored snapshot must still hash to its content hash and link to the "
        "previous document of its series. Prints OK per chain or the first broken link "
        "(document number, what differs); exits with status 1 when a chain is broken."
    )

    progress_help = "show the progress bar even on a short run or when not on a terminal"

    @report  # a report: it reads the replica when there is one
    def handle(self, *args, seller=None, progress=False, **options):
        only = self.find_seller(seller) if seller else None
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
