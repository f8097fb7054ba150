"""The legal lint: every check run on a version's clauses, findings sorted."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Final

from clausier.rules.calendar import require_date
from clausier.rules.interest import (
    LegalRateTable,
)
from clausier.terms.domain.consumer import (
    check_mediator,
    check_refund,
    check_tacit_renewal,
    check_withdrawal,
)
from clausier.terms.domain.facts import SEVERITIES, ClauseFacts, Finding, SellerFacts
from clausier.terms.domain.insolvency import check_insolvency
from clausier.terms.domain.payment import (
    check_early_discount,
    check_late_penalty,
    check_payment_term,
    check_recovery_indemnity,
    check_vat_regime,
)
from clausier.terms.domain.support import LintedTerms

_LINT: Final = "legal lint"


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
    terms = LintedTerms(tuple(clauses), seller, on, rate_table)
    findings: list[Finding] = []
    for check in _CHECKS:
        findings.extend(check(terms))
    rank = {severity: index for index, severity in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (rank[f.severity], f.code, f.clause_id))


_CHECKS: Final = (
    check_withdrawal,
    check_refund,
    check_late_penalty,
    check_recovery_indemnity,
    check_payment_term,
    check_tacit_renewal,
    check_mediator,
    check_vat_regime,
    check_early_discount,
    check_insolvency,
)
