"""A billing run spread over several processes: :func:`issue_invoices` with ``workers``.

Issuing a document is CPU work (its figures, its snapshot, its Factur-X XML written and
validated) followed by a short write under the series counter lock (the number, the hash
chain, the row). The CPU work runs before the lock (``services._ready``), so processes that
issue chunks of the same seller at once overlap everywhere but in that short tail: with one
process per core a run goes about as many times faster as there are cores.

Each chunk is still one transaction of ``services.issue_invoices`` taking one block of
consecutive numbers: the series stays continuous and chronological, the hash chain whole.
The chunks are numbered in the order they commit, so with several processes a later chunk
of drafts may take lower numbers than an earlier one (within a chunk, numbers follow the
order given). Resumable as the one-process run: what is issued is skipped.

The workers are new processes, never forks of the caller (which may run threads: the Typst
compiler's, a task worker's): each sets Django up with the caller's settings and databases
as they are at the call (``kernel.processes.django_pool``, so under pytest-django the test
database) and opens its own connections. SQLite has one writer at a time, so there the run
stays in the calling process.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from clausier.invoicing import services
from clausier.invoicing.models import Invoice
from clausier.kernel.clock import aware_now
from clausier.kernel.processes import django_pool

Progress = Callable[[int, int], None]


def parallel_ok() -> bool:
    """Whether the database takes several writers at once (PostgreSQL, not SQLite)."""
    return connection.vendor == "postgresql"


# What a worker read for its earlier chunks of the run (terms and contacts of each client):
# each run starts its own workers, so this never outlives the run.
_memo: services.RunMemo | None = None


def _chunk_in_child(task: tuple[list[int], Any, datetime]) -> tuple[list[int], list[int]]:
    global _memo
    ids, by, now = task
    if _memo is None:
        _memo = services.RunMemo()
    with transaction.atomic():
        issued, blocked = services.issue_chunk(ids=ids, by=by, now=now, memo=_memo)
    return [i.pk for i in issued], [i.pk for i in blocked]


def issue_invoices(
    *,
    invoices: Sequence[Invoice],
    by,
    now: datetime | None = None,
    chunk: int = 200,
    workers: int = 1,
    progress: Progress | None = None,
) -> services.BillingRun:
    """Issue the standard drafts ``invoices`` of one seller as ``services.issue_invoices``
    does, by chunks of at most ``chunk`` (smaller when that keeps every worker busy to the
    end), in ``workers`` processes at once (one per core is the
    right number; 1, or SQLite, runs them here). Returns the same
    :class:`~clausier.invoicing.services.BillingRun`, issued documents in number order.
    ``progress(done, total)`` after each chunk. Not inside a transaction: each chunk
    commits on its own, in its own process."""
    now = aware_now(now)
    if workers < 1:
        raise ValueError("workers must be at least 1")
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    if workers == 1 or not parallel_ok():
        return services.issue_invoices(
            invoices=invoices, by=by, now=now, chunk=chunk, progress=progress
        )
    if connection.in_atomic_block:
        raise RuntimeError("a billing run in several processes commits chunk by chunk")
    ids = list(dict.fromkeys(invoice.pk for invoice in invoices))
    # At most ``chunk`` per transaction, and enough chunks (4 a worker) to keep every worker
    # busy to the end of the run.
    size = max(1, min(chunk, math.ceil(len(ids) / (workers * 4))))
    tasks = [(ids[start : start + size], by, now) for start in range(0, len(ids), size)]
    issued: list[int] = []
    blocked: list[int] = []
    with django_pool(min(workers, len(tasks))) as pool:
        done = 0
        for (ids_done, ids_left), task in zip(
            pool.imap(_chunk_in_child, tasks), tasks, strict=True
        ):
            issued += ids_done
            blocked += ids_left
            done += len(task[0])
            if progress is not None:
                progress(done, len(ids))
    # Read back without the snapshots and explanations (tens of kB of JSON a document).
    rows = Invoice.objects.defer("snapshot", "explanations").select_related("client")
    return services.BillingRun(
        issued=list(rows.filter(pk__in=issued).order_by("year", "sequence")),
        blocked=list(rows.filter(pk__in=blocked).order_by("created_at", "id")),
    )


__all__ = ["issue_invoices", "parallel_ok"]
