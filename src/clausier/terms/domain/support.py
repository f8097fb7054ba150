"""What the checks share: the terms under lint, a finding's wording, periods compared with
the law's start date by start date, French dates and events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Final

from clausier.rules.calendar import FrenchCalendar, weekday_fr
from clausier.rules.deadlines import deadline
from clausier.rules.explain import LegalFact
from clausier.rules.interest import (
    LegalRateTable,
)
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

_EVENTS_FR: Final = {
    "contract_conclusion": "la conclusion du contrat",
    "offer_acceptance": "l'acceptation de l'offre",
    "quote_acceptance": "l'acceptation du devis",
    "order_confirmation": "la confirmation de la commande",
    "order_validation": "la validation de la commande",
    "service_start": "le début de la prestation",
    "delivery": "la livraison",
    "goods_receipt": "la réception des marchandises",
    "withdrawal_notice": "la notification de la rétractation",
    "withdrawal_received": "la réception de la rétractation",
    "withdrawal_decision": "la décision de rétractation",
    "withdrawal_exercise": "l'exercice du droit de rétractation",
    "refund_request_acceptance": "l'acceptation de la demande de remboursement",
    "invoice_date": "la date de facture",
    "invoice_issue": "l'émission de la facture",
    "invoice_receipt": "la réception de la facture",
}


_MONTHS_FR: Final = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
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
    law_text: str,
    message: str,
    applied: str,
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


def days_fr(n: int) -> str:
    return f"{n} jour" if abs(n) <= 1 else f"{n} jours"


def span_fr(days: Iterable[int]) -> str:
    values = list(days)
    low, high = min(values), max(values)
    return days_fr(low) if low == high else f"{low} à {days_fr(high)}"


def date_fr(d: date) -> str:
    day = "1er" if d.day == 1 else str(d.day)
    return f"{weekday_fr(d)} {day} {_MONTHS_FR[d.month - 1]} {d.year}"


def how_it_counts(period: LegalPeriod) -> str:
    n = period.n
    return {
        "jours_francs": (
            f"ni le jour de départ ni le dernier jour ne comptent : départ + {n} + 1 = "
            f"départ + {n + 1} jours"
        ),
        "jours_calendaires": f"tous les jours comptent : départ + {n} jours",
        "jours_ouvres": "seuls comptent les lundis à vendredis non fériés",
        "jours_ouvrables": "seuls comptent les lundis à samedis non fériés",
        "mois": "de quantième à quantième",
    }[period.unit]


def event_fr(name: str) -> str:
    return _EVENTS_FR.get(name, f"« {name} »")


def period_of(params: Any) -> LegalPeriod:
    return LegalPeriod(params.n, params.unit)
