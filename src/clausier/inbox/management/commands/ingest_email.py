"""``clausier ingest-email [--mailbox ADDR] < message.eml``: one message from an MTA's pipe
(Postfix ``pipe``, a ``.forward`` or procmail). Exit codes as sendmail's (sysexits.h): 0
stored (or already stored), 75 EX_TEMPFAIL when the database cannot be reached (the MTA keeps
the message and retries), 65 EX_DATAERR for an empty input, 73 EX_CANTCREAT over the size
limit (the MTA bounces it)."""

from __future__ import annotations

import logging
import sys

from django.core.management.base import BaseCommand

from clausier.inbox import parsing, services
from clausier.inbox.models import Source

logger = logging.getLogger("clausier.inbox")

EX_OK, EX_DATAERR, EX_CANTCREAT, EX_TEMPFAIL = 0, 65, 73, 75


class Command(BaseCommand):
    help = "Receive one e-mail message from standard input into the inbox."

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", help="the address it was delivered to")
        parser.add_argument("--source", default=Source.PIPE, choices=[Source.PIPE, Source.UPLOAD])
        parser.add_argument(
            "--file", default="-", help="read the message from this file (default: stdin)"
        )

    def handle(self, *args, **options):
        if options["file"] == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(options["file"], "rb") as stream:
                raw = stream.read()
        if not raw.strip():
            self.stderr.write("ingest-email: empty message")
            sys.exit(EX_DATAERR)
        recipients = [options["mailbox"]] if options["mailbox"] else parsing.header_recipients(raw)
        try:
            receipt = services.receive(
                raw=raw, source=options["source"], recipients=recipients, by=None
            )
        except services.TooLarge as error:
            self.stderr.write(f"ingest-email: {error.messages[0]}")
            sys.exit(EX_CANTCREAT)
        except Exception as error:  # database down, disk full: the MTA retries
            logger.exception("ingest-email: message not stored")
            self.stderr.write(f"ingest-email: not stored, try again later ({error})")
            sys.exit(EX_TEMPFAIL)
        message = receipt.message
        state = "already stored" if receipt.duplicate else "stored"
        self.stdout.write(f"message {message.pk} {state} ({message.status})")
