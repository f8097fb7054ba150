"""Outgoing email carrying documents, through the configured mailer (``EMAIL_URL``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str = "application/pdf"


def send_email(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    attachments: Sequence[Attachment] = (),
    reply_to: Sequence[str] = (),
    from_email: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> str:
    """Send one message and return its Message-ID (kept as delivery evidence).

    ``headers`` adds to the message's (a thread's In-Reply-To and References); a
    ``Message-ID`` given there is the message's own.

    Raises the mailer's error (``smtplib.SMTPException``, ``OSError``) when the server
    refuses or cannot be reached: the caller (a task) decides to retry.
    """
    domain = (from_email or settings.DEFAULT_FROM_EMAIL).rpartition("@")[2] or "localhost"
    extra = dict(headers or {})
    message_id = extra.pop("Message-ID", "") or make_msgid(domain=domain)
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to),
        headers={"Message-ID": message_id, **extra},
    )
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    message.send()
    return message_id
