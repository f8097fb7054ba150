"""Headers of the mail clausier sends in answer to a received message: a new Message-ID in our
own domain (a message coming back with it is recognised as a loop) and the threading headers
(RFC 5322 3.6.4) that keep the answer in the sender's thread."""

from __future__ import annotations

from email.utils import make_msgid

from clausier.inbox.models import InboundMessage
from clausier.inbox.threading import thread_keys

# Long threads: keep the first reference (the thread's root) and the latest ones.
MAX_REFERENCES = 20


def new_message_id(domain: str) -> str:
    """A new unique ``<...@domain>``."""
    return make_msgid(domain=domain)


def reply_headers(*, to: InboundMessage | None, own_message_id: str) -> dict[str, str]:
    """Message-ID, and when answering ``to`` its In-Reply-To and References (its references,
    then its own Message-ID, RFC 5322 3.6.4)."""
    headers = {"Message-ID": own_message_id}
    if to is None or not to.message_id_header:
        return headers
    references = [r for r in to.references if r != to.message_id_header]
    if to.in_reply_to and to.in_reply_to not in references:
        references.append(to.in_reply_to)
    references.append(to.message_id_header)
    if len(references) > MAX_REFERENCES:
        references = [references[0], *references[-(MAX_REFERENCES - 1) :]]
    headers["In-Reply-To"] = to.message_id_header
    headers["References"] = " ".join(references)
    return headers


__all__ = ["new_message_id", "reply_headers", "thread_keys"]
