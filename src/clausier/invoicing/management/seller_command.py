"""What the invoicing commands share: a ``--seller`` (its slug) and a ``--progress`` option."""

from django.core.management.base import BaseCommand, CommandError

from clausier.sellers.models import Seller


class SellerCommand(BaseCommand):
    """A command run for every seller or, with ``--seller``, for one; ``--progress`` forces
    the progress bar that a terminal shows anyway."""

    seller_help = "only this seller (its slug)"
    seller_required = False
    progress_help = "show the progress bar even when not on a terminal"

    def add_arguments(self, parser):
        parser.add_argument("--seller", required=self.seller_required, help=self.seller_help)
        self.add_options(parser)
        parser.add_argument("--progress", action="store_true", help=self.progress_help)

    def add_options(self, parser):
        """The command's own options, between ``--seller`` and ``--progress``."""

    def find_seller(self, slug: str) -> Seller:
        found = Seller.objects.filter(slug=slug).first()
        if found is None:
            raise CommandError(f"--seller={slug!r}: no such seller")
        return found
