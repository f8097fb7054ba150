"""``clausier billing-run --period 2026-10 [--seller SLUG]``: a month of metered consumption
invoiced, one invoice per active subscription, with a progress bar and a summary."""

from __future__ import annotations

from django.core.management.base import CommandError

from clausier.invoicing import selectors
from clausier.invoicing.management.seller_command import SellerCommand
from clausier.invoicing.models import UsageBillingOutcome, UsageOutcomeKind
from clausier.invoicing.services import usage
from clausier.invoicing.usage_periods import parse_period
from clausier.kernel.progress import ProgressBar


class Command(SellerCommand):
    help = (
        "Usage billing run: rate the month's consumption of every active subscription (of one "
        "seller with --seller) and issue one invoice per subscription, by chunks. Exactly "
        "once: a rerun, or a run resumed after an interruption, skips what is invoiced and "
        "issues what was left. Late events of invoiced months are billed as adjustments. "
        "Lists each subscription in error at the end, and then fails."
    )

    def add_options(self, parser):
        parser.add_argument("--period", required=True, help="the month billed, YYYY-MM")
        parser.add_argument(
            "--chunk", type=int, default=usage.CHUNK, help="subscriptions per transaction"
        )

    def handle(self, *args, period, seller=None, chunk=usage.CHUNK, progress=False, **options):
        try:
            month = parse_period(period)
        except ValueError as exc:
            raise CommandError(f"--period: {exc}") from None
        if chunk < 1:
            raise CommandError(f"--chunk={chunk}: at least 1 subscription per transaction")
        found = self.find_seller(seller) if seller else None
        bar = ProgressBar(self.stderr, 1) if progress or self.stderr.isatty() else None

        def step(done: int, total: int) -> None:
            if bar is not None:
                bar.total = max(total, 1)
                bar.set(done)

        run = usage.bill_usage(
            period=month, seller=found, by="clausier billing_run", chunk=chunk, progress=step
        )
        if bar is not None:
            bar.finish()
        counts = selectors.usage_run_summary(run=run)
        self.stdout.write(
            f"{month:%Y-%m}: {run.total} subscription(s), {counts['invoiced']} invoiced, "
            f"{counts['nothing']} with nothing to bill, {counts['error']} in error"
        )
        errors = (
            UsageBillingOutcome.objects.filter(run=run, outcome=UsageOutcomeKind.ERROR)
            .select_related("subscription")
            .order_by("subscription_id")
        )
        for outcome in errors:
            self.stdout.write(f"{outcome.subscription.external_id}: {outcome.message}")
        if counts["error"]:
            raise CommandError(f"{counts['error']} subscription(s) in error, listed above")
