"""The bounds of usage ingestion, as data with their reason (a setting may override them)."""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from django.conf import settings

# A batch of events is one request and one transaction: 10,000 events of ~150 bytes stay
# under the API's 2.5 MB body limit, and a client sends more as several batches.
MAX_BATCH_EVENTS: Final = 10_000

# An event is dated by the runtime that measured it: its clock may run a little ahead of
# ours (NTP keeps servers within a second; 5 minutes leaves room for a drifting host), but
# an event further in the future is an error of the sender (a wrong time zone, milliseconds
# read as seconds) and would be billed in a period that has not started.
FUTURE_MARGIN: Final = timedelta(minutes=5)

# Longest event id and property payload kept (the id is the sender's deduplication key).
MAX_EVENT_ID_LENGTH: Final = 200


def future_margin() -> timedelta:
    """``METERING_FUTURE_MARGIN`` (a ``timedelta``) if set, else :data:`FUTURE_MARGIN`."""
    return getattr(settings, "METERING_FUTURE_MARGIN", FUTURE_MARGIN)
