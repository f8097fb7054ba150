"""Printed documents through Typst: one compiler per process, the data as JSON, PDF/A-3b.

    pdf = compile_pdf("invoicing/templates/invoicing/print/invoice.typ", data,
                      metadata={"title": ..., "author": ..., "subject": ...},
                      timestamp=issued_at, attachment=xml)

Templates are ``.typ`` files under each domain's ``templates/<domain>/print/``; the
compiler's root is the ``clausier`` package, so that a template imports the shared base with
a root-absolute path (``#import "/documents/templates/documents/print/base.typ": *``) and
reads nothing outside the package. Typst never fetches a package: only built-in features.

The data reach the template as one JSON string (``sys.inputs.data``: every string already
worded and formatted in Python, then given French typography by :func:`typeset`); an
attachment (the Factur-X XML) as ``sys.inputs.attachment``. The same data and timestamp give
the same bytes: a document is never re-rendered differently.

Fonts come only from the folders of :data:`FONT_DIRS` (Debian's fonts-liberation2,
fonts-dejavu-core and fonts-droid-fallback, installed by ``make install``): no system font
lookup and none of Typst's bundled fonts, so the page is the same on every machine. Typst's
PDF/A export refuses a character none of them has (it never draws a ``.notdef``).
"""

from __future__ import annotations

import json
import os
import re
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import typst
from django.utils.translation import gettext as _

# The compiler's root: templates of every domain, and the shared base, are under it.
ROOT = Path(__file__).resolve().parent.parent
BASE_TEMPLATE = "documents/templates/documents/print/base.typ"
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),  # Liberation Sans: the text
    Path("/usr/share/fonts/truetype/dejavu"),  # DejaVu Sans: symbols Liberation lacks (☠)
    Path("/usr/share/fonts/truetype/droid"),  # Droid Sans Fallback: Chinese, Japanese
)
PDF_STANDARD = "a-3b"  # PDF/A-3 allows an embedded file (the Factur-X XML); B: appearance

# --- French typography of the data -----------------------------------------------------------

NNBSP = "\u202f"  # narrow no-break space ("espace fine insécable")
ZWSP = "\u200b"  # a line-break opportunity that prints nothing
_BEFORE_PUNCT = re.compile(r"[ \u00a0]+(?=[:;!?»])")
_AFTER_GUILLEMET = re.compile(r"«[ \u00a0]*")
_NO_SPACE_BEFORE_CLOSE = re.compile(r"(?<=[^\s\u00a0\u202f])»")
_LONG_WORD = re.compile(r"[^\s\u00a0\u202f]{30,}")
_WORD_BREAK_AFTER = re.compile(r"([@/._\-])")


def _break_long_word(match: re.Match[str]) -> str:
    """Break points after @ / . _ - and every 20 characters elsewhere in a word of 30+
    characters: Typst has no ``overflow-wrap: anywhere`` (typst/typst#674)."""
    word = _WORD_BREAK_AFTER.sub(lambda m: m.group(1) + ZWSP, match.group())
    pieces = []
    for piece in word.split(ZWSP):
        while len(piece) > 24:
            pieces.append(piece[:20])
            piece = piece[20:]
        pieces.append(piece)
    return ZWSP.join(pieces)


def french_text(text: str) -> str:
    """``text`` with French typography: a narrow no-break space before ``: ; ! ?`` and ``»``
    and after ``«`` (only where a space is already there before ``: ; ! ?``, so that URLs and
    times such as "10:30" stay), and invisible break points in words too long for a cell."""
    if not text:
        return text
    text = _BEFORE_PUNCT.sub(NNBSP, text)
    if "«" in text or "»" in text:
        text = _AFTER_GUILLEMET.sub("«" + NNBSP, text)
        text = _NO_SPACE_BEFORE_CLOSE.sub(NNBSP + "»", text)
    if len(text) >= 30:
        text = _LONG_WORD.sub(_break_long_word, text)
    return text


def typeset(value: Any) -> Any:
    """Every string of ``value`` (lists and dicts walked) through :func:`french_text`."""
    if isinstance(value, str):
        return french_text(value)
    if isinstance(value, list | tuple):
        return [typeset(v) for v in value]
    if isinstance(value, dict):
        return {k: typeset(v) for k, v in value.items()}
    return value


# --- the lines table -------------------------------------------------------------------------


def line_columns() -> dict[str, str]:
    """The headings of the lines table every printed document shows (``data.columns``, read by
    ``lines-table`` of the base template), in the active language; "rate" (VAT) is printed
    only when the document charges VAT."""
    return {
        "name": _("Désignation"),
        "quantity": _("Qté"),
        "unit": _("Unité"),
        "unit_price": _("PU HT"),
        "rate": _("TVA"),
        "total": _("Montant HT"),
    }


# --- images ----------------------------------------------------------------------------------

# Image signatures Typst reads (the logo): PNG, JPEG, GIF, WebP, SVG.
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"RIFF")


# A page showing the image alone: compiled to ask Typst itself whether it can decode it.
_IMAGE_PROBE = (
    b"#set page(width: auto, height: auto, margin: 0pt)\n"
    b"#image(bytes(json(bytes(sys.inputs.data)).image))"
)


def check_image(image: bytes) -> None:
    """:class:`ValueError` unless ``image`` is a whole PNG, JPEG, GIF, WebP or SVG image
    Typst can decode (a signature alone or a truncated upload would fail the print). Typst is
    asked on a page of its own; it keeps the answer for the same bytes."""
    head = image[:512].lstrip()
    if not (image.startswith(_SIGNATURES) or head.startswith((b"<?xml", b"<svg"))):
        raise ValueError("logo: PNG, JPEG, GIF, WebP or SVG expected")
    current = printer()
    with current.lock:
        try:
            current.compiler.compile(
                input=_IMAGE_PROBE,
                format="pdf",
                sys_inputs={"data": json.dumps({"image": list(image)})},
            )
        except typst.TypstError as error:
            raise ValueError(f"logo: unreadable image ({error})") from error


def logo_data(image: bytes) -> dict[str, Any]:
    """A logo as a template takes it: its bytes as a list of ints (inputs are strings only);
    the template fits it into its frame. :class:`ValueError` for anything but a whole PNG,
    JPEG, GIF, WebP or SVG image (:func:`check_image`)."""
    check_image(image)
    return {"logo": list(image)}


# --- the compiler ----------------------------------------------------------------------------


class _Printer:
    """One ``typst.Compiler`` for the life of the process: its font book, parsed templates
    and caches are reused (a fresh compiler costs about as much again as a PDF). The
    compiler holds state (its inputs): calls are serialised by a lock. A process forked from
    this one builds its own (``pid``)."""

    def __init__(self) -> None:
        fonts = typst.Fonts(
            include_system_fonts=False,
            include_embedded_fonts=False,
            font_paths=[str(folder) for folder in FONT_DIRS],
        )
        self.compiler = typst.Compiler(root=str(ROOT), font_paths=fonts)
        self.lock = threading.Lock()
        self.pid = os.getpid()


_printer: _Printer | None = None
_printer_lock = threading.Lock()


def printer() -> _Printer:
    """The process's compiler, built on first use."""
    global _printer
    current = _printer
    if current is None or current.pid != os.getpid():
        with _printer_lock:
            if _printer is None or _printer.pid != os.getpid():
                _printer = _Printer()
            current = _printer
    return current


def compile_pdf(
    template: str,
    data: dict[str, Any],
    *,
    metadata: dict[str, str],
    timestamp: datetime,
    attachment: bytes | None = None,
    logo: bytes | None = None,
    language: str = "fr",
) -> bytes:
    """The PDF/A-3b of ``template`` (a path under :data:`ROOT`) printing ``data`` (given
    French typography here when ``language`` is French), with ``metadata`` (title, author,
    subject: the Info dictionary and the XMP say the same), dated ``timestamp`` (aware; the
    same inputs and timestamp give the same bytes). ``attachment`` (UTF-8 text) reaches the
    template as ``sys.inputs.attachment``, ``logo`` as ``data.logo``. Raises ``typst.TypstError`` (a
    template error, or a character no print font has)."""
    if timestamp.tzinfo is None:
        raise ValueError("timestamp: an aware datetime expected")
    payload = typeset(data) if language == "fr" else dict(data)
    payload["meta"] = dict(metadata)
    if logo:
        payload.update(logo_data(logo))
    inputs = {"data": json.dumps(payload, ensure_ascii=False, separators=(",", ":"))}
    if attachment is not None:
        inputs["attachment"] = attachment.decode("utf-8")
    current = printer()
    with current.lock:
        return current.compiler.compile(
            input=str(ROOT / template),
            format="pdf",
            sys_inputs=inputs,
            pdf_standards=PDF_STANDARD,
            timestamp=timestamp,
            pdf_tags=True,
        )


__all__ = [
    "BASE_TEMPLATE",
    "FONT_DIRS",
    "NNBSP",
    "ROOT",
    "ZWSP",
    "check_image",
    "compile_pdf",
    "french_text",
    "logo_data",
    "printer",
    "typeset",
]
