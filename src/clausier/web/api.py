"""The kit every domain's API router uses: who is calling, input and error schemas.

A domain's ``api.py`` is a ninja ``Router`` mounted by the ``api`` shell, which also
authenticates the token (``Authorization: Bearer <secret>``), maps errors to JSON and makes
every POST idempotent. A router reads the token's seller with
``sellers.access.api_scope`` and documents its answers with :func:`responses`.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Schema
from pydantic import ConfigDict

PARIS = ZoneInfo("Europe/Paris")

LanguageCode = Literal[tuple(code for code, _ in settings.LANGUAGES)]  # type: ignore[valid-type]


def today_in_paris() -> date:
    """Legal dates are French dates: "today" is today in Europe/Paris."""
    return timezone.localdate(timezone=PARIS)


def token_of(request: HttpRequest) -> Any:
    """The request's live ``ApiToken`` (set by the shell's authentication)."""
    return request.auth  # type: ignore[attr-defined]


class Input(Schema):
    """An input body: an unknown field is a 422 naming it, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, str]


ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """``ok`` plus the documented error bodies of an operation (401 is always possible)."""
    return ok | {code: ERROR_SCHEMAS[code] for code in (401, *errors)}


# --- lists ----------------------------------------------------------------------------------

MAX_LIMIT = 100


class Paging(Schema):
    """A list route's page (``paging: Query[Paging]``): ``limit`` rows from ``offset``."""

    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)

    def page(self, rows: QuerySet) -> dict[str, Any]:
        """This page of ``rows`` (``items``) and how many rows there are in all (``count``)."""
        return {"count": rows.count(), "items": list(rows[self.offset : self.offset + self.limit])}


class ClientNamed(Schema):
    """An output that names its client: its ``client_name`` field is the client's name."""

    @staticmethod
    def resolve_client_name(obj) -> str:
        return obj.client.name


# --- files ----------------------------------------------------------------------------------


def binary(media_type: str, description: str) -> dict[str, Any]:
    """``openapi_extra`` of a route that answers a file of ``media_type``."""
    schema = {"type": "string", "format": "binary"}
    return {
        "responses": {
            200: {"description": description, "content": {media_type: {"schema": schema}}}
        }
    }


def download(content: bytes, *, content_type: str, filename: str, etag: bool = False):
    """The file, shown inline as ``filename``; ``etag``: tagged with its SHA-256."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if etag:
        response["ETag"] = f'"{hashlib.sha256(content).hexdigest()}"'
    return response
