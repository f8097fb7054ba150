"""The explanation carried by every computed figure.

An :class:`Explained` answers the product's question "pourquoi ?": which rule produced the
value, which clause of which terms version, which article of law, from which inputs, through
which steps. Templates, PDFs and the API render it; tests assert on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # rules.wording formats with rules.money, which builds on this module
    from clausier.rules.wording import Words


@dataclass(frozen=True, slots=True)
class LegalFact[T]:
    """A value the law fixes, kept next to the text that fixes it.

    Legal numbers and mentions live in module-level ``LegalFact`` constants so that a change
    of law is one edit, and so that explanations can cite the source they come from.
    """

    value: T
    source: str


@dataclass(frozen=True, slots=True)
class Step:
    """One line of the arithmetic: what was done and what it gave.

    ``label`` is a :class:`~clausier.rules.wording.Words` (worded in the reader's language)
    or, for text that is data (a clause's own words), a plain string. ``str(step.label)`` is
    the French.
    """

    label: str | Words
    value: Any = None

    def as_dict(self) -> dict[str, Any]:
        data = {"label": str(self.label), "value": _plain(self.value)}
        if not isinstance(self.label, str):
            data["words"] = self.label.as_dict()
        return data


@dataclass(frozen=True, slots=True)
class Explained:
    """A value with the reasons for it.

    ``rule`` is the name of the rule function (``deadline``, ``late_interest``...), ``law`` the
    legal source where the law fixes the rule, ``clause`` and ``terms`` the clause id and terms
    version label when the figure comes from a seller's terms (filled by the engines that read
    the terms, see :meth:`citing`).
    """

    value: Any
    rule: str
    law: str = ""
    inputs: dict[str, Any] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    clause: str = ""
    terms: str = ""

    def citing(self, *, clause: str, terms: str) -> Explained:
        """The same explanation, attributed to a clause of a terms version."""
        return replace(self, clause=clause, terms=terms)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form (dates as ISO strings, decimals as strings)."""
        return {
            "value": _plain(self.value),
            "rule": self.rule,
            "law": self.law,
            "clause": self.clause,
            "terms": self.terms,
            "inputs": {k: _plain(v) for k, v in self.inputs.items()},
            "steps": [s.as_dict() for s in self.steps],
        }


def _plain(value: Any) -> Any:
    if hasattr(value, "as_dict"):
        return _plain(value.as_dict())
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return _iso_duration(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _iso_duration(td: timedelta) -> str:
    total = int(td.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rem = divmod(total, 86400)
    hours, rem = divmod(rem, 3600)
    minutes, seconds = divmod(rem, 60)
    out = f"{sign}P{days}D" if days else f"{sign}P"
    if hours or minutes or seconds or not days:
        out += "T"
        if hours:
            out += f"{hours}H"
        if minutes:
            out += f"{minutes}M"
        if seconds or (not hours and not minutes):
            out += f"{seconds}S"
    return out
