"""The shell's tests (auth, errors and docs, idempotency, the permission matrix) use the API
kit of ``tests/api_client.py``; they store evidence (e-mails, scans) without an API client
too, so the temporary ``MEDIA_ROOT`` is on for each of them."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(media_in_tmp):
    pass
