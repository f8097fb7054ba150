"""The legal lint: what mandatory French law overrides in a terms version, on a date.

:func:`lint_terms` reads the clauses of a version (their kind and typed parameters, see
:mod:`clausier.terms.schemas`) and the seller's facts, and returns one :class:`Finding` per
conflict with the law in force on ``on``:

- ``error``: the clause is unlawful or void; clausier applies the law instead (``applied``);
- ``warning``: a mention the law requires is missing; clausier applies the legal default;
- ``info``: nothing unlawful, but clausier fills a gap with the legal default.

Each check runs only for the clients the terms address (the ``clients.kinds`` clause; both
consumers and professionals when the terms do not say) and only once its rule is in force.
Every legal figure is a :class:`~clausier.rules.explain.LegalFact` below, or in
:mod:`clausier.rules.interest` / :mod:`clausier.rules.money`; periods are compared with the
rules core's :func:`~clausier.rules.deadlines.deadline`, start date by start date, so a unit
that counts differently (jours francs, jours ouvrés, mois) is judged by the days it really
gives, week-ends and jours fériés included.

Pure: dataclasses in, dataclasses out, no ORM.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, Final

from clausier.rules.calendar import FrenchCalendar, require_date, weekday_fr
from clausier.rules.deadlines import deadline, unit_label
from clausier.rules.errors import MissingRateError
from clausier.rules.explain import LegalFact
from clausier.rules.interest import (
    B2B_PENALTY_FLOOR_MULTIPLIER,
    RECOVERY_INDEMNITY,
    LegalRateTable,
    legal_rate,
)
from clausier.rules.money import (
    FRANCHISE_MENTION,
    VatRegime,
    format_eur,
    format_number,
    format_percent,
)
from clausier.terms import schemas
from clausier.terms.schemas import ClauseKind


@dataclass(frozen=True, slots=True)
class LegalPeriod:
    """A period the law fixes, in the units of :func:`~clausier.rules.deadlines.deadline`."""

    n: int
    unit: str

    @property
    def label(self) -> str:
        """ "14 jours calendaires", "7 jours francs", "3 mois"."""
        return unit_label(self.n, self.unit)

    @property
    def short_label(self) -> str:
        """The label as the law words it: calendar days are plain "jours"."""
        return self.label.removesuffix(" calendaires").removesuffix(" calendaire")


# --- legal facts ----------------------------------------------------------------------------

# Loi Hamon: the consumer rules below (14-day withdrawal, 14-day refund, L221-25/L221-28)
# apply to contracts concluded from this day; before it, the former L121-20 ff.
HAMON_IN_FORCE = LegalFact(date(2014, 6, 14), "Loi n° 2014-344 du 17 mars 2014 (Hamon)")
WITHDRAWAL_PERIOD = LegalFact(LegalPeriod(14, "jours_calendaires"), "C. conso. L221-18")
WITHDRAWAL_PERIOD_BEFORE_HAMON = LegalFact(
    LegalPeriod(7, "jours_francs"), "C. conso. ancien L121-20"
)
# Without the information on the right of withdrawal, its period runs 12 months longer.
WITHDRAWAL_EXTENSION_UNINFORMED = LegalFact(LegalPeriod(12, "mois"), "C. conso. L221-20")
REFUND_PERIOD = LegalFact(LegalPeriod(14, "jours_calendaires"), "C. conso. L221-24")
REFUND_PERIOD_BEFORE_HAMON = LegalFact(
    LegalPeriod(30, "jours_calendaires"), "C. conso. ancien L121-20-1"
)
# The LME set the 60-day cap on payment terms and the 3x legal-rate floor of late penalties.
LME_IN_FORCE = LegalFact(date(2009, 1, 1), "Loi n° 2008-776 du 4 août 2008 (LME)")
PAYMENT_TERM_CAP = LegalFact(LegalPeriod(60, "jours_calendaires"), "C. com. L441-10 I")
# The alternative cap, 45 days end of month, must be expressly agreed: the clause schema has
# no end-of-month unit, so it is only quoted in messages.
PAYMENT_TERM_CAP_END_OF_MONTH = LegalFact(LegalPeriod(45, "jours_calendaires"), "C. com. L441-10 I")
DEFAULT_PAYMENT_TERM = LegalFact(LegalPeriod(30, "jours_calendaires"), "C. com. L441-10 I")
# Default late-penalty rate: the ECB's most recent refinancing rate plus 10 points.
DEFAULT_PENALTY_POINTS = LegalFact(Decimal("10"), "C. com. L441-10 II")
RECOVERY_INDEMNITY_IN_FORCE = LegalFact(
    date(2013, 1, 1), "Loi n° 2012-387 du 22 mars 2012; décret n° 2012-1115 du 2 octobre 2012"
)
CHATEL_NOTICE_EARLIEST = LegalFact(LegalPeriod(3, "mois"), "C. conso. L215-1")
CHATEL_NOTICE_LATEST = LegalFact(LegalPeriod(1, "mois"), "C. conso. L215-1")
CONSUMER_MEDIATION_IN_FORCE = LegalFact(date(2016, 1, 1), "Ordonnance n° 2015-1033 du 20 août 2015")
NO_DISCOUNT_MENTION = LegalFact("pas d'escompte pour paiement anticipé", "C. com. L441-9")

SEVERITIES: Final = ("error", "warning", "info")
CONSUMER: Final = "consumer"
PROFESSIONALS: Final = frozenset({"company", "association", "independent"})

# Start dates examined when comparing a clause's period with the law's: a year from ``on``
# meets every weekday, every jour férié and every month length.
_WINDOW_DAYS: Final = 366

# Events a services contract's withdrawal period may run from: its conclusion or later.
_WITHDRAWAL_STARTS: Final = frozenset(
    {
        "contract_conclusion",
        "offer_acceptance",
        "quote_acceptance",
        "order_confirmation",
        "order_validation",
        "service_start",
        "delivery",
        "goods_receipt",
    }
)
# The refund runs from the day the seller learns of the withdrawal (L221-24).
_REFUND_STARTS: Final = frozenset(
    {"withdrawal_notice", "withdrawal_received", "withdrawal_decision", "withdrawal_exercise"}
)
_INVOICE_DATE_STARTS: Final = frozenset({"invoice_date", "invoice_issue"})

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

_LINT: Final = "legal lint"


# --- the contract -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ClauseFacts:
    """What the lint needs of a clause: ``parameters`` are validated by its kind's schema."""

    clause_id: str
    kind: str
    article: str
    excerpt: str
    parameters: dict


@dataclass(frozen=True)
class SellerFacts:
    vat_regime: str  # "normal" | "franchise_293b"
    mediator_name: str


@dataclass(frozen=True)
class Finding:
    """One conflict between a terms version and the law in force on the lint date.

    ``code`` is stable (tests, API clients and templates key on it); ``clause_id`` and
    ``article`` are empty when the finding is a missing clause.
    """

    code: str
    severity: str
    clause_id: str
    article: str
    law: str
    law_text: str
    message: str
    applied: str


def lint_terms(
    *,
    clauses: Sequence[ClauseFacts],
    seller: SellerFacts,
    on: date,
    rate_table: LegalRateTable | None = None,
) -> list[Finding]:
    """Every finding of the legal lint on a version's clauses, under the law in force on ``on``
    (``rate_table``: the legal rates, by default the packaged table).

    Sorted by severity (errors first), then code, then clause id. Raises
    :class:`~clausier.terms.schemas.ClauseParametersError` when a clause the lint reads has
    parameters its schema refuses (they are validated when written, so this is a bug upstream).
    """
    require_date("on", on, _LINT)
    terms = _Terms(tuple(clauses), seller, on, rate_table)
    findings: list[Finding] = []
    for check in _CHECKS:
        findings.extend(check(terms))
    rank = {severity: index for index, severity in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (rank[f.severity], f.code, f.clause_id))


# --- what the checks share ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Terms:
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


def _finding(
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
def _runs(clause: LegalPeriod, law: LegalPeriod, on: date) -> tuple[_Run, ...]:
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


def _shortest(runs: Iterable[_Run]) -> _Run:
    """The start date where the clause falls furthest short of the law (the earliest on ties)."""
    return min(runs, key=lambda run: (run.gap, run.start))


def _longest(runs: Iterable[_Run]) -> _Run:
    return max(runs, key=lambda run: (run.gap, -run.start.toordinal()))


def _days(n: int) -> str:
    return f"{n} jour" if abs(n) <= 1 else f"{n} jours"


def _span(days: Iterable[int]) -> str:
    values = list(days)
    low, high = min(values), max(values)
    return _days(low) if low == high else f"{low} à {_days(high)}"


def _fr_date(d: date) -> str:
    day = "1er" if d.day == 1 else str(d.day)
    return f"{weekday_fr(d)} {day} {_MONTHS_FR[d.month - 1]} {d.year}"


def _how_it_counts(period: LegalPeriod) -> str:
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


def _event(name: str) -> str:
    return _EVENTS_FR.get(name, f"« {name} »")


def _period(params: Any) -> LegalPeriod:
    return LegalPeriod(params.n, params.unit)


# --- 1. consumer withdrawal (L221-18, L221-5) ----------------------------------------------


def _withdrawal_law(terms: _Terms) -> LegalFact[LegalPeriod]:
    return WITHDRAWAL_PERIOD if terms.after_hamon else WITHDRAWAL_PERIOD_BEFORE_HAMON


def _withdrawal_applied(terms: _Terms) -> str:
    law = _withdrawal_law(terms)
    if terms.after_hamon:
        return (
            f"{law.value.label} à compter de la conclusion du contrat, prorogé au premier jour "
            "ouvrable suivant s'il expire un samedi, dimanche ou jour férié "
            f"({law.source.removeprefix('C. conso. ')}, CPC 642)"
        )
    return (
        f"{law.value.label} à compter de l'acceptation de l'offre, prorogé au premier jour "
        f"ouvrable suivant s'il expire un samedi, dimanche ou jour férié ({law.source})"
    )


def _withdrawal_law_text(terms: _Terms) -> str:
    law = _withdrawal_law(terms)
    if terms.after_hamon:
        return (
            f"Le consommateur dispose d'un délai de {law.value.label} pour se rétracter d'un "
            "contrat conclu à distance ou hors établissement, à compter, pour une prestation de "
            "services, du jour de la conclusion du contrat."
        )
    return (
        f"Le consommateur dispose d'un délai de {law.value.label} pour se rétracter, à compter, "
        "pour une prestation de services, de l'acceptation de l'offre."
    )


def _check_withdrawal(terms: _Terms) -> list[Finding]:
    if not terms.consumers:
        return []
    law = _withdrawal_law(terms)
    clauses = terms.of_kind(ClauseKind.WITHDRAWAL_PERIOD)
    if not clauses:
        extension = ""
        if terms.after_hamon:
            extension = (
                " ; faute de cette information, le délai de rétractation est prolongé de "
                f"{WITHDRAWAL_EXTENSION_UNINFORMED.value.label} "
                f"({WITHDRAWAL_EXTENSION_UNINFORMED.source})"
            )
        return [
            _finding(
                "withdrawal.missing",
                "warning",
                None,
                law="C. conso. L221-5" if terms.after_hamon else law.source,
                law_text=(
                    "Avant la conclusion du contrat, le professionnel informe le consommateur "
                    "des conditions, du délai et des modalités d'exercice du droit de rétractation."
                ),
                message=(
                    "Les conditions s'adressent à des consommateurs mais ne disent rien du droit "
                    f"de rétractation de {law.value.label}{extension}."
                ),
                applied=_withdrawal_applied(terms),
            )
        ]
    findings = []
    for clause, params in clauses:
        stated = _period(params)
        runs = _runs(stated, law.value, terms.on)
        short = _shortest(runs)
        if short.gap < 0:
            findings.append(
                _finding(
                    "withdrawal.too_short",
                    "error",
                    clause,
                    law=law.source,
                    law_text=_withdrawal_law_text(terms),
                    message=(
                        f"La clause accorde {stated.label} à compter de {_event(params.from_)} "
                        f"({_how_it_counts(stated)}) : le délai expire "
                        f"{_span(r.clause_days for r in runs)} après son point de départ "
                        f"(report du week-end ou du jour férié compris), contre "
                        f"{_span(r.law_days for r in runs)} pour le délai légal de "
                        f"{law.value.label}. Par exemple, pour un contrat conclu le "
                        f"{_fr_date(short.start)}, la clause fait expirer le délai le "
                        f"{_fr_date(short.clause_end)}, la loi le {_fr_date(short.law_end)} "
                        f"({_days(-short.gap)} de moins)."
                    ),
                    applied=_withdrawal_applied(terms),
                )
            )
        if params.from_ not in _WITHDRAWAL_STARTS:
            findings.append(
                _finding(
                    "withdrawal.start_unknown",
                    "warning",
                    clause,
                    law=law.source,
                    law_text=_withdrawal_law_text(terms),
                    message=(
                        f"Le délai de rétractation court à compter de {_event(params.from_)}, "
                        "événement que clausier ne sait pas situer par rapport à la conclusion "
                        "du contrat : il ne peut courir avant elle."
                    ),
                    applied=_withdrawal_applied(terms),
                )
            )
    return findings


# --- 2. refund after withdrawal (L221-24, L221-25, L221-28) ---------------------------------


def _check_refund(terms: _Terms) -> list[Finding]:
    if not terms.consumers:
        return []
    law = REFUND_PERIOD if terms.after_hamon else REFUND_PERIOD_BEFORE_HAMON
    if terms.after_hamon:
        law_text = (
            "Le professionnel rembourse la totalité des sommes versées au plus tard dans les "
            f"{law.value.short_label} à compter de la date à laquelle il "
            "est informé de la décision du consommateur de se rétracter."
        )
        applied = (
            f"{law.value.short_label} à compter de la date à laquelle le "
            "professionnel est informé de la décision de rétractation"
        )
    else:
        law_text = (
            "Le professionnel rembourse le consommateur sans délai et au plus tard dans les "
            f"{law.value.short_label} suivant la date à laquelle le droit "
            "de rétractation a été exercé."
        )
        applied = f"{law.value.short_label} à compter de l'exercice du droit de rétractation"
    findings = []
    for clause, params in terms.of_kind(ClauseKind.WITHDRAWAL_REFUND):
        stated = _period(params)
        runs = _runs(stated, law.value, terms.on)
        late = _longest(runs)
        problems = []
        if late.gap > 0:
            problems.append(
                f"ce délai expire {_span(r.clause_days for r in runs)} après son point de départ"
                " (report du week-end ou du jour férié compris), contre "
                f"{_span(r.law_days for r in runs)} pour le délai légal de "
                f"{law.value.label} (par exemple, pour une rétractation reçue le "
                f"{_fr_date(late.start)} : le {_fr_date(late.clause_end)} au lieu du "
                f"{_fr_date(late.law_end)})"
            )
        if params.from_ not in _REFUND_STARTS:
            problems.append(
                f"il court à compter de {_event(params.from_)} et non du jour où le professionnel "
                "est informé de la rétractation, ce qui lui permet d'en retarder le départ"
            )
        if problems:
            findings.append(
                _finding(
                    "refund.too_late",
                    "error",
                    clause,
                    law=law.source,
                    law_text=law_text,
                    message=(
                        f"La clause prévoit le remboursement dans les {stated.label} à compter "
                        f"de {_event(params.from_)} : " + " ; ".join(problems) + "."
                    ),
                    applied=applied,
                )
            )
        # Before Hamon, a service whose performance had begun with the consumer's agreement
        # was outside the right of withdrawal (former L121-20-2 1°): the clause was lawful.
        if params.refused_if_service_used and terms.after_hamon:
            findings.append(
                _finding(
                    "refund.refused_if_used",
                    "error",
                    clause,
                    law="C. conso. L221-25, L221-28 1°",
                    law_text=(
                        "Le consommateur qui se rétracte d'un service commencé à sa demande "
                        "expresse pendant le délai ne doit qu'un montant proportionné au service "
                        "fourni jusqu'à sa rétractation ; le droit n'est exclu que pour un service "
                        "pleinement exécuté avant la fin du délai avec son accord préalable exprès "
                        "et son renoncement exprès à ce droit."
                    ),
                    message=(
                        "La clause refuse tout remboursement dès que le service a été utilisé, "
                        "même partiellement : la loi ne permet de retenir que la part du service "
                        "fourni jusqu'à la rétractation, et seulement si le consommateur a demandé "
                        "expressément que l'exécution commence pendant le délai."
                    ),
                    applied=(
                        "remboursement intégral, diminué du seul montant proportionné au service "
                        "fourni jusqu'à la rétractation lorsque le consommateur a demandé "
                        "expressément son exécution avant la fin du délai (L221-25) ; aucun "
                        "remboursement seulement pour un service pleinement exécuté avant la fin "
                        "du délai, avec accord préalable exprès et renoncement exprès au droit de "
                        "rétractation (L221-28 1°)"
                    ),
                )
            )
    return findings


# --- 3. B2B late penalty (L441-10 II) ---------------------------------------------------------


def _penalty_law_text() -> str:
    floor = format_number(B2B_PENALTY_FLOOR_MULTIPLIER.value)
    points = format_number(DEFAULT_PENALTY_POINTS.value)
    return (
        "Entre professionnels, les conditions de règlement précisent le taux des pénalités de "
        f"retard, qui ne peut être inférieur à {floor} fois le taux d'intérêt légal ; à défaut, "
        f"il est égal au taux de refinancement de la BCE majoré de {points} points de "
        "pourcentage."
    )


def _default_penalty_applied() -> str:
    points = format_number(DEFAULT_PENALTY_POINTS.value)
    return (
        f"le taux légal par défaut : taux de refinancement de la BCE majoré de {points} points "
        f"({DEFAULT_PENALTY_POINTS.source}) ; clausier ne connaît pas le taux BCE : le personnel "
        "doit saisir le taux de la dernière opération de refinancement avant tout calcul de "
        "pénalités"
    )


def _floor_applied(floor: Decimal, rate: Decimal | None) -> str:
    text = (
        f"le plancher légal : {format_number(floor)} fois le taux d'intérêt légal "
        f"({B2B_PENALTY_FLOOR_MULTIPLIER.source})"
    )
    if rate is not None:
        text += f", soit {format_number(floor)} × {format_percent(rate)} = "
        text += format_percent(floor * rate)
    return text


def _check_late_penalty(terms: _Terms) -> list[Finding]:
    if not terms.professionals:
        return []
    law = B2B_PENALTY_FLOOR_MULTIPLIER.source
    clauses = terms.of_kind(ClauseKind.LATE_PENALTY)
    if not clauses:
        return [
            _finding(
                "late_penalty.missing",
                "warning",
                None,
                law=law,
                law_text=_penalty_law_text(),
                message=(
                    "Les conditions s'adressent à des professionnels mais ne fixent pas le taux "
                    "des pénalités de retard, mention obligatoire des conditions de règlement."
                ),
                applied=_default_penalty_applied(),
            )
        ]
    if not terms.in_force(LME_IN_FORCE):
        return []
    floor = B2B_PENALTY_FLOOR_MULTIPLIER.value
    try:
        rate: Decimal | None = legal_rate(on=terms.on, table=terms.rate_table)
        missing_rate = ""
    except MissingRateError as exc:
        rate = None
        missing_rate = f" (taux légal du {terms.on.isoformat()} inconnu : {exc})"
    findings = []
    for clause, params in clauses:
        points = params.plus_points / 100
        stated = f"{format_number(params.multiplier)} fois le taux"
        if params.of == "ecb_rate":
            findings.append(
                _finding(
                    "late_penalty.ecb_unverified",
                    "info",
                    clause,
                    law=law,
                    law_text=_penalty_law_text(),
                    message=(
                        f"La clause fixe la pénalité à {stated} BCE"
                        + (
                            f" majoré de {format_number(params.plus_points)} points"
                            if params.plus_points
                            else ""
                        )
                        + " : clausier ne connaît pas le taux BCE et ne peut vérifier le plancher "
                        f"de {format_number(floor)} fois le taux légal."
                    ),
                    applied=(
                        "le taux de la clause une fois le taux BCE saisi par le personnel, et au "
                        "moins " + _floor_applied(floor, rate)
                    ),
                )
            )
            continue
        if rate is not None:
            below = params.multiplier * rate + points < floor * rate
            figures = (
                f"{format_number(params.multiplier)} × {format_percent(rate)}"
                + (f" + {format_percent(points)}" if points else "")
                + f" = {format_percent(params.multiplier * rate + points)}, sous le plancher de "
                f"{format_number(floor)} × {format_percent(rate)} = {format_percent(floor * rate)} "
                f"(taux légal du {terms.on.isoformat()})"
            )
        elif points == 0:
            below = params.multiplier < floor
            figures = (
                f"{format_number(params.multiplier)} < {format_number(floor)} fois le taux "
                f"légal{missing_rate}"
            )
        else:
            # Points added to a low multiple: whether it reaches the floor depends on the rate.
            below = params.multiplier < floor and points < 0
            figures = f"{format_number(params.multiplier)} < {format_number(floor)}{missing_rate}"
        if below:
            findings.append(
                _finding(
                    "late_penalty.below_floor",
                    "error",
                    clause,
                    law=law,
                    law_text=_penalty_law_text(),
                    message=f"La clause fixe la pénalité de retard à {stated} légal : {figures}.",
                    applied=_floor_applied(floor, rate),
                )
            )
    return findings


# --- 4. recovery indemnity (L441-10 II, D441-5) --------------------------------------------------


def _check_recovery_indemnity(terms: _Terms) -> list[Finding]:
    if not terms.professionals or not terms.in_force(RECOVERY_INDEMNITY_IN_FORCE):
        return []
    amount = RECOVERY_INDEMNITY.value
    law = RECOVERY_INDEMNITY.source
    law_text = (
        f"Tout professionnel en retard de paiement doit de plein droit une indemnité forfaitaire "
        f"pour frais de recouvrement de {format_eur(amount)}, que les conditions de règlement "
        "mentionnent."
    )
    applied = (
        f"{format_eur(amount)} par facture payée en retard, clients professionnels seulement, "
        "non soumis à la TVA"
    )
    clauses = terms.of_kind(ClauseKind.LATE_INDEMNITY)
    if not clauses:
        return [
            _finding(
                "indemnity.missing",
                "warning",
                None,
                law=law,
                law_text=law_text,
                message=(
                    "Les conditions s'adressent à des professionnels mais ne mentionnent pas "
                    f"l'indemnité forfaitaire de {format_eur(amount)} pour frais de recouvrement."
                ),
                applied=applied,
            )
        ]
    findings = []
    for clause, params in clauses:
        if params.amount is None:
            findings.append(
                _finding(
                    "indemnity.no_amount",
                    "warning",
                    clause,
                    law=law,
                    law_text=law_text,
                    message=(
                        "La clause mentionne l'indemnité forfaitaire pour frais de recouvrement "
                        f"sans en indiquer le montant, fixé par la loi à {format_eur(amount)}."
                    ),
                    applied=applied,
                )
            )
        elif params.amount < amount:
            findings.append(
                _finding(
                    "indemnity.too_low",
                    "error",
                    clause,
                    law=law,
                    law_text=law_text,
                    message=(
                        f"La clause fixe l'indemnité à {format_eur(params.amount)}, sous le "
                        f"montant légal de {format_eur(amount)}."
                    ),
                    applied=applied,
                )
            )
    return findings


# --- 5. payment term (L441-10 I) -----------------------------------------------------------------


def _check_payment_term(terms: _Terms) -> list[Finding]:
    if not terms.professionals:
        return []
    cap = PAYMENT_TERM_CAP
    clauses = terms.of_kind(ClauseKind.PAYMENT_DUE)
    if not clauses:
        default = DEFAULT_PAYMENT_TERM
        return [
            _finding(
                "payment_term.missing",
                "info",
                None,
                law=f"{default.source} al. 1",
                law_text=(
                    "Sauf stipulation contraire, le délai de règlement est de "
                    f"{default.value.short_label} suivant la réception des marchandises ou "
                    "l'exécution de la prestation."
                ),
                message="Les conditions ne fixent pas de délai de paiement.",
                applied=(
                    f"à défaut, {default.value.short_label} après "
                    "réception des marchandises ou exécution de la prestation "
                    f"({default.source.removeprefix('C. com. ')} al. 1)"
                ),
            )
        ]
    if not terms.in_force(LME_IN_FORCE):
        return []
    eom = PAYMENT_TERM_CAP_END_OF_MONTH.value.n
    law_text = (
        "Le délai de paiement convenu ne peut dépasser "
        f"{cap.value.short_label} à compter de la date d'émission de la "
        f"facture, ou {eom} jours fin de mois si ce délai est expressément stipulé."
    )
    findings = []
    for clause, params in clauses:
        stated = _period(params)
        runs = _runs(stated, cap.value, terms.on)
        late = _longest(runs)
        if late.gap <= 0:
            continue
        assumption = ""
        if params.from_ not in _INVOICE_DATE_STARTS:
            assumption = (
                f" (le délai court à compter de {_event(params.from_)} : clausier le compte comme "
                "s'il partait de la date de facture, ce qui ne peut que le sous-estimer)"
            )
        findings.append(
            _finding(
                "payment_term.too_long",
                "error",
                clause,
                law=cap.source,
                law_text=law_text,
                message=(
                    f"La clause fixe un délai de paiement de {stated.label} à compter de "
                    f"{_event(params.from_)}, soit jusqu'à "
                    f"{max(r.clause_days for r in runs)} jours après la date de facture, au-delà "
                    f"du plafond de {cap.value.short_label} (ou {eom} "
                    f"jours fin de mois). Par exemple, facture du {_fr_date(late.start)} : "
                    f"échéance le {_fr_date(late.clause_end)} au lieu du "
                    f"{_fr_date(late.law_end)} au plus tard{assumption}."
                ),
                applied=(
                    f"{cap.value.short_label} à compter de la date "
                    f"d'émission de la facture ({cap.source.removeprefix('C. com. ')})"
                ),
            )
        )
    return findings


# --- 6. tacit renewal towards consumers (L215-1) -----------------------------------------------


def _check_tacit_renewal(terms: _Terms) -> list[Finding]:
    if not terms.consumers:
        return []
    earliest, latest = CHATEL_NOTICE_EARLIEST, CHATEL_NOTICE_LATEST
    findings = []
    for clause, params in terms.of_kind(ClauseKind.CONTRACT_RENEWAL):
        if not params.tacit or params.chatel_information:
            continue
        notice = ""
        if params.notice is not None:
            notice = f" (préavis de {_period(params.notice).label} avant le terme)"
        findings.append(
            _finding(
                "renewal.no_chatel",
                "warning",
                clause,
                law=earliest.source,
                law_text=(
                    "Le prestataire informe le consommateur par écrit, au plus tôt "
                    f"{earliest.value.label} et au plus tard {latest.value.label} avant le terme "
                    "de la période autorisant le rejet de la reconduction tacite, de la "
                    "possibilité de ne pas reconduire ; à défaut, le consommateur peut résilier "
                    "gratuitement à tout moment à compter de la reconduction."
                ),
                message=(
                    f"La clause reconduit le contrat tacitement{notice} sans prévoir "
                    "l'information écrite du consommateur sur sa faculté de ne pas le reconduire."
                ),
                applied=(
                    f"clausier informe le consommateur par écrit entre {earliest.value.label} et "
                    f"{latest.value.label} avant le terme ; à défaut, il peut résilier à tout "
                    f"moment ({earliest.source.removeprefix('C. conso. ')})"
                ),
            )
        )
    return findings


# --- 7. consumer mediator (L612-1) -------------------------------------------------------------


def _check_mediator(terms: _Terms) -> list[Finding]:
    if not terms.consumers or not terms.in_force(CONSUMER_MEDIATION_IN_FORCE):
        return []
    if terms.seller.mediator_name.strip() or terms.of_kind(ClauseKind.CONSUMER_MEDIATOR):
        return []
    return [
        _finding(
            "mediator.missing",
            "warning",
            None,
            law="C. conso. L612-1, L616-1",
            law_text=(
                "Tout consommateur a le droit de recourir gratuitement à un médiateur de la "
                "consommation ; le professionnel lui en communique les coordonnées."
            ),
            message=(
                "Les conditions s'adressent à des consommateurs mais ne désignent aucun médiateur "
                "de la consommation, et la fiche du vendeur n'en indique pas."
            ),
            applied=(
                "aucun médiateur n'est imprimé : le personnel doit désigner le médiateur auquel "
                "le vendeur adhère (nom et site) dans la fiche vendeur pour qu'il figure sur les "
                "documents remis aux consommateurs"
            ),
        )
    ]


# --- 8. VAT franchise mention (CGI 293 B) ------------------------------------------------------


def _check_vat_regime(terms: _Terms) -> list[Finding]:
    franchise = VatRegime.FRANCHISE_293B
    mention = FRANCHISE_MENTION
    clauses = terms.of_kind(ClauseKind.VAT_REGIME)
    findings = []
    for clause, params in clauses:
        if params.regime != terms.seller.vat_regime:
            findings.append(
                _finding(
                    "vat.regime_mismatch",
                    "warning",
                    clause,
                    law="CGI art. 256, 293 B",
                    law_text=(
                        "Le régime de TVA du vendeur (assujetti ou franchise en base) détermine "
                        "la TVA facturée et les mentions des factures."
                    ),
                    message=(
                        f"Les conditions indiquent le régime « {params.regime} », la fiche du "
                        f"vendeur le régime « {terms.seller.vat_regime} »."
                    ),
                    applied=(
                        f"clausier facture selon le régime de la fiche vendeur "
                        f"(« {terms.seller.vat_regime} ») ; corriger l'une ou l'autre"
                    ),
                )
            )
    under_franchise = terms.seller.vat_regime == franchise or any(
        params.regime == franchise for _, params in clauses
    )
    if not under_franchise:
        return findings
    stated = [(clause, params.mention) for clause, params in clauses if params.regime == franchise]
    if any(text.strip() == mention.value for _, text in stated):
        return findings
    clause = stated[0][0] if stated else None
    text = stated[0][1].strip() if stated else ""
    findings.append(
        _finding(
            "vat.franchise_mention",
            "warning",
            clause,
            law=mention.source,
            law_text=(
                "Le vendeur en franchise en base ne facture pas la TVA et porte sur chaque "
                f"facture la mention « {mention.value} »."
            ),
            message=(
                f"Le vendeur relève de la franchise en base mais les conditions portent "
                f"« {text} » au lieu de la mention exacte « {mention.value} »."
                if text
                else "Le vendeur relève de la franchise en base mais les conditions ne portent "
                f"pas la mention exacte « {mention.value} »."
            ),
            applied=f"clausier imprime la mention « {mention.value} » sur chaque facture",
        )
    )
    return findings


# --- 9. early-payment discount (L441-9) --------------------------------------------------------


def _check_early_discount(terms: _Terms) -> list[Finding]:
    if not terms.professionals or terms.of_kind(ClauseKind.PAYMENT_EARLY_DISCOUNT):
        return []
    return [
        _finding(
            "early_discount.missing",
            "info",
            None,
            law=NO_DISCOUNT_MENTION.source,
            law_text=(
                "La facture mentionne les conditions d'escompte applicables en cas de paiement "
                "à une date antérieure à celle résultant des conditions générales de vente."
            ),
            message="Les conditions ne disent pas si un escompte est accordé en cas de paiement "
            "anticipé.",
            applied=f"clausier imprime « {NO_DISCOUNT_MENTION.value} » sur les factures",
        )
    ]


_CHECKS: Final = (
    _check_withdrawal,
    _check_refund,
    _check_late_penalty,
    _check_recovery_indemnity,
    _check_payment_term,
    _check_tacit_renewal,
    _check_mediator,
    _check_vat_regime,
    _check_early_discount,
)


# --- what a document freezes of a clause ---------------------------------------------------


def clause_snapshot(*, clause: Any, version: Any) -> dict[str, Any]:
    """The copy of ``clause`` a document keeps (a quote's payment terms, an order's clauses):
    its id, kind, article, title, excerpt, parameters in their schema's order and the label
    of ``version``, so the document reads the same after the terms change."""
    return {
        "clause": clause.clause_id,
        "kind": clause.kind,
        "article": clause.article,
        "title": clause.title,
        "excerpt": clause.excerpt,
        "parameters": clause.ordered_parameters,
        "terms": version.label,
    }
