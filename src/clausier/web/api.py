"""The kit every domain's API router uses: who is calling, input and error schemas.

A domain's ``api.py`` is a ninja ``Router`` mounted by the ``api`` shell, which also
authenticates the token (``Authorization: Bearer <secret>``), maps errors to JSON and makes
every POST idempotent. A router reads the token's seller with
``sellers.access.api_scope`` and documents its answers with :func:`responses`.
"""

from __future__ import annotations

import hashlib
import types
import typing
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from clausier.kernel.clock import PARIS
from clausier.kernel.inputs import MAX_UTC_OFFSET, check_date_window

LanguageCode = Literal[tuple(code for code, _ in settings.LANGUAGES)]  # type: ignore[valid-type]


def today_in_paris() -> date:
    """Legal dates are French dates: "today" is today in Europe/Paris."""
    return timezone.localdate(timezone=PARIS)


def token_of(request: HttpRequest) -> Any:
    """The request's live ``ApiToken`` (set by the shell's authentication)."""
    return request.auth  # type: ignore[attr-defined]


# --- what an input may hold -----------------------------------------------------------------

# The longest text any input field takes (a quote's notes); a field whose column is shorter
# says so itself (``Field(max_length=...)``), and the model's own check still applies.
TEXT_MAX_LENGTH = 10_000
# A document line's description: a paragraph at most, printed in a table cell.
LINE_TEXT_MAX_LENGTH = 2_000


def refuse_nul(value: Any) -> Any:
    """``value`` unchanged, or a ``ValueError`` if a text in it holds a NUL character (no
    database column can keep it: PostgreSQL refuses it)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(_("le caractère NUL (\\u0000) n'est pas accepté dans un texte"))
    elif isinstance(value, list | tuple):
        for item in value:
            refuse_nul(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_nul(key)
            refuse_nul(item)
    return value


def written_date(value: Any) -> Any:
    """A date or datetime as JSON writes one, a string (``"2026-06-01"``): a number (``0``,
    read by pydantic as seconds since 1970) is refused."""
    if value is None or isinstance(value, str | date):
        return value
    raise ValueError(_("une date s'écrit en texte ISO 8601, « 2026-06-01 »"))


def plausible_date(value: Any) -> Any:
    """``value`` unchanged if it is a date (or an aware datetime with a real offset) within
    the input window of ``clausier.kernel.inputs``; else a ``ValueError`` saying which rule."""
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is None:
            raise ValueError(_("une date et heure donne son décalage UTC (« Z », « +02:00 »)"))
        if abs(offset) > MAX_UTC_OFFSET:
            raise ValueError(_("décalage UTC hors de ±15:59"))
    if isinstance(value, date):
        try:
            check_date_window(value, "date")
        except ValidationError as refused:
            raise ValueError(refused.message_dict["date"][0]) from None
    elif isinstance(value, list | tuple):
        for item in value:
            plausible_date(item)
    return value


# Dates and datetimes of query and form parameters (a body's fields are checked by ``Input``).
Day = Annotated[date, BeforeValidator(written_date), AfterValidator(plausible_date)]
Moment = Annotated[datetime, BeforeValidator(written_date), AfterValidator(plausible_date)]
# A text of a query or form parameter.
Text = Annotated[str, StringConstraints(max_length=TEXT_MAX_LENGTH), AfterValidator(refuse_nul)]


def check_texts(**texts: str) -> None:
    """A ``ValidationError`` naming each of ``texts`` (form fields, which no ``Input``
    checks) that is longer than ``TEXT_MAX_LENGTH`` or holds a NUL character."""
    errors = {}
    for field, text in texts.items():
        if len(text) > TEXT_MAX_LENGTH:
            errors[field] = _("au plus %(n)s caractères") % {"n": TEXT_MAX_LENGTH}
        elif "\x00" in text:
            errors[field] = _("le caractère NUL (\\u0000) n'est pas accepté dans un texte")
    if errors:
        raise ValidationError(errors)


def _holds(annotation: Any, kind: type) -> bool:
    """Whether a field of type ``annotation`` holds ``kind`` values (alone, optional, listed)."""
    if isinstance(annotation, type) and issubclass(annotation, kind):
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list, tuple):
        return any(_holds(arg, kind) for arg in typing.get_args(annotation))
    return False


def _is_temporal(annotation: Any) -> bool:
    return _holds(annotation, date)  # a datetime is a date


class Input(Schema):
    """An input body: an unknown field is a 422 naming it, never silently dropped. Every
    field is checked before it reaches a service: no text longer than ``TEXT_MAX_LENGTH`` or
    holding a NUL character, dates written as strings and within the input window."""

    model_config = ConfigDict(extra="forbid", str_max_length=TEXT_MAX_LENGTH)

    @field_validator("*", mode="before")
    @classmethod
    def _as_written(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if field is None or not _holds(field.annotation, Input):  # an Input checks itself
            refuse_nul(value)
        if field is not None and _is_temporal(field.annotation):
            if isinstance(value, list):
                for item in value:
                    written_date(item)
            else:
                written_date(value)
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _plausible(cls, value: Any) -> Any:
        return plausible_date(value)


class ErrorOut(Schema):
    detail: str


class IncompleteOut(Schema):
    """A 409 for what is missing (``kernel.errors.Incomplete``): ``detail`` names each in
    words, ``missing`` lists their codes."""

    detail: str
    missing: list[str] = Field(
        default_factory=list,
        description="The codes of what is missing (`seller.siren`, `client.siren`...), when "
        "that is why the write is refused; `detail` names them in words.",
    )


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, str]


ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
}


def responses(ok: dict[int, Any], *errors: int, incomplete: bool = False) -> dict[int, Any]:
    """``ok`` plus the documented error bodies of an operation (401 is always possible);
    ``incomplete``: its 409 may list what is missing (:class:`IncompleteOut`)."""
    answers = ok | {code: ERROR_SCHEMAS[code] for code in (401, *errors)}
    if incomplete:
        answers[409] = IncompleteOut
    return answers


# --- lists ----------------------------------------------------------------------------------

MAX_LIMIT = 100
# Far past any seller's row count, far below the database's 64-bit bound.
MAX_OFFSET = 1_000_000_000


class Paging(Schema):
    """A list route's page (``paging: Query[Paging]``): ``limit`` rows from ``offset``."""

    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)

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
