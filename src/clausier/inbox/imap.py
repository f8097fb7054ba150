"""Polling a mailbox's IMAP server (imaplib): the UNSEEN messages fetched without marking them
(``BODY.PEEK[]``), each received (:func:`clausier.inbox.services.receive`, committed), and
only then flagged ``\\Seen``. A crash in between loses nothing: the message is fetched again
on the next poll and recognised by its Message-ID (stored once).
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import os
from dataclasses import dataclass, field

from clausier.inbox import services
from clausier.inbox.models import Mailbox, Source

logger = logging.getLogger(__name__)

TIMEOUT = 60


class ImapError(Exception):
    """The mailbox's server cannot be polled (settings, password, connection, answer)."""


@dataclass
class Poll:
    mailbox: str
    stored: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # IMAP uids of messages over the limit


def password_of(mailbox: Mailbox) -> str:
    """The password from the environment variable the mailbox names (never stored)."""
    name = mailbox.imap_password_env
    if not name or name not in os.environ:
        raise ImapError(f"{mailbox.address}: set the environment variable {name or '(none named)'}")
    return os.environ[name]


def connect(mailbox: Mailbox) -> imaplib.IMAP4:
    port = mailbox.imap_port or (993 if mailbox.imap_ssl else 143)
    kind = imaplib.IMAP4_SSL if mailbox.imap_ssl else imaplib.IMAP4
    try:
        client = kind(mailbox.imap_host, port, timeout=TIMEOUT)
        client.login(mailbox.imap_user or mailbox.address, password_of(mailbox))
    except (OSError, imaplib.IMAP4.error) as error:
        raise ImapError(f"{mailbox.address}: {mailbox.imap_host}:{port}: {error}") from error
    return client


def _checked(answer: tuple[str, list], what: str) -> list:
    status, data = answer
    if status != "OK":
        raise ImapError(f"{what}: {status} {data!r}")
    return data


def _fetch(client: imaplib.IMAP4, uid: bytes) -> bytes:
    data = _checked(client.uid("FETCH", uid, "(BODY.PEEK[])"), f"FETCH {uid!r}")
    for item in data:
        if isinstance(item, tuple):
            return item[1]
    raise ImapError(f"FETCH {uid!r}: no message in the answer")


def poll(mailbox: Mailbox) -> Poll:
    """Receive the mailbox's unseen messages; each flagged \\Seen once stored."""
    result = Poll(mailbox=mailbox.address)
    client = connect(mailbox)
    try:
        _checked(client.select(mailbox.imap_folder or "INBOX"), f"SELECT {mailbox.imap_folder}")
        uids = _checked(client.uid("SEARCH", None, "UNSEEN"), "SEARCH UNSEEN")[0].split()
        for uid in uids:
            raw = _fetch(client, uid)
            try:
                receipt = services.receive(
                    raw=raw, source=Source.IMAP, recipients=[mailbox.address], by=None
                )
            except services.TooLarge:
                logger.warning("inbox: %s uid %s over the size limit, left unseen", mailbox, uid)
                result.refused.append(uid.decode())
                continue
            # Committed: only now is it marked as read on the server.
            _checked(client.uid("STORE", uid, "+FLAGS", "(\\Seen)"), f"STORE {uid!r}")
            found = result.duplicates if receipt.duplicate else result.stored
            found.append(receipt.message.pk)
    except (OSError, imaplib.IMAP4.error) as error:
        raise ImapError(f"{mailbox.address}: {error}") from error
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return result
