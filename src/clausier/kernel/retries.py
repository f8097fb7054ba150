"""Retrying what failed (an email, a webhook) on a schedule of waits."""

from collections.abc import Sequence
from datetime import timedelta


def delay_after(failed_attempts: int, delays: Sequence[timedelta]) -> timedelta | None:
    """The wait after ``failed_attempts`` failed attempts (the first wait after the first
    failure), or None once ``delays`` is spent: give up."""
    if failed_attempts < 1:
        raise ValueError("failed_attempts counts from 1")
    if failed_attempts > len(delays):
        return None
    return delays[failed_attempts - 1]
