"""The periodic jobs: one table, read by ``clausier scheduler``.

Each line names a job, the task it enqueues (a ``django.tasks`` task taking no argument,
idempotent: running it twice changes nothing the second time) and its period. Time is cut
into slots of ``every``, shifted by ``at`` from midnight UTC (a daily job at 06:00 UTC:
``every=DAY, at=hours(6)``); the scheduler enqueues a job once per slot, when the slot
has begun. A domain that needs a periodic job adds its line here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.tasks import Task

from clausier.api.tasks import purge_idempotency_keys
from clausier.collections.dunning.tasks import queue_dunning
from clausier.collections.tasks import accelerate_late_invoices, accrue_penalties
from clausier.invoicing.tasks import deliver_due_invoices, issue_waiting_invoices, verify_ledger
from clausier.quotes.tasks import expire_quotes
from clausier.webhooks.tasks import deliver_due

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Job:
    name: str
    task: Task
    every: timedelta
    at: timedelta = timedelta(0)  # where the slots start, from midnight UTC

    def __post_init__(self) -> None:
        if self.every <= timedelta(0) or not timedelta(0) <= self.at < self.every:
            raise ValueError(f"job {self.name}: expected every > 0 and 0 <= at < every")


SCHEDULE: tuple[Job, ...] = (
    # Sent quotes past their validity become expired (art. 3 of the agency's terms).
    Job("expire_quotes", expire_quotes, every=15 * MINUTE),
    # Webhooks whose retry time has come (the worker also queues each retry itself).
    Job("deliver_webhooks", deliver_due, every=5 * MINUTE),
    # Invoice PDFs not printed yet, invoice e-mails due (first sending or retry).
    Job("send_invoices", deliver_due_invoices, every=5 * MINUTE),
    # Drafts an automatic issue left waiting (a legal rate entered, a SIREN completed).
    Job("issue_waiting_invoices", issue_waiting_invoices, every=DAY, at=6 * HOUR),
    # Every hash chain of issued documents, checked; a broken one fails the task.
    Job("verify_ledger", verify_ledger, every=DAY, at=4 * HOUR + 15 * MINUTE),
    # Late invoices' interest and indemnity brought to the day (issue 17), after midnight
    # in Paris.
    Job("accrue_penalties", accrue_penalties, every=DAY, at=1 * HOUR),
    # Seed 002 art. 6: a late invoice makes its client's other sums due at once (issue 17).
    Job("accelerate_late_invoices", accelerate_late_invoices, every=DAY, at=1 * HOUR + 15 * MINUTE),
    # The API's idempotency keys past their 24 hours.
    Job("purge_idempotency_keys", purge_idempotency_keys, every=DAY, at=3 * HOUR + 30 * MINUTE),
    # The dunning steps due today queued (once per invoice and step), before the working day.
    Job("queue_dunning", queue_dunning, every=DAY, at=5 * HOUR),
)
