"""``clausier poll-imap [--mailbox ADDR]``: fetch the unseen messages of the mailboxes that
have an IMAP server (all, or one), store them, then flag them \\Seen. Run it from cron or a
timer; a mailbox that cannot be polled is reported and the others go on (exit 1 then)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from clausier.inbox import imap, selectors


class Command(BaseCommand):
    help = "Fetch unseen messages from the mailboxes' IMAP servers into the inbox."

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", help="poll this address only")

    def handle(self, *args, **options):
        mailboxes = selectors.imap_mailboxes(address=options["mailbox"])
        if options["mailbox"] and not mailboxes:
            raise CommandError(f"{options['mailbox']}: no active mailbox with an IMAP server")
        failed = []
        for mailbox in mailboxes:
            try:
                done = imap.poll(mailbox)
            except imap.ImapError as error:
                failed.append(str(error))
                self.stderr.write(f"poll-imap: {error}")
                continue
            self.stdout.write(
                f"{mailbox.address}: {len(done.stored)} stored, {len(done.duplicates)} already "
                f"stored, {len(done.refused)} too large"
            )
        if failed:
            raise CommandError(f"{len(failed)} mailbox(es) could not be polled")
