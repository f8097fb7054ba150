"""``clausier mailbox add|list``: a seller's support addresses, and how each is reached
(an MTA delivering by LMTP or a pipe needs none of the IMAP options)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clausier.inbox import selectors, services
from clausier.inbox.models import UnknownSenders
from clausier.sellers.models import Seller


class Command(BaseCommand):
    help = "A seller's support mailboxes: 'add' one, 'list' them."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        add = commands.add_parser("add", help="a new support address of a seller")
        add.add_argument("address")
        add.add_argument("--seller", required=True, help="the seller's slug")
        add.add_argument(
            "--unknown-senders", choices=UnknownSenders.values, default=UnknownSenders.ACCEPT
        )
        add.add_argument("--imap-host", default="")
        add.add_argument("--imap-port", type=int)
        add.add_argument("--imap-user", default="")
        add.add_argument("--imap-folder", default="INBOX")
        add.add_argument(
            "--imap-password-env",
            default="",
            help="the environment variable holding the password (never the password itself)",
        )
        add.add_argument("--no-imap-ssl", action="store_true", help="plain IMAP (port 143)")
        listing = commands.add_parser("list", help="the mailboxes of a seller")
        listing.add_argument("--seller", required=True, help="the seller's slug")

    def _seller(self, slug: str) -> Seller:
        seller = Seller.objects.filter(slug=slug).first()
        if seller is None:
            raise CommandError(f"{slug}: no such seller")
        return seller

    def handle(self, *args, **options):
        seller = self._seller(options["seller"])
        if options["action"] == "list":
            for mailbox in selectors.mailboxes_of(seller=seller):
                imap = f" imap://{mailbox.imap_host}" if mailbox.imap_host else ""
                state = "" if mailbox.active else " (inactive)"
                self.stdout.write(f"{mailbox.address}{imap}{state}")
            return
        try:
            mailbox = services.create_mailbox(
                seller=seller,
                address=options["address"],
                by=None,
                unknown_senders=options["unknown_senders"],
                imap_host=options["imap_host"],
                imap_port=options["imap_port"],
                imap_user=options["imap_user"],
                imap_folder=options["imap_folder"],
                imap_password_env=options["imap_password_env"],
                imap_ssl=not options["no_imap_ssl"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"{mailbox.address}: mailbox of {seller.slug} added")
