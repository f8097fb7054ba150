"""``clausier mail-gateway --lmtp HOST:PORT`` (or ``--smtp HOST:PORT``): the listener an MTA
forwards the sellers' support addresses to. Runs until interrupted (SIGINT or SIGTERM)."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError

from clausier.inbox.gateway import GatewayController, host_port


class Command(BaseCommand):
    help = "Receive mail by LMTP or SMTP into the inbox (stored raw, then parsed)."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--lmtp", metavar="HOST:PORT", help="serve LMTP (RFC 2033)")
        where.add_argument("--smtp", metavar="HOST:PORT", help="serve SMTP")

    def handle(self, *args, **options):
        lmtp = bool(options["lmtp"])
        try:
            host, port = host_port(options["lmtp"] or options["smtp"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        controller = GatewayController(lmtp=lmtp, hostname=host, port=port)
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        controller.start()
        self.stdout.write(f"mail gateway: {'LMTP' if lmtp else 'SMTP'} on {host}:{port}")
        try:
            stop.wait()
        finally:
            controller.stop()
