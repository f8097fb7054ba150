"""The collective proceedings check: a clause ending a contract for a party's insolvency
(seed 002 art. 7) is limited by mandatory law (C. com. L622-13, L641-11-1)."""

from __future__ import annotations

from clausier.rules.wording import words
from clausier.terms.domain.facts import (
    INSOLVENCY_CLAUSE_VOID,
    INSOLVENCY_LIQUIDATION,
    INSOLVENCY_UNANSWERED,
    Finding,
)
from clausier.terms.domain.support import LintedTerms, new_finding
from clausier.terms.schemas import ClauseKind


def check_insolvency(terms: LintedTerms) -> list[Finding]:
    """A warning on every insolvency termination clause: it cannot end the contract by the
    sole opening of a collective procedure; the administrator (or liquidator) alone decides
    whether the contract goes on, and termination needs a formal notice left unanswered for
    a month, or a non-payment after the opening."""
    findings = []
    for clause, _params in terms.of_kind(ClauseKind.CONTRACT_TERMINATION_INSOLVENCY):
        findings.append(
            new_finding(
                "insolvency.mandatory_law",
                "warning",
                clause,
                law=f"{INSOLVENCY_CLAUSE_VOID.source}; {INSOLVENCY_LIQUIDATION.source}",
                law_text=words(
                    "Aucune résiliation ne peut résulter du seul fait de l'ouverture d'une "
                    "procédure de sauvegarde, de redressement ou de liquidation judiciaire : "
                    "toute clause contraire est réputée non écrite. L'administrateur (ou le "
                    "liquidateur) a seul la faculté d'exiger la poursuite du contrat ; le "
                    "contrat est résilié de plein droit après une mise en demeure restée plus "
                    "de {period} sans réponse, ou à défaut de paiement après l'ouverture.",
                    period=INSOLVENCY_UNANSWERED.value.words,
                ),
                message=words(
                    "La clause résilie le contrat en cas de procédure collective : elle ne vaut "
                    "pas pour la seule ouverture de la procédure, le droit des procédures "
                    "collectives étant d'ordre public."
                ),
                applied=words(
                    "clausier ne permet la résiliation qu'après une mise en demeure de "
                    "l'administrateur (ou du liquidateur) restée plus de {period} sans réponse "
                    "({source})",
                    period=INSOLVENCY_UNANSWERED.value.words,
                    source=INSOLVENCY_UNANSWERED.source.removeprefix("C. com. "),
                ),
            )
        )
    return findings
