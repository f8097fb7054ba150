"""``clausier scheduler``: enqueues the periodic jobs of ``ops.schedule.SCHEDULE``."""

from __future__ import annotations

import logging
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from clausier.ops.scheduler import tick

logger = logging.getLogger("clausier.scheduler")


class Command(BaseCommand):
    help = (
        "Enqueue the periodic jobs (quote expiry, webhook and invoice deliveries, waiting "
        "invoices, ledger verification, idempotency keys) for `clausier db_worker` to run, "
        "each once per slot of its period, as written in clausier/ops/schedule.py. Two "
        "schedulers started by mistake enqueue each slot once. Stops on SIGTERM or Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=30.0, help="seconds between ticks (30)"
        )
        parser.add_argument("--once", action="store_true", help="one tick, then exit")

    def handle(self, *args, interval=30.0, once=False, **options):
        if interval <= 0:
            raise CommandError("--interval: a number of seconds above 0")
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
            logger.info("scheduler started, a tick every %s s", interval)
        while True:
            try:
                enqueued = tick()
            except Exception:  # a database away for a moment: the next tick tries again
                if once:
                    raise
                logger.exception("scheduler tick failed")
            else:
                if once:
                    self.stdout.write(", ".join(enqueued) or "nothing to enqueue")
                    return
            close_old_connections()  # a connection past its age is not kept while waiting
            if stop.wait(interval):
                logger.info("scheduler stopped")
                return
