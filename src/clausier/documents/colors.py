"""A seller's colour on a printed page, and the ink that reads on it."""

from __future__ import annotations

import re

DEFAULT_COLOR = "#1f4e79"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_DARK_TEXT, _LIGHT_TEXT = "#1b1f24", "#ffffff"


def brand_color(color: str | None) -> str:
    """The seller's colour as ``#rrggbb`` (the house blue when none); :class:`ValueError`
    for anything else."""
    color = color or DEFAULT_COLOR
    if not _COLOR.match(color):
        raise ValueError(f"brand_color: a colour as #RRGGBB expected, not {color!r}")
    return color.lower()


def text_on(color: str) -> str:
    """Black or white, whichever reads better on ``color`` (WCAG relative luminance)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(color[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return _DARK_TEXT if luminance > 0.35 else _LIGHT_TEXT


__all__ = ["DEFAULT_COLOR", "brand_color", "text_on"]
