"""Which characters the printed documents can show: text none of the print fonts has is
refused where it is typed, never discovered when a PDF fails to print.

Typst's PDF/A export refuses a character none of its fonts has (it never draws an empty
glyph): the fonts are those of :data:`clausier.documents.typst.FONT_DIRS` (Liberation Sans,
DejaVu Sans for symbols, Droid Sans Fallback for Chinese and Japanese), and Typst falls back
on any of them. A character is printable when one of these fonts maps it, or when it prints
nothing at all (spaces, line breaks, invisible format characters).

    unprintable("Tarte ☠ 中文")      # [] : DejaVu and Droid have them
    unprintable("Offre 😀")          # ["😀"]
    validate_printable(value)        # a Django validator for the printed fields
"""

from __future__ import annotations

import contextlib
import threading
import unicodedata
from functools import cache

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fontTools.ttLib import TTFont

from clausier.documents.typst import FONT_DIRS

# Bidirectional embeddings, overrides and isolates: invisible, they reorder what is shown
# around them (a "Trojan Source" amount or IBAN reads differently on screen and in the data).
# They are format characters (Cf) that would otherwise pass as printing nothing.
BIDI_CONTROLS: dict[str, str] = {
    "\u202a": gettext_lazy("intégration gauche-à-droite"),
    "\u202b": gettext_lazy("intégration droite-à-gauche"),
    "\u202c": gettext_lazy("fin d'intégration ou de forçage"),
    "\u202d": gettext_lazy("forçage gauche-à-droite"),
    "\u202e": gettext_lazy("forçage droite-à-gauche"),
    "\u2066": gettext_lazy("isolat gauche-à-droite"),
    "\u2067": gettext_lazy("isolat droite-à-gauche"),
    "\u2068": gettext_lazy("isolat selon le premier caractère"),
    "\u2069": gettext_lazy("fin d'isolat"),
}

# Characters that print nothing: their absence from a font does not matter. (Combining marks
# do print: they need a glyph like any letter.)
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cf"})

# The characters a multi-line text keeps and a one-line field refuses, by their names.
LINE_BREAKS: dict[str, str] = {
    "\t": gettext_lazy("tabulation"),
    "\n": gettext_lazy("retour à la ligne"),
    "\r": gettext_lazy("retour chariot"),
}


_READING = threading.Lock()


def printable_codepoints() -> frozenset[int]:
    """Every code point one of the print fonts maps to a glyph (read once per process,
    under a second, in the background as the process starts: :func:`warm_up`); a caller
    that comes while they are being read waits for them rather than reading them again."""
    with _READING:
        return read_codepoints()


def warm_up() -> None:
    """Read the print fonts now (the documents app does, in a thread, as a process starts).
    Missing fonts are not reported here but by the first check that needs them."""
    with contextlib.suppress(ImproperlyConfigured):
        printable_codepoints()


@cache
def read_codepoints() -> frozenset[int]:
    """The code points of every print font, read from the font files."""
    codepoints: set[int] = set()
    paths = [path for folder in FONT_DIRS for path in sorted(folder.glob("*.[ot]tf"))]
    if not paths:
        raise ImproperlyConfigured(
            f"No print font in {', '.join(map(str, FONT_DIRS))}: install them (make install)."
        )
    for path in paths:
        with TTFont(path, lazy=True) as font:
            codepoints.update(font.getBestCmap() or {})
    return frozenset(codepoints)


def _prints(character: str, *, multiline: bool = True) -> bool:
    if character in LINE_BREAKS:
        return multiline
    if character in BIDI_CONTROLS:
        return False
    category = unicodedata.category(character)
    if category == "Cc" or category == "Cs" or category == "Co" or category == "Cn":
        return False  # control, surrogate, private use or unassigned: never printed
    return category in _INVISIBLE_CATEGORIES or ord(character) in printable_codepoints()


def unprintable(text: str, *, multiline: bool = True) -> list[str]:
    """The distinct characters of ``text`` no print font has, in order of appearance:
    control characters (tab and line breaks only in a ``multiline`` text) and bidirectional
    controls among them."""
    missing: dict[str, None] = {}
    for character in text:
        if character not in missing and not _prints(character, multiline=multiline):
            missing[character] = None
    return list(missing)


def describe(character: str) -> str:
    """``« ☠ » (U+2620)``: a character and its code point, for an error message; an invisible
    control by its code point and its name (``U+202E (forçage droite-à-gauche)``,
    ``U+0009 (tabulation)``)."""
    names = BIDI_CONTROLS | LINE_BREAKS
    if character in names:
        return f"U+{ord(character):04X} ({names[character]})"
    if unicodedata.category(character) == "Cc":
        return f"U+{ord(character):04X} ({_('caractère de contrôle')})"
    shown = character if unicodedata.category(character) not in ("Cc", "Cs", "Cn") else ""
    return f"« {shown} » (U+{ord(character):04X})" if shown else f"U+{ord(character):04X}"


def validate_printable(value: str, *, multiline: bool = True) -> None:
    """A Django validator: ``value`` holds only characters the documents can print (no
    control character but tab and line breaks, these only when ``multiline``; no
    bidirectional control). A one-line field names the tab or line break it refuses."""
    missing = unprintable(str(value or ""), multiline=multiline)
    breaks = [c for c in missing if c in LINE_BREAKS]
    controls = [
        c
        for c in missing
        if c not in LINE_BREAKS and (c in BIDI_CONTROLS or unicodedata.category(c) == "Cc")
    ]
    others = [c for c in missing if c not in breaks and c not in controls]
    errors = []
    if breaks:
        errors.append(
            ValidationError(
                _("Ce champ tient sur une seule ligne : retirez-en %(characters)s.")
                % {"characters": ", ".join(describe(c) for c in breaks)},
                code="line_break",
            )
        )
    if controls:
        errors.append(
            ValidationError(
                _("Ces caractères invisibles ne sont pas acceptés : %(characters)s. Retirez-les.")
                % {"characters": ", ".join(describe(c) for c in controls[:5])},
                code="control_character",
            )
        )
    if others:
        errors.append(
            ValidationError(
                _(
                    "Ces caractères ne peuvent pas être imprimés sur les documents (aucune "
                    "police ne les contient) : %(characters)s. Retirez-les ou remplacez-les par "
                    "du texte."
                )
                % {"characters": ", ".join(describe(c) for c in others[:5])},
                code="unprintable",
            )
        )
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationError(errors)


def validate_single_line(value: str) -> None:
    """:func:`validate_printable` for a one-line field (a name, an address line, a
    reference, a subject): no tab or line break either, each named in words."""
    validate_printable(value, multiline=False)


__all__ = [
    "BIDI_CONTROLS",
    "LINE_BREAKS",
    "describe",
    "printable_codepoints",
    "unprintable",
    "validate_printable",
    "validate_single_line",
    "warm_up",
]
