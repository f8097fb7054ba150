"""A JSON client for the API tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.test import Client


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
