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

import unicodedata
from functools import cache

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont

from clausier.documents.typst import FONT_DIRS

# Characters that print nothing: their absence from a font does not matter.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cf", "Mn"})
_LINE_BREAKS = frozenset("\t\n\r")


@cache
def printable_codepoints() -> frozenset[int]:
    """Every code point one of the print fonts maps to a glyph (read once per process,
    ~0.5 s)."""
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


def _prints(character: str) -> bool:
    if character in _LINE_BREAKS:
        return True
    category = unicodedata.category(character)
    if category == "Cc" or category == "Cs" or category == "Co" or category == "Cn":
        return False  # control, surrogate, private use or unassigned: never printed
    return category in _INVISIBLE_CATEGORIES or ord(character) in printable_codepoints()


def unprintable(text: str) -> list[str]:
    """The distinct characters of ``text`` no print font has, in order of appearance."""
    missing: dict[str, None] = {}
    for character in text:
        if character not in missing and not _prints(character):
            missing[character] = None
    return list(missing)


def describe(character: str) -> str:
    """``« ☠ » (U+2620)``: a character and its code point, for an error message."""
    shown = character if unicodedata.category(character) not in ("Cc", "Cs", "Cn") else ""
    return f"« {shown} » (U+{ord(character):04X})" if shown else f"U+{ord(character):04X}"


def validate_printable(value: str) -> None:
    """A Django validator: ``value`` holds only characters the documents can print."""
    missing = unprintable(str(value or ""))
    if missing:
        raise ValidationError(
            _(
                "Ces caractères ne peuvent pas être imprimés sur les documents (aucune police "
                "ne les contient) : %(characters)s. Retirez-les ou remplacez-les par du texte."
            )
            % {"characters": ", ".join(describe(c) for c in missing[:5])},
            code="unprintable",
        )


__all__ = ["describe", "printable_codepoints", "unprintable", "validate_printable"]
