"""The periodic jobs: one table, read by ``clausier scheduler``.

Each line names a job, the task it enqueues (a ``django.tasks`` task taking no argument,
idempotent: running it twice changes nothing the second time) and its period. Time is cut
into slots of ``every``, shifted by ``at`` from midnight UTC (a daily job at 06:00 UTC:
``every=DAY, at=hours(6)``); the scheduler enqueues a job once per slot, when the slot
has begun. A monthly job takes ``every=MONTH``: its slots are the calendar months (UTC), each
starting on the 1st at midnight UTC shifted by ``at`` (less than 28 days). A domain that
needs a periodic job adds its line here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.tasks import Task

from clausier.api.tasks import purge_idempotency_keys
from clausier.collections.dunning.tasks import queue_dunning
from clausier.collections.tasks import accelerate_late_invoices, accrue_penalties
from clausier.contracts.tasks import contracts_day
from clausier.invoicing.tasks import (
    bill_last_month,
    deliver_due_invoices,
    issue_waiting_invoices,
    verify_ledger,
)
from clausier.metering.alerts import warn_low_balances
from clausier.payments.tasks import retry_stuck_saved_card_charges
from clausier.quotes.tasks import expire_quotes
from clausier.support.alerts import warn_sla
from clausier.support.paging import page_on_call
from clausier.webhooks.tasks import deliver_due

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


class Month:
    """The calendar month as a period: months have no fixed length, so not a timedelta."""

    # The longest month, for how long run keys are kept; the shortest, for ``at``.
    longest = 31 * DAY
    shortest = 28 * DAY

    def __repr__(self) -> str:
        return "MONTH"


MONTH = Month()


@dataclass(frozen=True)
class Job:
    name: str
    task: Task
    every: timedelta | Month
    at: timedelta = timedelta(0)  # where the slots start, from midnight UTC (the 1st, monthly)

    def __post_init__(self) -> None:
        if isinstance(self.every, Month):
            if not timedelta(0) <= self.at < Month.shortest:
                raise ValueError(f"job {self.name}: a monthly job expects 0 <= at < 28 days")
        elif self.every <= timedelta(0) or not timedelta(0) <= self.at < self.every:
            raise ValueError(f"job {self.name}: expected every > 0 and 0 <= at < every")

    @property
    def length(self) -> timedelta:
        """The longest a slot of this job lasts."""
        return Month.longest if isinstance(self.every, Month) else self.every


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
    # Seed 000 art. 3: the month's consumption invoiced on the 1st of the next (issue 18),
    # after midnight in Paris.
    Job("bill_usage", bill_last_month, every=MONTH, at=2 * HOUR),
    # Prepaid credits: the low-balance e-mail, once per crossing, before the working day.
    Job("warn_low_balances", warn_low_balances, every=DAY, at=5 * HOUR + 30 * MINUTE),
    # Seed 000 art. 10.1: the open tickets' GTI and GTR clocks, warnings at 50, 80 and 100 %
    # recorded and e-mailed once each.
    Job("warn_sla", warn_sla, every=5 * MINUTE),
    Job("page_on_call", page_on_call, every=MINUTE),
    # Seed 002 art. 7: contracts renewed by tacit renewal or ended after a notice, and the
    # consumer's renewal information sent in its window (C. conso. L215-1), after midnight
    # in Paris.
    Job("contracts_day", contracts_day, every=DAY, at=1 * HOUR + 30 * MINUTE),
    # Saved-card charges stuck pending (Stripe unreachable, the task lost): sent again with
    # the same idempotency key, or given up and the client told to pay by itself.
    Job("retry_saved_card_charges", retry_stuck_saved_card_charges, every=5 * MINUTE),
)
