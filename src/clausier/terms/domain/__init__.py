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

from clausier.terms.domain.facts import (
    CHATEL_NOTICE_EARLIEST,
    CHATEL_NOTICE_LATEST,
    CONSUMER,
    CONSUMER_MEDIATION_IN_FORCE,
    DEFAULT_PAYMENT_TERM,
    DEFAULT_PENALTY_POINTS,
    HAMON_IN_FORCE,
    LME_IN_FORCE,
    NO_DISCOUNT_MENTION,
    PAYMENT_TERM_CAP,
    PAYMENT_TERM_CAP_END_OF_MONTH,
    PROFESSIONALS,
    RECOVERY_INDEMNITY_IN_FORCE,
    REFUND_PERIOD,
    REFUND_PERIOD_BEFORE_HAMON,
    SEVERITIES,
    WITHDRAWAL_EXTENSION_UNINFORMED,
    WITHDRAWAL_PERIOD,
    WITHDRAWAL_PERIOD_BEFORE_HAMON,
    ClauseFacts,
    Finding,
    LegalPeriod,
    SellerFacts,
)
from clausier.terms.domain.lint import (
    lint_terms,
)
from clausier.terms.domain.snapshot import (
    clause_snapshot,
)

__all__ = [
    "CHATEL_NOTICE_EARLIEST",
    "CHATEL_NOTICE_LATEST",
    "CONSUMER",
    "CONSUMER_MEDIATION_IN_FORCE",
    "DEFAULT_PAYMENT_TERM",
    "DEFAULT_PENALTY_POINTS",
    "HAMON_IN_FORCE",
    "LME_IN_FORCE",
    "NO_DISCOUNT_MENTION",
    "PAYMENT_TERM_CAP",
    "PAYMENT_TERM_CAP_END_OF_MONTH",
    "PROFESSIONALS",
    "RECOVERY_INDEMNITY_IN_FORCE",
    "REFUND_PERIOD",
    "REFUND_PERIOD_BEFORE_HAMON",
    "SEVERITIES",
    "WITHDRAWAL_EXTENSION_UNINFORMED",
    "WITHDRAWAL_PERIOD",
    "WITHDRAWAL_PERIOD_BEFORE_HAMON",
    "ClauseFacts",
    "Finding",
    "LegalPeriod",
    "SellerFacts",
    "clause_snapshot",
    "lint_terms",
]
