"""Retrying what failed (an email, a webhook) on a schedule of waits."""

from collections.abc import Sequence
from datetime import datetime, timedelta


def delay_after(failed_attempts: int, delays: Sequence[timedelta]) -> timedelta | None:
    """The wait after ``failed_attempts`` failed attempts (the first wait after the first
    failure), or None once ``delays`` is spent: give up."""
    if failed_attempts < 1:
        raise ValueError("failed_attempts counts from 1")
    if failed_attempts > len(delays):
        return None
    return delays[failed_attempts - 1]


def not_before(at: datetime) -> datetime:
    """``at`` rounded up to its next whole second: the ``run_after`` of a deferred retry. A
    queue may keep whole seconds only (RQ's scheduler does), and a retry run a fraction of a
    second early would find its attempt not yet due and do nothing."""
    if at.microsecond:
        return at.replace(microsecond=0) + timedelta(seconds=1)
    return at
