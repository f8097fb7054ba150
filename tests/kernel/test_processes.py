"""Worker processes run Django as their caller does at the call, without forking it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.db import connection

from clausier.kernel.processes import django_pool


def _what_a_worker_sees() -> dict:
    return {
        "pid": os.getpid(),
        "media_root": str(settings.MEDIA_ROOT),
        "database": connection.settings_dict["NAME"],
        "language": settings.LANGUAGE_CODE,
    }


def test_a_worker_runs_with_the_callers_overridden_settings_and_databases(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "elsewhere"
    settings.LANGUAGE_CODE = "en"
    # A thread running in the caller: a fork would warn (and may deadlock), a new process not.
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with django_pool(1) as pool:
            seen = pool.apply(_what_a_worker_sees)
    finally:
        stop.set()
        thread.join()

    assert seen["pid"] != os.getpid()
    assert Path(seen["media_root"]) == tmp_path / "elsewhere"
    assert seen["language"] == "en"
    # The test database the caller uses, not the one DATABASE_URL names.
    assert seen["database"] == connection.settings_dict["NAME"]
    assert seen["database"] != dj_database_url.config()["NAME"]
