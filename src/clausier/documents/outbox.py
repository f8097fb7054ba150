"""The development outbox: a mailer that keeps every message sent as an ``.eml`` file in a
folder (``EMAIL_URL=outbox://``, the default in debug), and its reading for the back-office's
outbox page. Nothing leaves the machine; the files are the very bytes an SMTP server would
have received (headers, body, attachments)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage as ParsedMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class EmailBackend(BaseEmailBackend):
    """Writes each message to ``<directory>/<UTC time>-<random>.eml`` (names sort by time)."""

    def __init__(self, *args, directory: str | os.PathLike | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if directory is None:
            from django.conf import settings

            directory = settings.OUTBOX_DIR
        self.directory = Path(directory)

    def send_messages(self, email_messages) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
            name = f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            partial = self.directory / f".{name}.part"
            partial.write_bytes(message.message().as_bytes())
            partial.replace(self.directory / name)  # whole files only, for the reader
            sent += 1
        return sent


@dataclass(frozen=True)
class OutboxAttachment:
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class OutboxMessage:
    """One message of the outbox, as the page shows it."""

    key: str  # the file's name without ``.eml``
    sent_at: datetime | None
    sender: str
    to: str
    cc: str
    reply_to: str
    subject: str
    body: str
    attachments: tuple[OutboxAttachment, ...]


def _parsed(path: Path) -> ParsedMessage:
    with path.open("rb") as handle:
        return BytesParser(policy=policy.default).parse(handle)


def _message(path: Path) -> OutboxMessage:
    parsed = _parsed(path)
    body = parsed.get_body(preferencelist=("plain", "html"))
    attachments = tuple(
        OutboxAttachment(
            filename=part.get_filename() or "",
            content_type=part.get_content_type(),
            size=len(part.get_payload(decode=True) or b""),
        )
        for part in parsed.iter_attachments()
    )
    try:
        sent_at = parsedate_to_datetime(parsed["Date"]) if parsed["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return OutboxMessage(
        key=path.stem,
        sent_at=sent_at,
        sender=str(parsed["From"] or ""),
        to=str(parsed["To"] or ""),
        cc=str(parsed["Cc"] or ""),
        reply_to=str(parsed["Reply-To"] or ""),
        subject=str(parsed["Subject"] or ""),
        body=body.get_content() if body is not None else "",
        attachments=attachments,
    )


def outbox_messages(directory: str | os.PathLike, *, limit: int = 200) -> list[OutboxMessage]:
    """The messages of the outbox, newest first (``limit`` at most)."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*.eml"), reverse=True)[:limit]
    return [_message(path) for path in paths]


def outbox_attachment(
    directory: str | os.PathLike, *, key: str, index: int
) -> tuple[OutboxAttachment, bytes] | None:
    """The ``index``-th attachment of the message ``key``, with its bytes; ``None`` when
    there is no such message or attachment (``key`` is a file name of the folder only)."""
    path = Path(directory) / f"{key}.eml"
    if "/" in key or "\\" in key or key.startswith(".") or not path.is_file():
        return None
    parts = list(_parsed(path).iter_attachments())
    if not 0 <= index < len(parts):
        return None
    part = parts[index]
    content = part.get_payload(decode=True) or b""
    return (
        OutboxAttachment(part.get_filename() or "", part.get_content_type(), len(content)),
        content,
    )
