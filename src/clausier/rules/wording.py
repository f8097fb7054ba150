"""Sentences kept as a message and its parameters, worded in the reader's language.

The rules core explains every figure in words ("jour férié sauté : 11/11/2026 Armistice"), and
those words are read in French and in English. The core stays free of Django: a sentence is a
:class:`Words`, its French message (the catalogue's msgid, with ``{name}`` placeholders) and
typed parameters. :func:`render` words it in French by default; the web layer passes a
:class:`Language` built on Django's catalogue to word it in the page's language
(:mod:`clausier.kernel.wording`). Frozen as JSON (:meth:`Words.as_dict`), a sentence can be worded
again later, in any language, from what was stored.

Mark a message with :func:`words` (``words_plural`` for a count): ``makemessages`` knows both
names and puts the message in the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from clausier.rules.formats import (
    format_approx,
    format_eur,
    format_number,
    format_percent,
    format_unit_price,
)


@dataclass(frozen=True, slots=True)
class Euros:
    """An amount of money inside a sentence: "1 234,56 €" / "€1,234.56"."""

    amount: Decimal


@dataclass(frozen=True, slots=True)
class UnitPrice:
    """A unit price inside a sentence, every agreed decimal kept: "0,0035 €" / "€0.0035"."""

    amount: Decimal


@dataclass(frozen=True, slots=True)
class Approx:
    """An intermediate figure cut to four decimals, "…" when digits were dropped: "6,4602…"."""

    number: Decimal


@dataclass(frozen=True, slots=True)
class Percent:
    """A rate stored as a fraction inside a sentence: 0.2 -> "20 %" / "20%"."""

    rate: Decimal


@dataclass(frozen=True, slots=True)
class Words:
    """A sentence: its French ``message`` (``{name}`` placeholders), its ``params``, and for
    a sentence that depends on a count, its French ``plural`` and the ``count``."""

    message: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str = ""
    count: int | None = None

    def __str__(self) -> str:
        return render(self)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form kept in snapshots and API answers; :func:`revive` reads it back."""
        data: dict[str, Any] = {
            "message": self.message,
            "params": {k: _frozen(v) for k, v in self.params.items()},
        }
        if self.plural:
            data |= {"plural": self.plural, "count": self.count}
        return data


def words(message: str, /, **params: Any) -> Words:
    """A sentence to word in the reader's language (a catalogue message)."""
    return Words(message, params)


def words_plural(singular: str, plural: str, count: int, /, **params: Any) -> Words:
    """A sentence whose wording depends on ``count`` ("1 jour ouvré", "14 jours ouvrés")."""
    return Words(singular, params, plural, count)


@dataclass(frozen=True, slots=True)
class Language:
    """How to word a sentence in one language: its catalogue (``gettext``, ``ngettext``),
    its ``locale`` for numbers ("fr" or "en") and how it writes dates and times."""

    locale: str
    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    date: Callable[[date], str]
    datetime: Callable[[datetime], str]


FRENCH = Language(
    locale="fr",
    gettext=lambda message: message,
    # French takes the singular for 0 and 1.
    ngettext=lambda singular, plural, count: singular if abs(count) <= 1 else plural,
    date=lambda day: f"{day:%d/%m/%Y}",
    datetime=lambda moment: f"{moment:%d/%m/%Y à %H:%M}",
)


def render(sentence: Words | str, language: Language = FRENCH) -> str:
    """``sentence`` worded in ``language``; a plain string is returned as it is."""
    if not isinstance(sentence, Words):
        return sentence
    if sentence.plural:
        template = language.ngettext(sentence.message, sentence.plural, sentence.count or 0)
    else:
        template = language.gettext(sentence.message)
    values = {k: _shown(v, language) for k, v in sentence.params.items()}
    if sentence.count is not None:
        values.setdefault("count", format_number(sentence.count, locale=language.locale))
    try:
        return template.format(**values)
    except (KeyError, IndexError, ValueError):
        # A translation that names a parameter the message lacks: the French never fails.
        return sentence.message.format(**values)


def _shown(value: Any, language: Language) -> str:
    if isinstance(value, Words):
        return render(value, language)
    if isinstance(value, Euros):
        return format_eur(value.amount, locale=language.locale)
    if isinstance(value, Percent):
        return format_percent(value.rate, locale=language.locale)
    if isinstance(value, UnitPrice):
        return format_unit_price(value.amount, locale=language.locale)
    if isinstance(value, Approx):
        return format_approx(value.number, locale=language.locale)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime):
        return language.datetime(value)
    if isinstance(value, date):
        return language.date(value)
    if isinstance(value, Decimal | int):
        return format_number(value, locale=language.locale)
    return "" if value is None else str(value)


# --- JSON -------------------------------------------------------------------------------------


def _frozen(value: Any) -> Any:
    if isinstance(value, Words):
        return {"words": value.as_dict()}
    if isinstance(value, Euros):
        return {"eur": str(value.amount)}
    if isinstance(value, Percent):
        return {"percent": str(value.rate)}
    if isinstance(value, UnitPrice):
        return {"unit_eur": str(value.amount)}
    if isinstance(value, Approx):
        return {"approx": str(value.number)}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"number": str(value)}
    return value


def _thawed(value: Any) -> Any:
    if not isinstance(value, dict) or len(value) != 1:
        return value
    ((kind, raw),) = value.items()
    readers: dict[str, Callable[[Any], Any]] = {
        "words": revive,
        "eur": lambda text: Euros(Decimal(text)),
        "percent": lambda text: Percent(Decimal(text)),
        "unit_eur": lambda text: UnitPrice(Decimal(text)),
        "approx": lambda text: Approx(Decimal(text)),
        "datetime": datetime.fromisoformat,
        "date": date.fromisoformat,
        "number": Decimal,
    }
    reader = readers.get(kind)
    return reader(raw) if reader else value


def revive(data: Mapping[str, Any] | str) -> Words | str:
    """The sentence :meth:`Words.as_dict` froze (a plain string stays a string)."""
    if not isinstance(data, Mapping) or "message" not in data:
        return data if isinstance(data, str) else str(data)
    params = {k: _thawed(v) for k, v in (data.get("params") or {}).items()}
    return Words(data["message"], params, data.get("plural", ""), data.get("count"))
