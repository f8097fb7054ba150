"""Pure decisions of outgoing webhooks: the Standard Webhooks signature, the retry schedule,
what counts as delivered. No ORM, no network.

Standard Webhooks (https://www.standardwebhooks.com/): the secret is ``whsec_`` followed by
the base64 of random bytes (the key); each request carries ``webhook-id`` (the message id,
the same on every retry so the receiver can deduplicate), ``webhook-timestamp`` (Unix
seconds of the attempt) and ``webhook-signature``: ``v1,`` + base64(HMAC-SHA256(key,
"{id}.{timestamp}.{body}")).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import uuid
from datetime import timedelta
from typing import Any, Final

from clausier.kernel.retries import delay_after

EVENT_TYPES: Final = (
    "service.activate",
    "service.suspend",
    "service.resume",
    "service.terminate",
    "support.page",
)
SECRET_PREFIX: Final = "whsec_"
SECRET_BYTES: Final = 32
SIGNATURE_VERSION: Final = "v1"
TIMEOUT_SECONDS: Final = 10
# Waits after the 1st, 2nd... failed attempt; after the last one the delivery has failed.
RETRY_DELAYS: Final = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=8),
)
MAX_ATTEMPTS: Final = len(RETRY_DELAYS) + 1
# While an attempt is in flight its delivery is not due again: a worker that dies mid-flight
# leaves it to be retried once this lease is over (longer than the request timeout).
LEASE: Final = timedelta(minutes=2)
EXCERPT_CHARS: Final = 500


def generate_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_...`` secret; ValueError when it is not one."""
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise ValueError(f"a webhook secret starts with {SECRET_PREFIX!r}")
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("a webhook secret is whsec_ followed by base64") from None
    if not key:
        raise ValueError("a webhook secret holds a non-empty key")
    return key


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def encode(envelope: dict[str, Any]) -> bytes:
    """The request body: compact UTF-8 JSON (signed byte for byte)."""
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value: ``v1,<base64 HMAC-SHA256>``."""
    content = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def signed_headers(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "clausier-webhooks/1",
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret=secret, msg_id=msg_id, timestamp=timestamp, body=body),
    }


def is_success(status_code: int | None) -> bool:
    """Delivered: the receiver answered 2xx (a redirect is not followed, and fails)."""
    return status_code is not None and 200 <= status_code < 300


def retry_delay(failed_attempts: int) -> timedelta | None:
    """How long to wait after ``failed_attempts`` failed attempts, or None: give up."""
    return delay_after(failed_attempts, RETRY_DELAYS)


def excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"
