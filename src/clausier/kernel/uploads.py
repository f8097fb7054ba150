"""What an uploaded file is, read from its first bytes and never from its name, and whether
a use of it (a logo, a quote's specification, a scanned acceptance...) accepts it.

Every service that stores an uploaded file asks :func:`upload_refusal` first and raises its
refusal as a ``ValidationError`` on its field: the form shows it next to the field, the API
answers 422 naming it, and nothing is stored. The size limits are settings
(``UPLOAD_MAX_BYTES``, one per kind of upload); a file whose name says one format and whose
content another is refused too (it would be served under the wrong type).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Format -> the bytes its files start with.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}
# An e-mail (RFC 5322) starts with a header field: a name of printable characters, a colon.
EMAIL_HEADER = re.compile(rb"[!-9;-~]+:")
EXTENSIONS: dict[str, frozenset[str]] = {
    "pdf": frozenset({".pdf"}),
    "png": frozenset({".png"}),
    "jpeg": frozenset({".jpg", ".jpeg"}),
    "gif": frozenset({".gif"}),
    "webp": frozenset({".webp"}),
    "eml": frozenset({".eml"}),
}
CONTENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "eml": "message/rfc822",
}
FORMAT_WORDS = {
    "pdf": gettext_lazy("un PDF"),
    "png": gettext_lazy("une image PNG"),
    "jpeg": gettext_lazy("une image JPEG"),
    "gif": gettext_lazy("une image GIF"),
    "webp": gettext_lazy("une image WebP"),
    "eml": gettext_lazy("un e-mail (.eml)"),
}
HEAD_BYTES = 16


def sniff(head: bytes) -> str | None:
    """The format of a file starting with ``head`` (its first bytes), or ``None``."""
    for name, signatures in SIGNATURES.items():
        if head.startswith(signatures):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if EMAIL_HEADER.match(head):
        return "eml"
    return None


def content_type(head: bytes) -> str:
    """The type a stored file is served as: from its content, else plain bytes."""
    return CONTENT_TYPES.get(sniff(head) or "", "application/octet-stream")


@dataclass(frozen=True)
class Use:
    """What an upload is for: how it is called in a refusal, the formats it accepts (``None``
    when its own parser reads the content, as an e-mail's headers) and how they are said, and
    its size limit, a key of ``settings.UPLOAD_MAX_BYTES``."""

    words: str
    formats: tuple[str, ...] | None
    expected: str
    size: str


USES = {
    "logo": Use(
        gettext_lazy("Le logo"), ("png", "jpeg"), gettext_lazy("une image PNG ou JPEG"), "logo"
    ),
    "specification": Use(
        gettext_lazy("Le cahier des charges"), ("pdf",), gettext_lazy("un PDF"), "attachment"
    ),
    "mockup": Use(
        gettext_lazy("Une maquette"),
        ("pdf", "png", "jpeg", "gif", "webp"),
        gettext_lazy("un PDF ou une image PNG, JPEG, GIF ou WebP"),
        "attachment",
    ),
    "postal_scan": Use(
        gettext_lazy("L'exemplaire signé numérisé"),
        ("pdf", "png", "jpeg"),
        gettext_lazy("un PDF ou une image PNG ou JPEG"),
        "evidence",
    ),
    "email": Use(gettext_lazy("L'e-mail d'accord"), None, "", "evidence"),
    "nda": Use(
        gettext_lazy("L'accord de confidentialité signé"),
        ("pdf",),
        gettext_lazy("un PDF"),
        "evidence",
    ),
    "ticket_attachment": Use(
        gettext_lazy("La pièce jointe"),
        ("pdf", "png", "jpeg", "gif", "webp"),
        gettext_lazy("un PDF ou une image PNG, JPEG, GIF ou WebP"),
        "attachment",
    ),
    # Read by its own parser (CAMT.053 or CSV), which refuses what it cannot read.
    "bank_statement": Use(gettext_lazy("Le relevé bancaire"), None, "", "attachment"),
    "evidence": Use(
        gettext_lazy("La pièce justificative"),
        ("pdf", "png", "jpeg", "eml"),
        gettext_lazy("un PDF, une image PNG ou JPEG, ou un e-mail (.eml)"),
        "evidence",
    ),
}


def file_head(file) -> bytes:
    """The first bytes of ``file``, which is left at its start."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def size_words(size: int) -> str:
    if size >= 1024 * 1024:
        return _("%(n)s Mo") % {"n": f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".")}
    return _("%(n)d Ko") % {"n": max(1, -(-size // 1024))}


def max_bytes(use: str) -> int:
    return settings.UPLOAD_MAX_BYTES[USES[use].size]


def upload_refusal(file, *, use: str) -> str | None:
    """Why ``file`` cannot be stored as ``use`` (a key of ``USES``), in words naming the
    rule, or ``None``."""
    rule = USES[use]
    size = file.size
    if not size:
        return _("%(what)s : le fichier est vide.") % {"what": rule.words}
    if size > max_bytes(use):
        return _("%(what)s ne peut dépasser %(max)s ; ce fichier pèse %(size)s.") % {
            "what": rule.words,
            "max": size_words(max_bytes(use)),
            "size": size_words(size),
        }
    if rule.formats is None:
        return None
    found = sniff(file_head(file))
    if found not in rule.formats:
        return _(
            "%(what)s doit être %(expected)s ; d'après son contenu, ce fichier n'en est pas un "
            "(%(found)s)."
        ) % {
            "what": rule.words,
            "expected": rule.expected,
            "found": FORMAT_WORDS[found] if found else _("format inconnu"),
        }
    suffix = PurePath(file.name or "").suffix.lower()
    if suffix and suffix not in EXTENSIONS[found]:
        return _(
            "Ce fichier se nomme « %(name)s » mais son contenu est %(found)s : renommez-le "
            "avec l'extension de son format (%(extensions)s)."
        ) % {
            "name": PurePath(file.name).name,
            "found": FORMAT_WORDS[found],
            "extensions": ", ".join(sorted(EXTENSIONS[found])),
        }
    return None
