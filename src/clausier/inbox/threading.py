"""Threading keys of received messages, for the apps that group them (support's tickets).

Pure helpers: the Message-IDs a message names (its own, the one it answers, the thread's
references) and a ticket token in its subject, found with the caller's pattern.
"""

from __future__ import annotations

import re
from typing import Protocol

MSG_ID = re.compile(r"<[^<>\s]+>")


class Threaded(Protocol):
    message_id_header: str
    in_reply_to: str
    references: list[str]


def msg_ids(value: str | None) -> list[str]:
    """The ``<id@domain>`` of a header value, in order, each once."""
    found: list[str] = []
    for msg_id in MSG_ID.findall(value or ""):
        if msg_id not in found:
            found.append(msg_id)
    return found


def thread_keys(message: Threaded) -> tuple[str, ...]:
    """Message-ID, In-Reply-To, then the References in their order, each once, none empty:
    the ids to look a thread up by."""
    keys: list[str] = []
    for key in (message.message_id_header, message.in_reply_to, *message.references):
        if key and key not in keys:
            keys.append(key)
    return tuple(keys)


def subject_token(subject: str | None, pattern: str | re.Pattern[str]) -> str | None:
    """The token ``pattern`` finds in ``subject`` (its first group when it has one, e.g.
    ``r"\\[#(T-\\d{4}-\\d{6})\\]"`` gives ``T-2026-000123``), or None."""
    found = re.search(pattern, subject or "")
    if found is None:
        return None
    return found.group(1) if found.re.groups else found.group(0)
