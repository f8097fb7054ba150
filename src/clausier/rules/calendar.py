"""The French public-holiday calendar and working-day arithmetic.

:class:`FrenchCalendar` knows the *jours fériés* of the Code du travail (C. trav. L3133-1) and,
for Alsace-Moselle, the two local ones (C. trav. L3134-13). It answers the three ways French
law counts days:

- ``"ouvre"`` (*jours ouvrés*): Monday to Friday, minus holidays;
- ``"ouvrable"`` (*jours ouvrables*): Monday to Saturday, minus holidays;
- ``"calendaire"`` (*jours calendaires*): every day.

The holiday dates come from the ``holidays`` package (``holidays.France``), corrected where
the package departs from the legal list (see :func:`_holidays_of`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType
from typing import Final

import holidays

from clausier.rules.errors import RuleError
from clausier.rules.wording import Words, words

NATIONAL_LAW: Final = "C. trav. L3133-1"
ALSACE_MOSELLE: Final = "Alsace-Moselle"
# The national list still applies there; L3134-13 adds two days to it.
ALSACE_MOSELLE_LAW: Final = "C. trav. L3133-1, L3134-13"

KINDS: Final = ("ouvre", "ouvrable", "calendaire")

# Python weekday numbers (Monday = 0): the last weekday each kind of day still counts.
LAST_WEEKDAY: Final[Mapping[str, int]] = MappingProxyType(
    {"ouvre": 4, "ouvrable": 5, "calendaire": 6}
)

_ONE_DAY: Final = timedelta(days=1)

WEEKDAYS_FR: Final = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# Loi n° 2004-626 made Whit Monday the default *journée de solidarité* (a worked day) from 2005
# to 2007, but never struck it from the list of fêtes légales: it stayed a jour férié. The
# ``holidays`` package drops it for those years, so it is put back.
_WHIT_MONDAY_GAP: Final = range(2005, 2008)
_WHIT_MONDAY: Final = "Lundi de Pentecôte"
_EASTER_MONDAY: Final = "Lundi de Pâques"


class FrenchCalendar:
    """The jours fériés of metropolitan France, or of Alsace-Moselle.

    ``region`` is ``None`` (the eleven national holidays, C. trav. L3133-1) or
    ``"Alsace-Moselle"`` (adds Good Friday, *Vendredi saint*, and 26 December,
    *Saint-Étienne*, C. trav. L3134-13). Overseas departments and territories have further
    holidays of their own and are not supported: any other region raises :class:`RuleError`.

    Holidays are computed once per year and region, then cached.
    """

    __slots__ = ("region",)

    def __init__(self, region: str | None = None) -> None:
        if region is not None and region != ALSACE_MOSELLE:
            raise RuleError(
                "region",
                NATIONAL_LAW,
                f"unknown region {region!r}; use None (national holidays) or {ALSACE_MOSELLE!r}",
            )
        self.region = region

    def __repr__(self) -> str:
        return f"FrenchCalendar(region={self.region!r})"

    @property
    def law(self) -> str:
        """The articles that fix this calendar's holidays."""
        if self.region == ALSACE_MOSELLE:
            return ALSACE_MOSELLE_LAW
        return NATIONAL_LAW

    def is_holiday(self, d: date) -> bool:
        """Whether ``d`` is a jour férié."""
        require_date("d", d, self.law)
        return d in _holidays_of(d.year, self.region)

    def holiday_name(self, d: date) -> str | None:
        """The French name of the jour férié on ``d``, or ``None`` on an ordinary day."""
        require_date("d", d, self.law)
        return _holidays_of(d.year, self.region).get(d)

    def holidays_between(self, a: date, b: date) -> list[tuple[date, str]]:
        """The jours fériés from ``a`` to ``b``, both included, in date order."""
        require_date("a", a, self.law)
        require_date("b", b, self.law)
        if b < a:
            raise RuleError("b", self.law, f"end {b} is before start {a}")
        found: list[tuple[date, str]] = []
        for year in range(a.year, b.year + 1):
            found.extend(
                (d, name) for d, name in _holidays_of(year, self.region).items() if a <= d <= b
            )
        return sorted(found)

    def is_working_day(self, d: date, kind: str = "ouvre") -> bool:
        """Whether ``d`` counts as a day of ``kind`` (one of :data:`KINDS`)."""
        require_date("d", d, self.law)
        _check_kind(kind)
        return self._counts(d, kind)

    def add_working_days(self, start: date, n: int, kind: str = "ouvre") -> date:
        """The ``n``-th day of ``kind`` after ``start``.

        ``start`` itself never counts, so ``n=0`` returns ``start`` unchanged, whatever day
        it is, and for ``n > 0`` exactly ``n`` days of ``kind`` lie in ``(start, result]``.
        """
        require_date("start", start, self.law)
        require_count("n", n, self.law)
        _check_kind(kind)
        current = start
        remaining = n
        try:
            while remaining:
                current += _ONE_DAY
                if self._counts(current, kind):
                    remaining -= 1
        except OverflowError:
            raise RuleError("n", self.law, f"the count runs past {date.max}") from None
        return current

    def next_working_day(self, d: date, kind: str = "ouvre") -> date:
        """``d`` itself when it is a day of ``kind``, else the first such day after it."""
        require_date("d", d, self.law)
        _check_kind(kind)
        current = d
        try:
            while not self._counts(current, kind):
                current += _ONE_DAY
        except OverflowError:
            raise RuleError("d", self.law, f"no {kind} day left before {date.max}") from None
        return current

    def _counts(self, d: date, kind: str) -> bool:
        if kind == "calendaire":
            return True
        return d.weekday() <= LAST_WEEKDAY[kind] and d not in _holidays_of(d.year, self.region)


def weekday_fr(d: date) -> str:
    """The French name of ``d``'s weekday (``"lundi"``...), for explanation labels."""
    return WEEKDAYS_FR[d.weekday()]


# The weekdays and the holidays' names as sentences, so that explanations name them in the
# reader's language.
WEEKDAY_WORDS: Final = (
    words("lundi"),
    words("mardi"),
    words("mercredi"),
    words("jeudi"),
    words("vendredi"),
    words("samedi"),
    words("dimanche"),
)
HOLIDAY_WORDS: Final[Mapping[str, Words]] = MappingProxyType(
    {
        "Jour de l'an": words("Jour de l'an"),
        "Vendredi saint": words("Vendredi saint"),
        "Lundi de Pâques": words("Lundi de Pâques"),
        "Fête du Travail": words("Fête du Travail"),
        "Fête de la Victoire": words("Fête de la Victoire"),
        "Ascension": words("Ascension"),
        "Ascension; Fête du Travail": words("Ascension ; Fête du Travail"),
        "Lundi de Pentecôte": words("Lundi de Pentecôte"),
        "Fête nationale": words("Fête nationale"),
        "Assomption": words("Assomption"),
        "Toussaint": words("Toussaint"),
        "Armistice": words("Armistice"),
        "Noël": words("Noël"),
        "Saint-Étienne": words("Saint-Étienne"),
    }
)


def weekday_words(d: date) -> Words:
    """``d``'s weekday as a sentence ("lundi", "Monday")."""
    return WEEKDAY_WORDS[d.weekday()]


def holiday_words(name: str) -> Words | str:
    """A holiday's French name as a sentence (a name the table lacks stays as it is)."""
    return HOLIDAY_WORDS.get(name, name)


@lru_cache(maxsize=512)
def _holidays_of(year: int, region: str | None) -> Mapping[date, str]:
    # "57" (Moselle) and "6AE" (Alsace) give the same two extra days; "Alsace-Moselle" itself
    # is a deprecated subdivision of the package. The default category is "public" only, so
    # school holidays never leak in.
    subdiv = "57" if region == ALSACE_MOSELLE else None
    found = holidays.France(years=year, subdiv=subdiv, language="fr")
    days = dict(found)
    if year in _WHIT_MONDAY_GAP:
        (easter_monday,) = found.get_named(_EASTER_MONDAY, lookup="exact")
        days[easter_monday + timedelta(days=49)] = _WHIT_MONDAY
    return MappingProxyType(days)


def require_date(argument: str, value: object, law: str) -> None:
    """Raise :class:`RuleError` on ``argument`` unless ``value`` is a plain ``date``."""
    # ``datetime`` subclasses ``date``: a datetime would silently drop its time of day and
    # time zone, so it is refused rather than truncated.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise RuleError(argument, law, f"expected a date, got {type(value).__name__}")


def require_count(argument: str, value: object, law: str) -> None:
    """Raise :class:`RuleError` on ``argument`` unless ``value`` is an ``int`` >= 0."""
    # ``bool`` subclasses ``int``: ``True`` days is a bug upstream, not a count.
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(argument, law, f"expected an int, got {type(value).__name__}")
    if value < 0:
        raise RuleError(argument, law, f"must be >= 0, got {value}")


def _check_kind(kind: object) -> None:
    if kind not in KINDS:
        raise RuleError("kind", NATIONAL_LAW, f"unknown kind {kind!r}; expected one of {KINDS}")
