"""Background jobs of quotes (django.tasks, worked by ``clausier db_worker``)."""

from __future__ import annotations

from datetime import datetime

from django.tasks import task

from clausier.quotes import services


@task
def expire_quotes(now: str | None = None) -> dict[str, int]:
    """Expire every sent quote whose validity day is over (art. 3 of the agency's terms: an
    expired quote is void). Idempotent and resumable: each quote is expired in its own
    transaction, and a quote already expired is left alone, so running it twice, or again
    after a crash, only finishes the work. ``now``: an ISO 8601 aware datetime (tests,
    catch-up runs), default the current time. Returns the counts."""
    at = datetime.fromisoformat(now) if now else None
    return services.expire_overdue_quotes(now=at)
