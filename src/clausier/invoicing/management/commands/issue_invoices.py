from django.core.management.base import CommandError

from clausier.invoicing import billing, services
from clausier.invoicing.management.seller_command import SellerCommand
from clausier.kernel.progress import ProgressBar


class Command(SellerCommand):
    help = (
        "Billing run: issue every standard draft invoice of a seller, oldest first, dated "
        "today, by chunks of one transaction each (one block of consecutive numbers per "
        "chunk). A draft that cannot be issued (a mandatory mention missing, an invalid "
        "Factur-X) stays a draft with its reason and takes no number. Resumable: run it "
        "again after an interruption and it issues what is left; with nothing left, it "
        "changes nothing. --workers N issues N chunks at once in N processes (PostgreSQL; "
        "one per core)."
    )

    seller_help = "the seller (its slug)"
    seller_required = True

    def add_options(self, parser):
        parser.add_argument("--chunk", type=int, default=200, help="drafts per transaction")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes issuing chunks at once (PostgreSQL only; one per core)",
        )

    def handle(self, *args, seller, chunk=200, workers=1, progress=False, **options):
        found = self.find_seller(seller)
        if chunk < 1:
            raise CommandError(f"--chunk={chunk}: at least 1 draft per transaction")
        if workers < 1:
            raise CommandError(f"--workers={workers}: at least 1 process")
        if workers > 1 and not billing.parallel_ok():
            raise CommandError(
                f"--workers={workers}: this database takes one writer at a time (SQLite); "
                "run without --workers, or on PostgreSQL"
            )
        drafts = list(services.billing_run_drafts(seller=found).only("id"))
        if not drafts:
            self.stdout.write("Aucun brouillon à émettre.")
            return
        bar = ProgressBar(self.stderr, len(drafts)) if progress or self.stderr.isatty() else None

        def step(done: int, total: int) -> None:
            if bar is not None:
                bar.total = total
                bar.set(done)

        run = billing.issue_invoices(
            invoices=drafts,
            by="clausier issue_invoices",
            chunk=chunk,
            workers=workers,
            progress=step,
        )
        if bar is not None:
            bar.finish()
        for invoice in run.blocked:
            self.stdout.write(
                f"EN ATTENTE {invoice} ({invoice.client}) : {invoice.issue_blocked_reason}"
            )
        if run.issued:
            self.stdout.write(
                f"{len(run.issued)} émise(s) : {run.issued[0].number} à {run.issued[-1].number}"
            )
        self.stdout.write(f"{len(run.issued)} émise(s), {len(run.blocked)} en attente")
