"""Gapless invoice numbers under real concurrency, on PostgreSQL.

8 processes, each with its own database connection, issue 1,000 invoices of one series at
once. The counter row locked ``select_for_update`` (``numbering.services.next_number``)
serializes them: the numbers are exactly 1..1000, none shared, none skipped, and the hash
chain verifies. The companion test runs the same 8 processes with an allocator that reads
the counter without the lock: numbers collide (the unique constraint refuses the second
holder) or a document's predecessor is not committed yet, and issues fail. That is what the
lock prevents. It needs a smaller batch to show it (at 1,000, about 70 % of the issues
failed), so it runs 400 to keep the pair quick on 2 cores.

The processes are new ones, not forks of the test process (which may run threads by then),
started once its data is committed (``transaction=True`` test): each sets Django up on the test
database (``kernel.processes.django_pool``) and opens its own connection.
"""

from __future__ import annotations

import multiprocessing
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connections

from clausier.invoicing import services
from clausier.invoicing.models import Invoice, InvoiceLine, InvoiceStatus
from clausier.invoicing.services import issue as issuing
from clausier.kernel.errors import DomainError
from clausier.kernel.processes import django_pool
from clausier.numbering.models import Counter
from clausier.numbering.services import Number, format_number
from tests.factories import make_client, make_draft_invoice, make_published_terms, make_seller
from tests.factories.quotes import paris

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]

PROCESSES = 8
INVOICES = 1000
UNLOCKED_INVOICES = 400
DAY = paris(2026, 5, 22, 10)


def unlocked_next_number(*, seller, series: str, year: int, prefix: str) -> Number:
    """``numbering.services.next_number`` without ``select_for_update``: what not to do."""
    Counter.objects.bulk_create(
        [Counter(seller=seller, series=series, year=year)], ignore_conflicts=True
    )
    counter = Counter.objects.get(seller=seller, series=series, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return Number(
        sequence=counter.last_number,
        label=format_number(prefix=prefix, year=year, sequence=counter.last_number),
    )


def _issue(ids: list[int], locked: bool, barrier, results) -> None:
    """Run in a child process: issue each draft of ``ids``, report what failed and why."""
    if not locked:
        # This process only (its pool goes with the call), where issue_invoice looks.
        issuing.next_number = unlocked_next_number
    failures: list[str] = []
    barrier.wait()
    for pk in ids:
        try:
            services.issue_invoice(invoice=Invoice(pk=pk), by=None, now=DAY)
        except (IntegrityError, DomainError) as exc:
            failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")
    connections.close_all()
    results.put(failures)


def drafts(count: int) -> list[int]:
    """``count`` drafts of one seller: the first through the service, the rest copied in bulk
    (the load is the issuing, not the drafting)."""
    seller = make_seller("charge", vat_number="FR87524172699")
    make_published_terms(seller)
    client = make_client(seller, kind="consumer")
    model = make_draft_invoice(seller, client)
    [line] = model.lines.all()
    copies = Invoice.objects.bulk_create(
        Invoice(
            seller=seller,
            client=client,
            kind=model.kind,
            total_ht=model.total_ht,
            total_vat=model.total_vat,
            total_ttc=model.total_ttc,
            amount_due=model.amount_due,
        )
        for _ in range(count - 1)
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=copy,
            description=line.description,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            vat_rate=line.vat_rate,
            amount_ht=line.amount_ht,
        )
        for copy in copies
    )
    return [model.pk, *(copy.pk for copy in copies)]


def issue_concurrently(ids: list[int], *, locked: bool) -> list[str]:
    """Issue ``ids`` from :data:`PROCESSES` processes started together; the failures."""
    # Every task waits at the barrier, so each runs in a process of its own.
    with django_pool(PROCESSES) as pool, multiprocessing.get_context("spawn").Manager() as sync:
        barrier, results = sync.Barrier(PROCESSES), sync.Queue()
        workers = [
            pool.apply_async(_issue, (ids[n::PROCESSES], locked, barrier, results))
            for n in range(PROCESSES)
        ]
        failures = [failure for _ in workers for failure in results.get(timeout=300)]
        for worker in workers:
            worker.get(timeout=30)  # raises what the process raised
    return failures


def test_eight_processes_issue_1000_invoices_numbered_1_to_1000():
    ids = drafts(INVOICES)
    started = time.monotonic()
    failures = issue_concurrently(ids, locked=True)
    elapsed = time.monotonic() - started

    assert failures == []
    issued = Invoice.objects.filter(status=InvoiceStatus.ISSUED)
    assert issued.count() == INVOICES
    assert sorted(issued.values_list("sequence", flat=True)) == list(range(1, INVOICES + 1))
    assert sorted(issued.values_list("number", flat=True)) == [
        f"F2026-{n:06d}" for n in range(1, INVOICES + 1)
    ]
    assert Counter.objects.get(series="invoice").last_number == INVOICES
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    assert out.getvalue().strip() == (
        f"OK      charge invoice 2026: {INVOICES} document(s), chaîne intacte"
    )
    print(f"{INVOICES} invoices issued by {PROCESSES} processes in {elapsed:.1f} s")


def test_without_the_row_lock_the_processes_collide():
    ids = drafts(UNLOCKED_INVOICES)
    failures = issue_concurrently(ids, locked=False)

    # Two processes read the same last number and both take the next one: the unique
    # constraint refuses the second (IntegrityError), or a process finds its predecessor not
    # yet committed (the chain cannot be linked). Either way invoices fail to issue.
    assert failures, "without select_for_update the processes should have collided"
    assert any(f.startswith(("IntegrityError", "DomainError")) for f in failures)
    issued = Invoice.objects.filter(status=InvoiceStatus.ISSUED).count()
    assert issued + len(failures) == UNLOCKED_INVOICES
    assert issued < UNLOCKED_INVOICES
    print(f"without the lock: {len(failures)} of {UNLOCKED_INVOICES} failed, e.g. {failures[0]}")
