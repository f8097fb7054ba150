"""A period in words in the reader's language: "14 jours ouvrés", "14 working days".

``rules.deadlines.period`` words it (the rules know no Django); pages and prints in the
reader's language say it through the catalogue here.
"""

from __future__ import annotations

from clausier.kernel.wording import worded
from clausier.rules.deadlines import UNITS, period


def period_words(n: int, unit: str) -> str:
    """``n`` ``unit`` (one of ``rules.deadlines.UNITS``) in the active language; an unknown
    unit is shown as given."""
    return worded(period(n, unit)) if unit in UNITS else f"{n} {unit}"


def unit_words(unit: str) -> str:
    """The plural name of a period's unit in the active language: "jours ouvrés",
    "working days"."""
    return period_words(2, unit).split(" ", 1)[1]


__all__ = ["period_words", "unit_words"]
