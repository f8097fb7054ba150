"""Domain names registered for a client (seed 002 art. 11): their registration term, their
expiry, and whether a name is well formed.

- A registration runs for the clause's term (an ISO 8601 duration in years or months, seed
  002: ``P1Y``): :func:`registration_expiry` counts it from the registration day, by the
  calendar (a 29 February registered for a year expires on 28 February).
- :func:`normalise_name` is a domain name's syntax (RFC 1035 labels, internationalised names
  in their IDNA form, lower case).
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta
from typing import Final

from clausier.rules.calendar import require_date
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, Step
from clausier.rules.wording import words, words_plural

LAW: Final = "CGV 002 art. 11"
# An ISO 8601 duration in whole years and/or months ("P1Y", "P6M", "P1Y6M").
_TERM: Final = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?$")
# RFC 1035 / RFC 5890: labels of letters, digits and hyphens (not at either end), 1 to 63
# characters, the whole name at most 253; the top-level label not all digits.
_LABEL: Final = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
MAX_NAME_LENGTH: Final = 253


class InvalidDomainName(ValueError):
    """A text that is no domain name; its message says which rule it breaks."""


def term_months(term: str) -> int:
    """The months of a registration term written as an ISO 8601 duration (``P1Y`` -> 12)."""
    match = _TERM.match(str(term or "").strip().upper())
    if match is None or not any(match.groups()):
        raise RuleError("term", LAW, f"expected a duration in years or months, got {term!r}")
    years, months = (int(g or 0) for g in match.groups())
    total = years * 12 + months
    if total < 1:
        raise RuleError("term", LAW, "a registration term lasts at least one month")
    return total


def _plus_months(d: date, months: int) -> date:
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    if year > date.max.year:
        raise RuleError("term", LAW, f"the term runs past {date.max}")
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def registration_expiry(*, registered_on: date, term: str) -> Explained:
    """The day a registration made on ``registered_on`` for ``term`` expires: the same day
    number ``term`` later, or that month's last day when the number does not exist."""
    require_date("registered_on", registered_on, LAW)
    months = term_months(term)
    value = _plus_months(registered_on, months)
    if value.day == registered_on.day:
        label = words("{start} + {period}", start=registered_on, period=_period(months))
    else:
        label = words(
            "{start} + {period} (pas de {day} ce mois-là : dernier jour du mois)",
            start=registered_on,
            period=_period(months),
            day=registered_on.day,
        )
    return Explained(
        value=value,
        rule="registration_expiry",
        law=LAW,
        inputs={"registered_on": registered_on, "term": term},
        steps=(
            Step(words("nom de domaine enregistré"), registered_on),
            Step(label, value),
            Step(words("échéance de l'enregistrement"), value),
        ),
    )


def renewal_due_on(*, expires_on: date, days_before: int) -> date:
    """The first day a registration expiring ``expires_on`` is renewed ``days_before`` days
    ahead (the seller's practice, not a legal period)."""
    require_date("expires_on", expires_on, LAW)
    if not isinstance(days_before, int) or isinstance(days_before, bool) or days_before < 0:
        raise RuleError("days_before", LAW, f"expected a count of days, got {days_before!r}")
    return expires_on - timedelta(days=days_before)


def _period(months: int):
    if months % 12 == 0:
        return words_plural("{count} an", "{count} ans", months // 12)
    return words_plural("{count} mois", "{count} mois", months)


def normalise_name(name: str) -> str:
    """``name`` as registries write it: lower case, internationalised labels in their IDNA
    form (``pâtisserie.fr`` -> ``xn--ptisserie-b2a.fr``); :class:`InvalidDomainName` when it is no
    domain name (a label empty, too long, with a character other than a letter, a digit or
    an inner hyphen, a top-level label of digits, a single label)."""
    text = str(name or "").strip().rstrip(".").lower()
    if not text:
        raise InvalidDomainName("empty")
    try:
        ascii_name = text.encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidDomainName("idna") from None
    labels = ascii_name.split(".")
    if len(ascii_name) > MAX_NAME_LENGTH or len(labels) < 2:
        raise InvalidDomainName("labels")
    if not all(_LABEL.match(label) for label in labels) or labels[-1].isdigit():
        raise InvalidDomainName("labels")
    return ascii_name
