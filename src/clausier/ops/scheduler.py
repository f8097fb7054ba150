"""The scheduler's tick: each job of the table enqueued once for the slot it is in.

The run key is (job, slot start), stored in ``ScheduledRun`` under a unique constraint in
the transaction that enqueues the task (the database queue of ``django-tasks-db``): a
second scheduler ticking over the same slot fails to insert the key and enqueues nothing.
Only the current slot is considered, so a job whose slots passed while no scheduler ran is
enqueued once at the next tick, not once per missed slot.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction

from clausier.kernel.clock import aware_now
from clausier.ops.models import ScheduledRun
from clausier.ops.schedule import SCHEDULE, Job, Month

logger = logging.getLogger("clausier.scheduler")

# Slots are counted from a Monday at midnight UTC, so a weekly job falls on Mondays.
EPOCH = datetime(2000, 1, 3, tzinfo=UTC)
# Run keys are kept this long past the longest period, then deleted.
KEEP = timedelta(days=7)


def slot_of(now: datetime, *, every: timedelta | Month, at: timedelta = timedelta(0)) -> datetime:
    """The start of the slot of period ``every`` (shifted by ``at``) that ``now`` is in; for
    a month, the 1st of ``now``'s month (UTC) plus ``at``, or of the month before when
    ``now`` comes before that."""
    if isinstance(every, Month):
        moment = now.astimezone(UTC)
        slot = datetime(moment.year, moment.month, 1, tzinfo=UTC) + at
        if moment < slot:
            before = datetime(moment.year, moment.month, 1, tzinfo=UTC) - timedelta(days=1)
            slot = datetime(before.year, before.month, 1, tzinfo=UTC) + at
        return slot
    origin = EPOCH + at
    return origin + ((now - origin) // every) * every


def tick(*, now: datetime | None = None, schedule: Iterable[Job] = SCHEDULE) -> list[str]:
    """Enqueue every job whose current slot has no run yet; the names of those enqueued."""
    at = aware_now(now)
    jobs = tuple(schedule)
    enqueued = []
    for job in jobs:
        slot = slot_of(at, every=job.every, at=job.at)
        if ScheduledRun.objects.filter(job=job.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot)
                result = job.task.enqueue()
                run.task_id = str(result.id)
                run.save(update_fields=["task_id"])
        except IntegrityError:  # another scheduler took this slot first
            logger.info("job %s: slot %s taken already", job.name, slot.isoformat())
            continue
        logger.info(
            "job %s enqueued for slot %s", job.name, slot.isoformat(), extra={"job": job.name}
        )
        enqueued.append(job.name)
    if jobs:
        longest = max(job.length for job in jobs)
        ScheduledRun.objects.filter(slot__lt=at - longest - KEEP).delete()
    return enqueued
