from clausier.invoicing import services
from clausier.invoicing.management.seller_command import SellerCommand
from clausier.invoicing.models import InvoiceStatus
from clausier.kernel.progress import ProgressBar


class Command(SellerCommand):
    help = (
        "Issue the drafts an automatic issue left waiting (a paid online order's invoice, a "
        "deposit invoice) now that what they lacked may be there: the legal rate of the "
        "semester entered with 'clausier legal_rate add', a SIREN completed. Each draft is "
        "issued in its own transaction, oldest first, dated today; one that still cannot be "
        "issued keeps waiting with its reason. Running it again changes nothing."
    )

    def handle(self, *args, seller=None, progress=False, **options):
        drafts = services.waiting_drafts().select_related("seller", "client")
        if seller:
            drafts = drafts.filter(seller=self.find_seller(seller))
        drafts = list(drafts.order_by("created_at", "id"))
        bar = None
        if (progress or self.stderr.isatty()) and drafts:
            bar = ProgressBar(self.stderr, len(drafts))
            bar.draw()
        issued, waiting = 0, 0
        for draft in drafts:
            label = f"{draft} ({draft.client}, {draft.seller})"
            result = services.retry_waiting_invoice(
                invoice=draft, by="clausier issue_waiting_invoices"
            )
            if result.status == InvoiceStatus.ISSUED:
                issued += 1
                line = f"ÉMISE      {label} : {result.number} du {result.issue_date:%d/%m/%Y}"
            else:
                waiting += 1
                line = f"EN ATTENTE {label} : {result.issue_blocked_reason}"
            if bar is not None:
                bar.clear()
            self.stdout.write(line)
            if bar is not None:
                bar.step()
        if bar is not None:
            bar.finish()
        self.stdout.write(
            f"{issued} émise(s), {waiting} toujours en attente"
            if drafts
            else "Aucun brouillon en attente d'émission."
        )
