"""A pool of worker processes that run Django as their caller does, without forking it.

Forking a process that runs threads (the Typst compiler's, a task worker's, a test server's)
may leave the child waiting forever on a lock a thread held at the fork (Python 3.12 warns:
"This process is multi-threaded, use of fork() may lead to deadlocks"). The workers are
therefore new interpreters (multiprocessing's "spawn", with the caller's environment). Before
its first task each one sets Django up as the caller runs it at that moment: the same
settings module, the settings the caller changed since (``override_settings``, the test's
``MEDIA_ROOT``...) and the databases its connections use (under pytest-django, the test
database, not the one ``DATABASE_URL`` names). Each opens its own connections.

Django is imported only inside the functions: a new worker unpickles :func:`setup_worker`
before Django is set up.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
from multiprocessing.pool import Pool
from typing import Any

_UNSET = object()


def caller_settings() -> tuple[str, dict[str, Any]]:
    """The caller's settings module, and what a worker must set over it: every setting whose
    value differs from the module's (or Django's default), and the databases as the
    connections see them now."""
    from django.conf import ENVIRONMENT_VARIABLE, global_settings, settings
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connections

    # Under override_settings SETTINGS_MODULE reads None: the variable names the module then.
    module_name = settings.SETTINGS_MODULE or os.environ.get(ENVIRONMENT_VARIABLE)
    if not module_name:
        raise ImproperlyConfigured("worker processes need DJANGO_SETTINGS_MODULE")
    module = importlib.import_module(module_name)
    changed = {}
    for name in dir(settings):
        if not name.isupper() or name == "DATABASES":
            continue
        value = getattr(settings, name)
        if value != getattr(module, name, getattr(global_settings, name, _UNSET)):
            changed[name] = value
    changed["DATABASES"] = {alias: dict(config) for alias, config in connections.settings.items()}
    return module_name, changed


def setup_worker(module_name: str, changed: dict[str, Any]) -> None:
    """In a new worker, before its first task: Django set up with the caller's settings."""
    os.environ["DJANGO_SETTINGS_MODULE"] = module_name
    import django
    from django.conf import settings

    for name, value in changed.items():
        setattr(settings, name, value)  # before any connection or storage reads them
    django.setup()


def django_pool(processes: int) -> Pool:
    """A pool of ``processes`` new processes, each running Django with the caller's settings
    (:func:`caller_settings`, read now). Use it as a context manager."""
    context = multiprocessing.get_context("spawn")
    return context.Pool(processes, initializer=setup_worker, initargs=caller_settings())


__all__ = ["caller_settings", "django_pool", "setup_worker"]
