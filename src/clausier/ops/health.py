"""What /readyz checks: each check answers "ok" or raises; the reason is logged, never
shown (the endpoint is public)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("clausier.health")


def database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def migrations() -> None:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        raise RuntimeError(f"{len(plan)} migration(s) not applied: {names}")


def task_queue() -> None:
    list(DBTaskResult.objects.order_by().values_list("pk", flat=True)[:1])


def media_storage() -> None:
    storage = storages["default"]
    name = storage.save(f"readyz/{uuid.uuid4().hex}", ContentFile(b"ready"))
    storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": database,
    "migrations": migrations,
    "task_queue": task_queue,
    "media_storage": media_storage,
}


def readiness() -> dict[str, str]:
    """``{check: "ok" | "failed"}`` for every check of :data:`CHECKS`."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure means "not ready"; the reason goes to the log
            logger.exception("readiness check %s failed", name)
            results[name] = "failed"
        else:
            results[name] = "ok"
    return results
