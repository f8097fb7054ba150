"""Idempotency keys: a POST retried with the same ``Idempotency-Key`` runs once.

Every POST of the API takes an optional ``Idempotency-Key`` header (1 to 255 printable ASCII
characters, else a 422 naming ``Idempotency-Key``). Keys belong to the token's seller, so two
sellers never collide and two tokens of one seller share them. For each key the API stores the
method, the path, the SHA-256 of the request body (of its fields and files' SHA-256 for a
multipart body, so that a new boundary is the same request), then the answer's status and body.

- Same key, same method, path and body: the stored answer again (same status, same JSON) with
  ``Idempotent-Replayed: true``, without running the write again.
- Same key, another path or body: 409 ``{"detail": "Idempotency-Key reused with a different
  request."}``; nothing runs.
- Errors are answers too: a 4xx is stored and replayed. A 5xx is not: the request's writes are
  rolled back with it and a retry runs afresh.
- Keys expire after 24 hours (:data:`TTL`): an older key is ignored (and replaced by the new
  request); ``clausier purge_idempotency_keys`` deletes them.

Concurrent duplicates: the first wins, the others wait. The key is claimed by inserting its row
in the same transaction as the write and its stored answer; the unique (seller, key) index
makes a second insert of the key wait until the first transaction ends. If it commits, the
waiting request finds the answer and replays it (or answers 409 for a different request); if
it rolls back (a 5xx), the waiting request runs. No request ever sees a key "in progress".

It is one hook (``api.add_decorator(idempotent, mode="view")``) around every operation: it
acts on POST only and runs after authentication (401 first), before any input is parsed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from clausier.api.auth import authenticated_token
from clausier.api.models import ApiToken, IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
META_NAME = "HTTP_IDEMPOTENCY_KEY"
TTL = timedelta(hours=24)
KEY_RE = re.compile(r"[\x20-\x7e]{1,255}")
INVALID_KEY = "1 to 255 printable ASCII characters expected"
REUSED = "Idempotency-Key reused with a different request."

Run = Callable[..., HttpResponseBase]


def idempotent(run: Run) -> Run:
    """``run`` (an operation's ``run``), made idempotent for POSTs sent with a key."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if request.method != "POST" or META_NAME not in request.META:
            return run(request, *args, **kwargs)
        token = authenticated_token(request)
        if token is None:
            return run(request, *args, **kwargs)  # the operation answers the 401
        key = request.META[META_NAME]
        if not KEY_RE.fullmatch(key):
            from clausier.api.api import invalid

            return invalid(request, {HEADER: INVALID_KEY})
        try:
            fingerprint = request_sha256(request)
        except RequestDataTooBig as too_big:
            # Read here, before the operation: answered as the operation would (JSON 413).
            from clausier.api.api import on_too_big

            return on_too_big(request, too_big)
        return _once(
            request,
            token=token,
            key=key,
            fingerprint=fingerprint,
            run=lambda: run(request, *args, **kwargs),
        )

    return wrapper


def request_sha256(request: HttpRequest) -> str:
    """The SHA-256 of the body; for multipart, of its fields and of each file's content."""
    if request.content_type != "multipart/form-data":
        return hashlib.sha256(request.body).hexdigest()
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or int(request.META.get("CONTENT_LENGTH") or 0) <= limit:
        # Read it whole first, so the raw body stays readable once the form is parsed (a
        # JSON operation sent a form then answers ninja's 400, as without a key).
        request.body  # noqa: B018
    parts: list[list[str]] = []
    for name in sorted(request.POST):
        parts += [["field", name, value] for value in request.POST.getlist(name)]
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            parts.append(["file", name, upload.name or "", digest.hexdigest()])
    canonical = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(b"multipart:" + canonical.encode("utf-8")).hexdigest()


def _once(
    request: HttpRequest,
    *,
    token: ApiToken,
    key: str,
    fingerprint: str,
    run: Callable[[], HttpResponseBase],
) -> HttpResponseBase:
    now = timezone.now()
    with transaction.atomic():
        IdempotencyKey.objects.filter(
            seller_id=token.seller_id, key=key, created_at__lte=now - TTL
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    seller_id=token.seller_id,
                    token=token,
                    key=key,
                    method=request.method,
                    path=request.path,
                    request_sha256=fingerprint,
                    created_at=now,
                )
        except IntegrityError:
            # Another request holds the key: committed by now (the insert waited for it).
            stored = IdempotencyKey.objects.get(seller_id=token.seller_id, key=key)
            return _answer_from(request, stored, fingerprint)
        response = run()
        if response.status_code >= 500:
            transaction.set_rollback(True)  # nothing stored, nothing written: retry afresh
            return response
        record.response_status = response.status_code
        record.response_content_type = response.get("Content-Type", "")
        record.response_body = response.content.decode(response.charset or "utf-8")
        record.save(update_fields=["response_status", "response_content_type", "response_body"])
        return response


def _answer_from(
    request: HttpRequest, stored: IdempotencyKey, fingerprint: str
) -> HttpResponseBase:
    from clausier.api.api import error_response

    same = (stored.method, stored.path, stored.request_sha256) == (
        request.method,
        request.path,
        fingerprint,
    )
    if not same:
        return error_response(request, 409, REUSED)
    response = HttpResponse(
        stored.response_body,
        status=stored.response_status,
        content_type=stored.response_content_type or None,
    )
    response[REPLAYED_HEADER] = "true"
    return response


def purge_expired(*, now: datetime | None = None) -> int:
    """Delete the keys older than :data:`TTL`; the number deleted."""
    cutoff = (now or timezone.now()) - TTL
    deleted, _ = IdempotencyKey.objects.filter(created_at__lte=cutoff).delete()
    return deleted


OPENAPI_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": (
        "Optional, 1 to 255 printable ASCII characters. A retry with the same key, path and "
        "body gets the first answer again (header `Idempotent-Replayed: true`) without running "
        "the write twice; the same key with another request is a 409. Keys are per seller and "
        "expire after 24 hours."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}
