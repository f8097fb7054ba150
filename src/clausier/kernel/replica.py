"""Reports and exports read from a read-only replica, when there is one.

``DATABASE_REPLICA_URL`` adds a ``replica`` database alias (settings.py). The reads made under
:func:`reporting` (the dashboard's figures, the CSV exports, the ledger check) go there;
every other read, and every write, stays on ``default``. Without a replica, or inside a
transaction of ``default`` (which must see its own writes, and a replica lags behind the
primary), the same reads go to ``default``: a report may be a few seconds old on a replica,
never wrong on its own terms, and nothing that decides a write ever reads from it.

A queryset is lazy: one built under :func:`reporting` but read later (a streamed CSV) is
pinned with :func:`for_reports`, which asks the same question at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

REPLICA = "replica"
_reporting: ContextVar[bool] = ContextVar("clausier_reporting", default=False)


def reports_database() -> str:
    """The alias report reads use now: the replica, unless there is none or ``default`` is
    inside a transaction."""
    if REPLICA not in connections.settings:
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


@contextmanager
def reporting() -> Iterator[None]:
    """Reads inside this block are a report's: the router sends them to the replica."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def report(view):
    """A view (or any function) whose reads are a report's, as :func:`reporting`."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with reporting():
            return view(*args, **kwargs)

    return wrapper


def for_reports[Q: QuerySet](queryset: Q) -> Q:
    """``queryset`` pinned to the database reports read now (for a queryset read later)."""
    return queryset.using(reports_database())


class ReplicaRouter:
    """Reads under :func:`reporting` to the replica; writes always to ``default``."""

    def db_for_read(self, model, **hints) -> str | None:
        if _reporting.get():
            return reports_database()
        return None

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # The replica holds the same rows as default.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # The replica follows the primary's schema by replication, never by migrate.
        return db != REPLICA


__all__ = ["REPLICA", "ReplicaRouter", "for_reports", "report", "reporting", "reports_database"]
