"""A printed document kept as a file, written once: its SHA-256, its bytes stored under a
name of the caller's choosing (made of the document and the start of its hash, so a file
never replaces another one with different bytes), read back as they were stored.

Knows no domain: the caller picks the name, holds the row lock and records the file on its
row (compare-and-set, see ``invoicing.delivery.ensure_pdf``).
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

from clausier.documents.typst import check_image

logger = logging.getLogger(__name__)


def sha256_of(content: bytes) -> str:
    """The SHA-256 of ``content``, in hexadecimal (64 characters)."""
    return hashlib.sha256(content).hexdigest()


def write_once(field: FieldFile, name: str, content: bytes, sha256: str | None = None) -> str:
    """Store ``content`` as ``name`` in the storage of ``field`` and return the name stored.
    A file already there with the same bytes is reused (a write rolled back and taken again,
    a crash between the file and the row); one with other bytes is left alone and the
    storage picks a free name. ``sha256``: the hash of ``content`` when the caller has it."""
    sha256 = sha256 or sha256_of(content)
    storage = field.storage
    if storage.exists(name):
        with storage.open(name, "rb") as existing:
            if sha256_of(existing.read()) == sha256:
                return name
    return storage.save(name, ContentFile(content))


def read_file(field: FieldFile) -> bytes:
    """The bytes of the file stored in ``field``."""
    with field.storage.open(field.name, "rb") as stored:
        return stored.read()


def printable_logo(field: FieldFile) -> bytes | None:
    """The image stored in ``field`` (a seller's logo) when a document can print it, else
    None: no file, an unreadable one or not a PNG/JPEG image (logged: the document is then
    printed without it rather than not at all)."""
    if not field:
        return None
    try:
        image = read_file(field)
        check_image(image)
    except (OSError, ValueError):
        logger.warning("logo %s unreadable: document printed without it", field.name)
        return None
    return image


__all__ = ["printable_logo", "read_file", "sha256_of", "write_once"]
