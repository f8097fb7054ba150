"""The LMTP / SMTP listener an MTA forwards the support addresses to (aiosmtpd).

Each recipient's copy goes through :func:`clausier.inbox.services.receive` (stored raw, then
parsed). The answers are what an MTA acts on: ``250`` stored (or already stored: a retry),
``552`` over the size limit (refused at once by aiosmtpd while reading, or by the service),
``451`` when it cannot be stored (the database down, a full disk...: the MTA keeps the
message and retries; never a permanent refusal, which would bounce it). LMTP
answers once per recipient after the data (RFC 2033 4.2); SMTP once for the message.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from clausier.inbox import services
from clausier.inbox.models import Source

logger = logging.getLogger(__name__)

STORED = "250 2.0.0 Message stored"
TOO_BIG = "552 5.3.4 Message too big"
TEMPFAIL = "451 4.3.0 Temporary failure, please retry"


def with_return_path(raw: bytes, mail_from: str | None) -> bytes:
    """The message as delivered: the envelope sender in front as ``Return-Path`` (RFC 5321
    4.4, the final delivery's job), ``<>`` for a bounce; unchanged if it already has one."""
    if raw[:12].lower() == b"return-path:":
        return raw
    sender = (mail_from or "").strip().strip("<>")
    return b"Return-Path: <" + sender.encode("utf-8", "replace") + b">\r\n" + raw


def deliver(*, raw: bytes, recipients: Sequence[str], source: str) -> str:
    """Receive one copy for ``recipients``; the reply line for the MTA."""
    close_old_connections()
    try:
        receipt = services.receive(raw=raw, source=source, recipients=recipients, by=None)
    except services.TooLarge:
        return TOO_BIG
    except Exception:  # database down, disk full: never a bounce, a retry
        logger.exception("inbox: message for %s not stored, MTA told to retry", recipients)
        return TEMPFAIL
    logger.info(
        "inbox: message %s for %s %s (%s)",
        receipt.message.pk,
        ",".join(recipients),
        "already stored" if receipt.duplicate else "stored",
        receipt.message.status,
    )
    return STORED


class Handler:
    def __init__(self, *, lmtp: bool) -> None:
        self.lmtp = lmtp
        self.source = Source.LMTP if lmtp else Source.SMTP

    async def handle_DATA(self, server, session, envelope: Envelope) -> str:
        raw = with_return_path(envelope.original_content or b"", envelope.mail_from)
        replies = [
            await sync_to_async(deliver, thread_sensitive=True)(
                raw=raw, recipients=[recipient], source=self.source
            )
            for recipient in envelope.rcpt_tos
        ]
        if self.lmtp:
            return "\r\n".join(replies)
        # SMTP: one answer for all; a temporary failure of one copy asks the MTA to retry
        # (the copies already stored are recognised then, by their Message-ID).
        for worst in (TEMPFAIL, TOO_BIG):
            if worst in replies:
                return worst
        return STORED


class GatewayController(Controller):
    """aiosmtpd's threaded controller serving LMTP (``lmtp=True``) or SMTP."""

    def __init__(self, *, lmtp: bool, hostname: str, port: int) -> None:
        self.lmtp = lmtp
        super().__init__(
            Handler(lmtp=lmtp),
            hostname=hostname,
            port=port,
            data_size_limit=settings.INBOX_MAX_MESSAGE_BYTES,
            enable_SMTPUTF8=True,
        )

    def factory(self):
        server = LMTP if self.lmtp else SMTP
        return server(self.handler, **self.SMTP_kwargs)


def host_port(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:24`` for IPv6) read, or ValueError."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise ValueError(f"{value!r}: expected HOST:PORT, e.g. 127.0.0.1:2424")
    return host.strip("[]"), int(port)
