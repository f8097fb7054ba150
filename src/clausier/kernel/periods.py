"""A period in words in the reader's language: "14 jours ouvrés", "14 working days".

``rules.deadlines.unit_label`` gives the French wording the rules' explanations and the
frozen documents keep (the rules know no Django); pages and prints in the reader's language
say it through gettext here.
"""

from __future__ import annotations

from django.utils.translation import ngettext


def period_words(n: int, unit: str) -> str:
    """``n`` ``unit`` (one of ``rules.deadlines.UNITS``) in the active language; an unknown
    unit is shown as given."""
    words = {
        "jours_francs": ngettext("%(n)s jour franc", "%(n)s jours francs", n),
        "jours_calendaires": ngettext("%(n)s jour calendaire", "%(n)s jours calendaires", n),
        "jours_ouvres": ngettext("%(n)s jour ouvré", "%(n)s jours ouvrés", n),
        "jours_ouvrables": ngettext("%(n)s jour ouvrable", "%(n)s jours ouvrables", n),
        "mois": ngettext("%(n)s mois", "%(n)s mois", n),
    }
    return words[unit] % {"n": n} if unit in words else f"{n} {unit}"


def unit_words(unit: str) -> str:
    """The plural name of a period's unit in the active language: "jours ouvrés",
    "working days"."""
    return period_words(2, unit).split(" ", 1)[1]


__all__ = ["period_words", "unit_words"]
