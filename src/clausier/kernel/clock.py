"""The time a service acts at: the caller's (tests, catch-up runs) or now, always aware."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def aware_now(now: datetime | None = None) -> datetime:
    """``now`` when given (it must be aware: a naive datetime has no place in a legal
    deadline), else the current time in UTC."""
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    return now
