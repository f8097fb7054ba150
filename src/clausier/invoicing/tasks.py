"""Background jobs of invoicing (django.tasks, worked by ``clausier db_worker``): the outputs
of an issued document, printed and emailed after the issuing transaction commits."""

from __future__ import annotations

import logging
from contextlib import closing
from datetime import datetime

from django.tasks import task

from clausier.invoicing import delivery, domain, selectors
from clausier.invoicing.models import DeliveryStatus, Invoice, InvoiceStatus
from clausier.kernel.retries import not_before

logger = logging.getLogger(__name__)


def _at(now: str | None) -> datetime | None:
    return datetime.fromisoformat(now) if now else None


def retry_later(*, invoice_id: int, at: datetime) -> bool:
    """Queue the next attempt to run at ``at`` when the task backend can defer a task
    (django-tasks-db can: ``supports_defer``); otherwise :func:`deliver_due_invoices`, run
    periodically (``clausier send_invoices``), picks it up. Running it early or twice is
    harmless: an attempt not yet due does nothing."""
    if not deliver_invoice.get_backend().supports_defer:
        return False
    deliver_invoice.using(run_after=not_before(at)).enqueue(invoice_id=invoice_id)
    return True


def _attempt(invoice_id: int, at: datetime | None) -> delivery.EmailResult:
    result = delivery.send_now(invoice_id=invoice_id, now=at)
    if result.attempted and result.status == DeliveryStatus.QUEUED and result.next_attempt_at:
        retry_later(invoice_id=invoice_id, at=result.next_attempt_at)
    return result


def _attempt_each(invoice_ids: list[int], at: datetime | None, counts: dict[str, int]) -> None:
    """:func:`_attempt` for each document, counting the outcomes of those attempted; one
    document's failure does not stop the others (logged, counted in ``errors``, caught up by
    :func:`deliver_due_invoices`)."""
    for invoice_id in invoice_ids:
        try:
            result = _attempt(invoice_id, at)
        except Exception:  # reported, tried again by the catch-up
            logger.exception("invoice %s: outputs not delivered", invoice_id)
            counts["errors"] += 1
            continue
        if result.attempted:
            counts[result.status] += 1


@task
def deliver_invoice(invoice_id: int, now: str | None = None) -> dict:
    """The outputs of one issued document: its PDF printed and stored once
    (``delivery.ensure_pdf``), then its email, if queued and due, with the retry queued
    for its time after a failure. ``now``: ISO 8601 aware datetime (tests, catch-up runs).
    Idempotent: run twice, it prints nothing again and sends nothing twice."""
    return _attempt(invoice_id, _at(now)).as_dict()


@task
def deliver_invoices(invoice_ids: list[int], now: str | None = None) -> dict[str, int]:
    """:func:`deliver_invoice` for each document of a billing run (one queued task for a
    batch instead of one each). One document's failure does not stop the others: it is
    logged, counted in ``errors`` and caught up by :func:`deliver_due_invoices`."""
    counts = {"sent": 0, "queued": 0, "failed": 0, "errors": 0}
    _attempt_each(invoice_ids, _at(now), counts)
    return counts


@task
def deliver_due_invoices(now: str | None = None) -> dict[str, int]:
    """Catch up: print every issued document still without its PDF, and attempt every
    queued email whose time has come (after a worker crash, a lost task, or the retries of
    a backend that cannot defer tasks). Idempotent; one document's failure does not stop
    the others (it is counted in ``errors`` and tried again next run)."""
    at = _at(now)
    counts = {"printed": 0, "due": 0, "sent": 0, "queued": 0, "failed": 0, "errors": 0}
    for invoice_id in delivery.unprinted_invoice_ids():
        try:
            delivery.ensure_pdf(Invoice(pk=invoice_id))
        except Exception:  # reported, tried again next run
            logger.exception("invoice %s: PDF not printed", invoice_id)
            counts["errors"] += 1
        else:
            counts["printed"] += 1
    due = delivery.due_invoice_ids(now=at)
    counts["due"] = len(due)
    _attempt_each(due, at, counts)
    return counts


@task
def issue_waiting_invoices() -> dict[str, int]:
    """Issue the drafts an automatic issue left waiting, now that what they lacked may be
    there (``clausier issue_waiting_invoices`` run by the scheduler). Idempotent: a draft
    issued already is left alone, one still waiting keeps its reason."""
    from clausier.invoicing import services  # it queues this module's tasks

    counts = {"issued": 0, "waiting": 0}
    for draft in services.waiting_drafts().order_by("created_at", "id"):
        result = services.retry_waiting_invoice(invoice=draft, by=None)
        counts["issued" if result.status == InvoiceStatus.ISSUED else "waiting"] += 1
    return counts


@task
def bill_last_month() -> dict[str, int]:
    """The usage billing run of the month before this one (Europe/Paris), for every seller:
    run by the scheduler on the 1st. Idempotent: a month invoiced already bills nothing twice,
    a run interrupted is taken up again."""
    from clausier.invoicing import selectors
    from clausier.invoicing.services import usage
    from clausier.invoicing.usage_periods import previous_month
    from clausier.kernel.clock import aware_now

    run = usage.bill_usage(period=previous_month(aware_now(None)), by="clausier scheduler")
    return selectors.usage_run_summary(run=run)


class LedgerBroken(Exception):
    """A chain of issued documents no longer hashes as it did: the task fails, loudly."""


@task
def verify_ledger() -> dict[str, int]:
    """Walk every hash chain of issued documents (``clausier verify_ledger``, run by the
    scheduler). A broken chain is logged at ERROR and fails the task (counted in the task
    failures of /metrics); reading changes nothing, so running it twice is harmless."""
    counts = {"chains": 0, "documents": 0, "broken": 0}
    for chain in selectors.ledger_chains():
        with closing(selectors.ledger_rows(chain)) as rows:
            checked, failure = domain.verify_chain(rows)
        counts["chains"] += 1
        counts["documents"] += checked
        if failure is not None:
            counts["broken"] += 1
            logger.error(
                "ledger chain %s %s %s broken at %s: %s",
                chain.seller,
                chain.series,
                chain.year,
                failure.number,
                failure.problem,
            )
    if counts["broken"]:
        raise LedgerBroken(f"{counts['broken']} broken chain(s)")
    return counts
