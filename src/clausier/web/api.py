"""The kit every domain's API router uses: who is calling, input and error schemas.

A domain's ``api.py`` is a ninja ``Router`` mounted by the ``api`` shell, which also
authenticates the token (``Authorization: Bearer <secret>``), maps errors to JSON and makes
every POST idempotent. A router reads the token's seller with
``sellers.access.api_scope`` and documents its answers with :func:`responses`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema
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
