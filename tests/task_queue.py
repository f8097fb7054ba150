"""The task queue of production, for the tests that enqueue tasks and run them through a worker
(a plugin of tests/conftest.py): the ``task_queue`` fixture, one per backend under test.

Which backends: ``TEST_TASKS_BACKENDS`` (comma separated), default ``database`` (the
django-tasks-db queue, worked by ``clausier db_worker``). ``make test-tasks-redis`` runs the
tests marked ``tasks`` with ``TEST_TASKS_BACKENDS=redis`` and ``TASKS_BACKEND=redis``: the
queue is then in Redis (``REDIS_URL``, a database of its own claimed for the run by
``scripts/redis-test-db``) and worked by RQ's worker (``clausier rqworker``), run here in the
test's process (``SimpleWorker``: no fork, so it sees the test's database).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command


def task_backends() -> list[str]:
    return [b.strip() for b in os.environ.get("TEST_TASKS_BACKENDS", "database").split(",")]


@dataclass(frozen=True)
class Queued:
    """A task waiting in the queue: its function's path, its keyword arguments, and the
    time before which it must not run (None: as soon as a worker takes it)."""

    path: str
    kwargs: dict[str, Any]
    run_after: datetime | None


class DatabaseQueue:
    name = "database"
    settings: ClassVar = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def queued(self, path: str) -> list[Queued]:
        from django.tasks import TaskResultStatus
        from django_tasks_db.models import DBTaskResult, get_date_max

        rows = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=path)
        never = get_date_max()  # the queue's "no run_after"
        return [
            Queued(
                r.task_path, r.args_kwargs["kwargs"], None if r.run_after == never else r.run_after
            )
            for r in rows.order_by("enqueued_at")
        ]

    def work(self) -> None:
        """Run every task that is due, as ``clausier db_worker`` does, then return."""
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    def clear(self) -> None:
        pass  # the rows go with the test's transaction


class RedisQueue:
    name = "redis"
    settings: ClassVar = {
        "default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    }

    def _queue(self):
        import django_rq
        from django_tasks_rq import Job

        return django_rq.get_queue("default", job_class=Job)

    def queued(self, path: str) -> list[Queued]:
        from rq.registry import ScheduledJobRegistry

        queue = self._queue()
        scheduled = ScheduledJobRegistry(queue=queue)
        found = [(job, None) for job in queue.get_jobs()]
        for job_id in scheduled.get_job_ids():
            job = queue.fetch_job(job_id)
            at = scheduled.get_scheduled_time(job)
            found.append((job, at if at.tzinfo else at.replace(tzinfo=UTC)))
        return [Queued(job.func_name, job.kwargs, at) for job, at in found if job.func_name == path]

    def work(self) -> None:
        """Run every task that is due, as ``clausier rqworker`` does, then return."""
        call_command(
            "rqworker",
            "default",
            "--burst",
            "--with-scheduler",
            "--worker-class",
            "rq.worker.SimpleWorker",
            "--job-class",
            "django_tasks_rq.Job",
        )

    def clear(self) -> None:
        """Remove the jobs of this test (the run's Redis database holds ours only)."""
        import django_rq

        connection = django_rq.get_connection("default")
        keys = list(connection.scan_iter(match="rq:*"))
        if keys:
            connection.delete(*keys)


QUEUES = {"database": DatabaseQueue, "redis": RedisQueue}


@pytest.fixture(params=task_backends())
def task_queue(request, settings, transactional_db):
    """The production queue of one backend: tasks enqueued wait in it until ``work()``.

    The worker opens and closes its own database connections, as in production: the test's
    writes are committed (``transactional_db``), never held in a transaction it would close."""
    backend = request.param
    if backend == "redis" and "django_tasks_rq" not in django_settings.INSTALLED_APPS:
        pytest.fail("the Redis task queue needs TASKS_BACKEND=redis (make test-tasks-redis)")
    queue = QUEUES[backend]()
    settings.TASKS = queue.settings
    queue.clear()
    yield queue
    queue.clear()
