"""What the checks share: the terms under lint, a finding's wording, periods compared with
the law's start date by start date, dates and events in words.

A finding's sentences are :class:`~clausier.rules.wording.Words`: the pages and the API word
them in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Final

from clausier.rules.calendar import FrenchCalendar, weekday_words
from clausier.rules.deadlines import deadline
from clausier.rules.explain import LegalFact
from clausier.rules.interest import (
    LegalRateTable,
)
from clausier.rules.wording import Words, words, words_plural
from clausier.terms import schemas
from clausier.terms.domain.facts import (
    CONSUMER,
    HAMON_IN_FORCE,
    PROFESSIONALS,
    ClauseFacts,
    Finding,
    LegalPeriod,
    SellerFacts,
)
from clausier.terms.schemas import ClauseKind

# Start dates examined when comparing a clause's period with the law's: a year from ``on``
# meets every weekday, every jour férié and every month length.
_WINDOW_DAYS: Final = 366

_EVENTS: Final = {
    "contract_conclusion": words("la conclusion du contrat"),
    "offer_acceptance": words("l'acceptation de l'offre"),
    "quote_acceptance": words("l'acceptation du devis"),
    "order_confirmation": words("la confirmation de la commande"),
    "order_validation": words("la validation de la commande"),
    "service_start": words("le début de la prestation"),
    "delivery": words("la livraison"),
    "goods_receipt": words("la réception des marchandises"),
    "withdrawal_notice": words("la notification de la rétractation"),
    "withdrawal_received": words("la réception de la rétractation"),
    "withdrawal_decision": words("la décision de rétractation"),
    "withdrawal_exercise": words("l'exercice du droit de rétractation"),
    "refund_request_acceptance": words("l'acceptation de la demande de remboursement"),
    "invoice_date": words("la date de facture"),
    "invoice_issue": words("l'émission de la facture"),
    "invoice_receipt": words("la réception de la facture"),
}


_MONTHS: Final = (
    words("janvier"),
    words("février"),
    words("mars"),
    words("avril"),
    words("mai"),
    words("juin"),
    words("juillet"),
    words("août"),
    words("septembre"),
    words("octobre"),
    words("novembre"),
    words("décembre"),
)

# --- what the checks share ----------------------------------------------------------------------


@dataclass(frozen=True)
class LintedTerms:
    clauses: tuple[ClauseFacts, ...]
    seller: SellerFacts
    on: date
    rate_table: LegalRateTable | None = None

    def of_kind(self, kind: str) -> list[tuple[ClauseFacts, Any]]:
        """The clauses of ``kind`` with their typed parameters, in the version's order."""
        return [
            (clause, schemas.parse_parameters(kind, clause.parameters))
            for clause in self.clauses
            if clause.kind == kind
        ]

    @property
    def client_kinds(self) -> frozenset[str] | None:
        stated = self.of_kind(ClauseKind.CLIENTS_KINDS)
        if not stated:
            return None
        return frozenset(kind for _, params in stated for kind in params.kinds)

    @property
    def consumers(self) -> bool:
        kinds = self.client_kinds
        return kinds is None or CONSUMER in kinds

    @property
    def professionals(self) -> bool:
        kinds = self.client_kinds
        return kinds is None or bool(kinds & PROFESSIONALS)

    def in_force(self, since: LegalFact[date]) -> bool:
        return self.on >= since.value

    @property
    def after_hamon(self) -> bool:
        return self.in_force(HAMON_IN_FORCE)


def new_finding(
    code: str,
    severity: str,
    clause: ClauseFacts | None,
    *,
    law: str,
    law_text: Words,
    message: Words,
    applied: Words | str,
) -> Finding:
    return Finding(
        code=code,
        severity=severity,
        clause_id=clause.clause_id if clause else "",
        article=clause.article if clause else "",
        law=law,
        law_text=law_text,
        message=message,
        applied=applied,
    )


@dataclass(frozen=True, slots=True)
class _Run:
    """One start date and the last day of a clause's period and of the law's from it."""

    start: date
    clause_end: date
    law_end: date

    @property
    def clause_days(self) -> int:
        return (self.clause_end - self.start).days

    @property
    def law_days(self) -> int:
        return (self.law_end - self.start).days

    @property
    def gap(self) -> int:
        """Days the clause's period lasts beyond the law's (negative: shorter)."""
        return (self.clause_end - self.law_end).days


@lru_cache(maxsize=256)
def period_runs(clause: LegalPeriod, law: LegalPeriod, on: date) -> tuple[_Run, ...]:
    """Both periods from every start date of a year from ``on``, CPC 640-642 applied to each."""
    calendar = FrenchCalendar()
    runs = []
    for offset in range(_WINDOW_DAYS):
        start = on + timedelta(days=offset)
        runs.append(
            _Run(
                start=start,
                clause_end=deadline(
                    start=start, n=clause.n, unit=clause.unit, calendar=calendar
                ).value,
                law_end=deadline(start=start, n=law.n, unit=law.unit, calendar=calendar).value,
            )
        )
    return tuple(runs)


def shortest_run(runs: Iterable[_Run]) -> _Run:
    """The start date where the clause falls furthest short of the law (the earliest on ties)."""
    return min(runs, key=lambda run: (run.gap, run.start))


def longest_run(runs: Iterable[_Run]) -> _Run:
    return max(runs, key=lambda run: (run.gap, -run.start.toordinal()))


def days_words(n: int) -> Words:
    """ "1 jour", "8 jours"."""
    return words_plural("{count} jour", "{count} jours", n)


def span_words(days: Iterable[int]) -> Words:
    """ "8 jours", or "8 à 10 jours" when the count depends on the start date."""
    values = list(days)
    low, high = min(values), max(values)
    if low == high:
        return days_words(low)
    return words("{low} à {high}", low=low, high=days_words(high))


def date_words(d: date) -> Words:
    """ "mardi 1er juin 2027", "Tuesday 1 June 2027"."""
    month, year = _MONTHS[d.month - 1], str(d.year)
    if d.day == 1:
        return words(
            "{weekday} 1er {month} {year}", weekday=weekday_words(d), month=month, year=year
        )
    return words(
        "{weekday} {day} {month} {year}",
        weekday=weekday_words(d),
        day=str(d.day),
        month=month,
        year=year,
    )


def how_it_counts(period: LegalPeriod) -> Words:
    n = period.n
    return {
        "jours_francs": lambda: words(
            "ni le jour de départ ni le dernier jour ne comptent : départ + {n} + 1 = "
            "départ + {total} jours",
            n=n,
            total=n + 1,
        ),
        "jours_calendaires": lambda: words("tous les jours comptent : départ + {n} jours", n=n),
        "jours_ouvres": lambda: words("seuls comptent les lundis à vendredis non fériés"),
        "jours_ouvrables": lambda: words("seuls comptent les lundis à samedis non fériés"),
        "mois": lambda: words("de quantième à quantième"),
    }[period.unit]()


def event_words(name: str) -> Words:
    return _EVENTS.get(name) or words("« {name} »", name=name)


def period_of(params: Any) -> LegalPeriod:
    return LegalPeriod(params.n, params.unit)
