"""Background jobs of collections (django.tasks): the nightly accrual of every late issued
invoice's penalties."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from django.tasks import task
from django.utils import timezone

from clausier.collections import selectors, services
from clausier.kernel.errors import DomainError

logger = logging.getLogger(__name__)


def accrue_all(
    *,
    on: date,
    progress: Callable[[int, int], None] | None = None,
    seller_id: int | None = None,
) -> dict:
    """Bring every late issued invoice's accrual (of every seller, or ``seller_id``'s) to
    ``on``, one transaction each: idempotent (a second run writes nothing) and resumable (an
    interrupted run leaves each invoice done or untouched; the next run does the rest). One
    invoice's error does not stop the others (logged, counted)."""
    ids = list(selectors.accrual_candidates(on=on, seller_id=seller_id))
    counts = {"invoices": len(ids), "late": 0, "errors": 0}
    for done, invoice_id in enumerate(ids, start=1):
        try:
            late = services.update_accrual(invoice=selectors.invoice_by_id(invoice_id), on=on)
        except DomainError:
            logger.exception("invoice %s: penalties not accrued", invoice_id)
            counts["errors"] += 1
        else:
            counts["late"] += late is not None
        if progress is not None:
            progress(done, len(ids))
    return counts


@task
def accrue_penalties(on: str | None = None) -> dict:
    """The nightly accrual (``ops/schedule.py``); ``on``: ISO date, default today in Paris."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    return accrue_all(on=day)
