"""Reading a raw message with the standard ``email`` package: headers decoded (RFC 2047),
addresses, threading ids, the text and HTML bodies, the attachments (names per RFC 2231 or
2047) and whether the message is automatic (:mod:`clausier.inbox.loops`).

Pure: bytes in, a :class:`Parsed` out, or :class:`ParseError` for a message whose structure
cannot be trusted (a multipart without its boundary, a text in an unknown charset). The
caller keeps the raw bytes whatever happens.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import errors, message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

from clausier.inbox import loops
from clausier.inbox.threading import msg_ids

# Defects that mean the MIME tree is not what the sender wrote: parts would be guessed.
FATAL_DEFECTS = (
    errors.StartBoundaryNotFoundDefect,
    errors.MultipartInvariantViolationDefect,
)


class ParseError(ValueError):
    """The message cannot be read faithfully; the reason, in English, is kept for staff."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Parsed:
    message_id_header: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    subject: str = ""
    from_address: str = ""
    from_name: str = ""
    to_addresses: list[str] = field(default_factory=list)
    cc_addresses: list[str] = field(default_factory=list)
    date_header: datetime | None = None
    text_body: str = ""
    html_body: str = ""
    automatic_reason: str = ""
    attachments: list[Attachment] = field(default_factory=list)


def dedup_key(raw: bytes) -> str:
    """The Message-ID as delivered, read by the lenient header parser (never raises on a
    broken body), or "" when the message has none."""
    try:
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
        value = str(headers.get("Message-ID") or "").strip()
    except Exception:  # the raw message is stored whatever its state
        return ""
    return " ".join(value.split())[:500]


def header_recipients(raw: bytes) -> list[str]:
    """The addresses a message was delivered to by its headers (Delivered-To, X-Original-To,
    To, Cc), for a pipe that was not told its mailbox."""
    try:
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
    except Exception:  # headers beyond reading: no recipient from them
        return []
    values = []
    for name in ("Delivered-To", "X-Original-To", "To", "Cc"):
        values += [str(v) for v in headers.get_all(name) or []]
    return [address.lower() for _, address in getaddresses(values) if "@" in address]


def decoded(value: object) -> str:
    """A header's text, its RFC 2047 encoded words decoded, on one line."""
    text = "" if value is None else str(value)
    if "=?" in text:
        with contextlib.suppress(LookupError, UnicodeError, ValueError):
            text = str(make_header(decode_header(text)))
    return " ".join(text.split())


def addresses(message: EmailMessage, name: str) -> list[str]:
    values = [str(v) for v in message.get_all(name) or []]
    return [address.lower() for _, address in getaddresses(values) if address]


def date_of(message: EmailMessage) -> datetime | None:
    value = message.get("Date")
    if not value:
        return None
    try:
        when = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


class _TextOfHtml(HTMLParser):
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "head"}:
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in {"script", "style", "head"}:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The text of an HTML body, a line per block."""
    reader = _TextOfHtml()
    reader.feed(html)
    reader.close()
    lines = [" ".join(line.split()) for line in "".join(reader.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def text_of(part: EmailMessage) -> str:
    """A text part's content in its charset; an unknown charset is a ParseError."""
    charset = part.get_content_charset() or "us-ascii"
    try:
        return part.get_content()
    except LookupError as error:
        raise ParseError(
            f"unknown charset {charset!r} in a {part.get_content_type()} part"
        ) from error


def check_structure(message: EmailMessage) -> None:
    for part in message.walk():
        for defect in part.defects:
            if isinstance(defect, FATAL_DEFECTS):
                raise ParseError(
                    f"malformed MIME in a {part.get_content_type()} part: {type(defect).__name__}"
                )


def filename_of(part: EmailMessage, position: int) -> str:
    name = decoded(part.get_filename() or "")
    name = name.replace("/", "_").replace("\\", "_").strip(". ")
    return name[:200] or f"attachment-{position}"


def attachments_of(message: EmailMessage, bodies: set[int]) -> list[Attachment]:
    found = []
    for part in message.walk():
        if part.is_multipart() or id(part) in bodies or part.get_content_maintype() == "message":
            continue
        disposition = part.get_content_disposition()
        if disposition != "attachment" and not part.get_filename():
            continue
        content = part.get_payload(decode=True) or b""
        found.append(
            Attachment(filename_of(part, len(found) + 1), part.get_content_type(), content)
        )
    return found


def parse(raw: bytes, *, context: loops.Context) -> Parsed:
    """What ``raw`` says. Raises :class:`ParseError` (or the ``email`` package's own errors)
    when it cannot be read."""
    message = message_from_bytes(raw, policy=policy.default)
    if not isinstance(message, EmailMessage) or not message.keys():
        raise ParseError("no header found: not an e-mail message")
    check_structure(message)
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    html_body = text_of(html) if html is not None else ""
    text_body = text_of(plain) if plain is not None else html_to_text(html_body)
    name, address = parseaddr(str(message.get("From") or ""))
    references = msg_ids(str(message.get("References") or ""))
    return Parsed(
        message_id_header=(msg_ids(str(message.get("Message-ID") or "")) or [""])[0],
        in_reply_to=(msg_ids(str(message.get("In-Reply-To") or "")) or [""])[0],
        references=references,
        subject=decoded(message.get("Subject")),
        from_address=address.lower(),
        from_name=decoded(name),
        to_addresses=addresses(message, "To"),
        cc_addresses=addresses(message, "Cc"),
        date_header=date_of(message),
        text_body=text_body.strip(),
        html_body=html_body,
        automatic_reason=loops.automatic_reason(message, context),
        attachments=attachments_of(message, {id(p) for p in (plain, html) if p is not None}),
    )
