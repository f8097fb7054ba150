"""Background jobs of outgoing webhooks (django.tasks, worked by ``clausier db_worker``)."""

from __future__ import annotations

from datetime import datetime

from django.tasks import task

from clausier.kernel.retries import not_before
from clausier.webhooks import selectors, services


def _at(now: str | None) -> datetime | None:
    return datetime.fromisoformat(now) if now else None


def retry_later(*, delivery_id: int, at: datetime) -> bool:
    """Queue the next attempt to run at ``at`` when the task backend can defer a task
    (django-tasks-db can: ``supports_defer``); otherwise :func:`deliver_due`, run
    periodically, picks it up. Running it early or twice is harmless: an attempt not yet due
    does nothing."""
    if not deliver.get_backend().supports_defer:
        return False
    deliver.using(run_after=not_before(at)).enqueue(delivery_id=delivery_id)
    return True


@task
def deliver(delivery_id: int, now: str | None = None) -> dict:
    """Attempt one webhook delivery and, if it failed and may be retried, queue the retry
    for its time. ``now``: ISO 8601 aware datetime (tests, catch-up runs)."""
    result = services.deliver_now(delivery_id=delivery_id, now=_at(now))
    if result.attempted and result.status == "pending" and result.next_attempt_at:
        retry_later(delivery_id=delivery_id, at=result.next_attempt_at)
    return result.as_dict()


@task
def deliver_due(now: str | None = None) -> dict[str, int]:
    """Attempt every pending delivery whose time has come (catch-up after a worker crash, or
    the retries of a backend that cannot defer tasks). Idempotent."""
    at = _at(now)
    counts = {"due": 0, "succeeded": 0, "failed": 0, "pending": 0}
    for delivery_id in selectors.due_delivery_ids(now=at):
        counts["due"] += 1
        result = services.deliver_now(delivery_id=delivery_id, now=at)
        counts[result.status] += 1
        if result.attempted and result.status == "pending" and result.next_attempt_at:
            retry_later(delivery_id=delivery_id, at=result.next_attempt_at)
    return counts
