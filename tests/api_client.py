"""The API tests' kit, wherever they sit (``tests/<domain>/test_api*.py``, ``tests/api/``):
a JSON client for ``/api/v1`` and the fixtures around it, two sellers with a live token each.

A pytest plugin (``pytest_plugins`` in ``tests/conftest.py``): a domain's own conftest or test
module may override any of these fixtures (``agency`` above all).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from clausier.api.services import create_token


@dataclass
class Api:
    """The Django test client speaking JSON to ``/api/v1``, with ``secret`` as bearer token."""

    client: Client
    secret: str | None = None

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: str | None = None,
        form: dict | None = None,
        key: str | None = None,
        **extra,
    ):
        """``body`` as JSON, ``raw`` as is, or ``form`` (fields and files) as multipart;
        ``key``: the ``Idempotency-Key`` header."""
        if self.secret is not None:
            extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.secret}")
        if key is not None:
            extra["HTTP_IDEMPOTENCY_KEY"] = key
        if form is not None:
            extra["data"] = form  # the test client encodes a dict as multipart/form-data
        elif raw is not None or body is not None:
            extra["data"] = raw if raw is not None else json.dumps(body)
            extra["content_type"] = "application/json"
        return getattr(self.client, method.lower())(f"/api/v1{path}", **extra)

    def get(self, path: str, **extra):
        return self.call("GET", path, **extra)

    def post(self, path: str, body: Any = None, **extra):
        return self.call("POST", path, body, **extra)

    def patch(self, path: str, body: Any = None, **extra):
        return self.call("PATCH", path, body, **extra)

    def delete(self, path: str, **extra):
        return self.call("DELETE", path, **extra)


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def token_and_secret(seller):
    return create_token(seller=seller, name="ERP", by=None)


@pytest.fixture
def api(client, token_and_secret) -> Api:
    return Api(client, token_and_secret[1])


@pytest.fixture
def other_api(client, other_seller) -> Api:
    """The other seller's token: it must never reach ``seller``'s objects."""
    return Api(client, create_token(seller=other_seller, name="Other", by=None)[1])


@pytest.fixture
def anonymous(client) -> Api:
    return Api(client)


@pytest.fixture
def mail_now(settings):
    """Tasks run at once and mail stays in ``django.core.mail.outbox``: sending a quote
    e-mails its PDF after the commit."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


@pytest.fixture
def agency_token_and_secret(agency):
    return create_token(seller=agency, name="CRM", by=None)


@pytest.fixture
def agency_api(client, agency_token_and_secret) -> Api:
    return Api(client, agency_token_and_secret[1])
