"""Background jobs of collections (django.tasks): the nightly accrual of every late issued
invoice's penalties, and the nightly acceleration of the late clients' other invoices."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from django.tasks import task
from django.utils import timezone

from clausier.collections import selectors, services, standing, standing_selectors
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


def accelerate_all(*, on: date) -> dict:
    """Every seller's late invoices bring their clients' other invoices forward on ``on``
    (seed 002 art. 6), one seller's error not stopping the others: idempotent (an invoice
    already brought forward is left as it is, a second run writes nothing)."""
    counts = {"sellers": 0, "accelerated": 0, "errors": 0}
    for seller in standing_selectors.sellers_with_late_invoices(on=on):
        counts["sellers"] += 1
        try:
            counts["accelerated"] += len(standing.accelerate_late(seller=seller, on=on))
        except DomainError:
            logger.exception("seller %s: due dates not brought forward", seller.pk)
            counts["errors"] += 1
    return counts


@task
def accelerate_late_invoices(on: str | None = None) -> dict:
    """The nightly acceleration (``ops/schedule.py``); ``on``: ISO date, default today in
    Paris."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    return accelerate_all(on=day)
