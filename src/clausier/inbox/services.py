"""Writes of the inbox: mailboxes, and every message received.

:func:`receive` stores the raw bytes first, in a transaction of their own (nothing is lost
when parsing fails or the process dies), then parses them in another: ``parsed`` (the fields,
the attachments, :class:`~clausier.inbox.events.MessageReceived` for a message of a mailbox)
or ``failed`` with the error, the raw kept. The same Message-ID delivered twice to one
mailbox (an MTA's retry, an IMAP message fetched again) is stored once: the second delivery
is answered as received and changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from clausier.audit.services import insert_recorded, record_event, save_changes
from clausier.documents.stored import sha256_of, write_once
from clausier.inbox import loops, parsing
from clausier.inbox import transitions as t
from clausier.inbox.events import MessageReceived
from clausier.inbox.models import (
    InboundAttachment,
    InboundMessage,
    Mailbox,
    MessageStatus,
    Source,
)
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import only_fields
from clausier.kernel.events import publish
from clausier.sellers.models import Seller

MAILBOX_FIELDS = frozenset(
    {
        "address",
        "active",
        "unknown_senders",
        "imap_host",
        "imap_port",
        "imap_ssl",
        "imap_user",
        "imap_folder",
        "imap_password_env",
    }
)
ERROR_CHARS = 2000


class TooLarge(ValidationError):
    """A message over ``INBOX_MAX_MESSAGE_BYTES``: refused before anything is stored."""


@dataclass(frozen=True)
class Receipt:
    message: InboundMessage
    duplicate: bool  # already stored by an earlier delivery: nothing changed


# --- mailboxes ------------------------------------------------------------------------------


def _mailbox_summary(mailbox: Mailbox) -> dict[str, Any]:
    # The password's variable name only: the secret itself is never stored anywhere.
    return {name: getattr(mailbox, name) for name in sorted(MAILBOX_FIELDS)}


@transaction.atomic
def create_mailbox(*, seller: Seller, address: str, by: Actor, **fields: Any) -> Mailbox:
    """A new support address of ``seller`` (unique across sellers)."""
    fields = dict(only_fields(fields, MAILBOX_FIELDS - {"address"}))
    mailbox = Mailbox(seller=seller, address=(address or "").strip().lower(), **fields)
    insert_recorded(
        instance=mailbox, by=by, verb="inbox.mailbox_created", after=_mailbox_summary(mailbox)
    )
    return mailbox


@transaction.atomic
def update_mailbox(*, mailbox: Mailbox, fields: dict[str, Any], by: Actor) -> Mailbox:
    mailbox = Mailbox.objects.select_for_update(of=("self",)).get(pk=mailbox.pk)
    fields = dict(only_fields(fields, MAILBOX_FIELDS))
    if "address" in fields:
        fields["address"] = (fields["address"] or "").strip().lower()
    save_changes(
        instance=mailbox, fields=fields, by=by, seller=mailbox.seller, verb="inbox.mailbox_updated"
    )
    return mailbox


def _base_address(address: str) -> str:
    """``support+tag@example.org`` read as ``support@example.org`` (sub-addressing)."""
    local, at, domain = address.strip().strip("<>").lower().rpartition("@")
    return f"{local.split('+')[0]}{at}{domain}" if at else domain


def _mailbox_for(recipients: Sequence[str]) -> Mailbox | None:
    """The active mailbox of the first recipient that has one."""
    wanted = [_base_address(r) for r in recipients if r]
    found = {
        m.address: m
        for m in Mailbox.objects.filter(address__in=wanted, active=True).select_related("seller")
    }
    return next((found[a] for a in wanted if a in found), None)


# --- messages -------------------------------------------------------------------------------


def _existing(mailbox: Mailbox | None, key: str) -> InboundMessage | None:
    return InboundMessage.objects.filter(mailbox=mailbox, dedup_key=key).first()


def _store(
    *, raw: bytes, source: str, recipients: Sequence[str], by: Actor
) -> tuple[InboundMessage, bool]:
    """The raw message inserted and committed on its own; (message, created)."""
    mailbox = _mailbox_for(recipients)
    sha256 = sha256_of(raw)
    key = parsing.dedup_key(raw) or f"sha256:{sha256}"
    if (found := _existing(mailbox, key)) is not None:
        return found, False
    message = InboundMessage(
        mailbox=mailbox,
        seller=mailbox.seller if mailbox else None,
        source=Source(source),
        received_at=aware_now(),
        recipients=[r.lower() for r in recipients],
        raw=raw,
        raw_size=len(raw),
        sha256=sha256,
        dedup_key=key,
    )
    try:
        with transaction.atomic():
            message.save(force_insert=True)
            record_event(
                actor=by,
                seller=message.seller,
                obj=message,
                verb="inbox.message_received",
                after={"source": source, "size": len(raw), "recipients": message.recipients},
            )
    except IntegrityError:
        # A concurrent delivery of the same message committed first.
        found = _existing(mailbox, key)
        if found is None:
            raise
        return found, False
    return message, True


def _context_for(message: InboundMessage) -> loops.Context:
    own = {message.mailbox.address} if message.mailbox_id else set()
    return loops.Context(own_domain=settings.INBOX_MESSAGE_ID_DOMAIN, own_addresses=frozenset(own))


def _store_attachments(message: InboundMessage, attachments: list[parsing.Attachment]) -> None:
    limit = settings.UPLOAD_MAX_BYTES["attachment"]
    for position, found in enumerate(attachments, start=1):
        sha256 = hashlib.sha256(found.content).hexdigest()
        attachment = InboundAttachment(
            message=message,
            position=position,
            filename=found.filename,
            content_type=found.content_type[:200],
            size=len(found.content),
            sha256=sha256,
            too_large=len(found.content) > limit,
        )
        if not attachment.too_large:
            name = (
                f"inbox/{message.pk}/{position}-{sha256[:12]}-{get_valid_filename(found.filename)}"
            )
            attachment.file.name = write_once(attachment.file, name[:250], found.content, sha256)
        attachment.save(force_insert=True)


PARSED_FIELDS = (
    "message_id_header",
    "in_reply_to",
    "references",
    "from_address",
    "to_addresses",
    "cc_addresses",
    "date_header",
    "text_body",
    "html_body",
    "automatic_reason",
)
# What a parse writes (never the raw bytes, written once).
WRITTEN_BY_PARSE = (
    *PARSED_FIELDS,
    "subject",
    "from_name",
    "automatic",
    "status",
    "error",
    "parsed_at",
)


def _apply(message: InboundMessage, parsed: parsing.Parsed) -> None:
    for name in PARSED_FIELDS:
        setattr(message, name, getattr(parsed, name))
    message.subject = parsed.subject
    message.from_name = parsed.from_name[:300]
    message.automatic = bool(parsed.automatic_reason)
    message.status = MessageStatus.PARSED
    message.error = ""
    message.parsed_at = aware_now()


@transaction.atomic
def _read(*, message_id: int, by: Actor, verb: str) -> InboundMessage:
    """Parse a stored message under its row lock: ``parsed`` (attachments stored, the fact
    published) or ``failed`` with the parser's error."""
    message = (
        InboundMessage.objects.select_for_update(of=("self",))
        .select_related("mailbox", "seller")
        .get(pk=message_id)
    )
    if message.status == MessageStatus.PARSED:
        return message  # a concurrent delivery parsed it first
    try:
        parsed = parsing.parse(bytes(message.raw), context=_context_for(message))
    except Exception as error:  # any parser error leaves the message failed, raw kept
        t.check(label=str(message), current=message.status, target=t.FAILED)
        message.status = MessageStatus.FAILED
        message.error = f"{type(error).__name__}: {error}"[:ERROR_CHARS]
        message.save(update_fields=["status", "error"])
        record_event(
            actor=by,
            seller=message.seller,
            obj=message,
            verb=verb,
            after={"status": message.status, "error": message.error},
        )
        return message
    t.check(label=str(message), current=message.status, target=t.PARSED)
    _apply(message, parsed)
    message.save(update_fields=WRITTEN_BY_PARSE)
    _store_attachments(message, parsed.attachments)
    record_event(
        actor=by,
        seller=message.seller,
        obj=message,
        verb=verb,
        after={
            "status": message.status,
            "automatic_reason": message.automatic_reason,
            "attachments": len(parsed.attachments),
        },
    )
    if message.mailbox_id:
        publish(MessageReceived(seller_id=message.seller_id, message_id=message.pk))
    return message


def receive(*, raw: bytes, source: str, recipients: Sequence[str], by: Actor) -> Receipt:
    """Store ``raw`` (committed first), then parse it. A message already stored for the same
    mailbox comes back as a duplicate, unchanged (parsed now only if a crash left it
    unread)."""
    limit = settings.INBOX_MAX_MESSAGE_BYTES
    if len(raw) > limit:
        raise TooLarge(
            _("message de %(size)s octets refusé : au plus %(limit)s octets")
            % {"size": len(raw), "limit": limit},
            code="too_large",
        )
    message, created = _store(raw=raw, source=source, recipients=recipients, by=by)
    if not created and message.status != MessageStatus.STORED:
        return Receipt(message=message, duplicate=True)
    message = _read(message_id=message.pk, by=by, verb="inbox.message_parsed")
    return Receipt(message=message, duplicate=not created)


def reparse(*, message: InboundMessage, by: Actor) -> InboundMessage:
    """Parse again a message that failed (after a fix of the parser), or one a crash left
    unread. A parsed message is final: refused by the state table."""
    t.check(label=str(message), current=message.status, target=t.PARSED)
    return _read(message_id=message.pk, by=by, verb="inbox.message_reparsed")
