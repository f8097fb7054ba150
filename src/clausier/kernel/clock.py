"""The time a service acts at: the caller's (tests, catch-up runs) or now, always aware."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

# French legal dates are dates in Paris: "today", a day's end, a printed date.
PARIS = ZoneInfo("Europe/Paris")


def aware_now(now: datetime | None = None) -> datetime:
    """``now`` when given (it must be aware: a naive datetime has no place in a legal
    deadline), else the current time in UTC."""
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    return now


def parse_aware(text: str) -> datetime:
    """The aware datetime ``text`` writes in ISO 8601 (a catch-up run's ``--now``); a
    ``ValueError`` says what is wrong with it."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError("an ISO 8601 datetime is expected") from None
    if at.tzinfo is None:
        raise ValueError("give the offset from UTC, e.g. 2026-06-01T00:00+02:00")
    return at
