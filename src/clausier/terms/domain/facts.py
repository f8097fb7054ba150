"""The legal figures the lint compares clauses with, and what the lint reads and returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from clausier.rules.deadlines import period, unit_label
from clausier.rules.explain import LegalFact
from clausier.rules.wording import Words, words_plural


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

    @property
    def words(self) -> Words:
        """The period in the reader's language: "14 jours calendaires", "14 calendar days"."""
        return period(self.n, self.unit)

    @property
    def short_words(self) -> Words:
        """:attr:`words` as the law words it: calendar days are plain "jours" ("days")."""
        if self.unit == "jours_calendaires":
            return words_plural("{count} jour", "{count} jours", self.n)
        return self.words


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
    ``article`` are empty when the finding is a missing clause. ``law_text``, ``message`` and
    ``applied`` are sentences worded in the reader's language (``str()`` gives the French).
    """

    code: str
    severity: str
    clause_id: str
    article: str
    law: str
    law_text: Words
    message: Words
    applied: Words | str


# Collective proceedings: the mere opening of a safeguard, a judicial reorganisation or a
# liquidation never ends a contract in force; any clause saying otherwise is void. Only the
# administrator (or liquidator) chooses to continue it; it ends after a formal notice left
# unanswered for a month, or for a non-payment after the opening.
INSOLVENCY_CLAUSE_VOID = LegalFact(
    "la seule ouverture d'une procédure collective ne résilie pas le contrat",
    "C. com. L622-13 I",
)
INSOLVENCY_LIQUIDATION = LegalFact(
    "la même règle en liquidation judiciaire, le liquidateur décidant de la poursuite",
    "C. com. L641-11-1",
)
INSOLVENCY_UNANSWERED = LegalFact(LegalPeriod(1, "mois"), "C. com. L622-13 III 1°")
