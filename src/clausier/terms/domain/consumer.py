"""The consumer checks: withdrawal (1), refund (2), tacit renewal (6), mediator (7)."""

from __future__ import annotations

from typing import Final

from clausier.rules.explain import LegalFact
from clausier.rules.wording import Words, words
from clausier.terms.domain.facts import (
    CHATEL_NOTICE_EARLIEST,
    CHATEL_NOTICE_LATEST,
    CONSUMER_MEDIATION_IN_FORCE,
    REFUND_PERIOD,
    REFUND_PERIOD_BEFORE_HAMON,
    WITHDRAWAL_EXTENSION_UNINFORMED,
    WITHDRAWAL_PERIOD,
    WITHDRAWAL_PERIOD_BEFORE_HAMON,
    Finding,
    LegalPeriod,
)
from clausier.terms.domain.support import (
    LintedTerms,
    date_words,
    days_words,
    event_words,
    how_it_counts,
    longest_run,
    new_finding,
    period_of,
    period_runs,
    shortest_run,
    span_words,
)
from clausier.terms.schemas import ClauseKind

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
# --- 1. consumer withdrawal (L221-18, L221-5) ----------------------------------------------


def _withdrawal_law(terms: LintedTerms) -> LegalFact[LegalPeriod]:
    return WITHDRAWAL_PERIOD if terms.after_hamon else WITHDRAWAL_PERIOD_BEFORE_HAMON


def _withdrawal_applied(terms: LintedTerms) -> Words:
    law = _withdrawal_law(terms)
    if terms.after_hamon:
        return words(
            "{period} à compter de la conclusion du contrat, prorogé au premier jour ouvrable "
            "suivant s'il expire un samedi, dimanche ou jour férié ({source}, CPC 642)",
            period=law.value.words,
            source=law.source.removeprefix("C. conso. "),
        )
    return words(
        "{period} à compter de l'acceptation de l'offre, prorogé au premier jour ouvrable "
        "suivant s'il expire un samedi, dimanche ou jour férié ({source})",
        period=law.value.words,
        source=law.source,
    )


def _withdrawal_law_text(terms: LintedTerms) -> Words:
    law = _withdrawal_law(terms)
    if terms.after_hamon:
        return words(
            "Le consommateur dispose d'un délai de {period} pour se rétracter d'un contrat conclu "
            "à distance ou hors établissement, à compter, pour une prestation de services, du "
            "jour de la conclusion du contrat.",
            period=law.value.words,
        )
    return words(
        "Le consommateur dispose d'un délai de {period} pour se rétracter, à compter, pour une "
        "prestation de services, de l'acceptation de l'offre.",
        period=law.value.words,
    )


def check_withdrawal(terms: LintedTerms) -> list[Finding]:
    if not terms.consumers:
        return []
    law = _withdrawal_law(terms)
    clauses = terms.of_kind(ClauseKind.WITHDRAWAL_PERIOD)
    if not clauses:
        silent = words(
            "Les conditions s'adressent à des consommateurs mais ne disent rien du droit de "
            "rétractation de {period}.",
            period=law.value.words,
        )
        if terms.after_hamon:
            silent = words(
                "Les conditions s'adressent à des consommateurs mais ne disent rien du droit de "
                "rétractation de {period} ; faute de cette information, le délai de rétractation "
                "est prolongé de {extension} ({source}).",
                period=law.value.words,
                extension=WITHDRAWAL_EXTENSION_UNINFORMED.value.words,
                source=WITHDRAWAL_EXTENSION_UNINFORMED.source,
            )
        return [
            new_finding(
                "withdrawal.missing",
                "warning",
                None,
                law="C. conso. L221-5" if terms.after_hamon else law.source,
                law_text=words(
                    "Avant la conclusion du contrat, le professionnel informe le consommateur "
                    "des conditions, du délai et des modalités d'exercice du droit de rétractation."
                ),
                message=silent,
                applied=_withdrawal_applied(terms),
            )
        ]
    findings = []
    for clause, params in clauses:
        stated = period_of(params)
        runs = period_runs(stated, law.value, terms.on)
        short = shortest_run(runs)
        if short.gap < 0:
            findings.append(
                new_finding(
                    "withdrawal.too_short",
                    "error",
                    clause,
                    law=law.source,
                    law_text=_withdrawal_law_text(terms),
                    message=words(
                        "La clause accorde {stated} à compter de {event} ({counting}) : le délai "
                        "expire {clause_span} après son point de départ (report du week-end ou du "
                        "jour férié compris), contre {law_span} pour le délai légal de {period}. "
                        "Par exemple, pour un contrat conclu le {start}, la clause fait expirer "
                        "le délai le {clause_end}, la loi le {law_end} ({shortfall} de moins).",
                        stated=stated.words,
                        event=event_words(params.from_),
                        counting=how_it_counts(stated),
                        clause_span=span_words(r.clause_days for r in runs),
                        law_span=span_words(r.law_days for r in runs),
                        period=law.value.words,
                        start=date_words(short.start),
                        clause_end=date_words(short.clause_end),
                        law_end=date_words(short.law_end),
                        shortfall=days_words(-short.gap),
                    ),
                    applied=_withdrawal_applied(terms),
                )
            )
        if params.from_ not in _WITHDRAWAL_STARTS:
            findings.append(
                new_finding(
                    "withdrawal.start_unknown",
                    "warning",
                    clause,
                    law=law.source,
                    law_text=_withdrawal_law_text(terms),
                    message=words(
                        "Le délai de rétractation court à compter de {event}, événement que "
                        "clausier ne sait pas situer par rapport à la conclusion du contrat : il "
                        "ne peut courir avant elle.",
                        event=event_words(params.from_),
                    ),
                    applied=_withdrawal_applied(terms),
                )
            )
    return findings


# --- 2. refund after withdrawal (L221-24, L221-25, L221-28) ---------------------------------


def check_refund(terms: LintedTerms) -> list[Finding]:
    if not terms.consumers:
        return []
    law = REFUND_PERIOD if terms.after_hamon else REFUND_PERIOD_BEFORE_HAMON
    if terms.after_hamon:
        law_text = words(
            "Le professionnel rembourse la totalité des sommes versées au plus tard dans les "
            "{period} à compter de la date à laquelle il est informé de la décision du "
            "consommateur de se rétracter.",
            period=law.value.short_words,
        )
        applied = words(
            "{period} à compter de la date à laquelle le professionnel est informé de la "
            "décision de rétractation",
            period=law.value.short_words,
        )
    else:
        law_text = words(
            "Le professionnel rembourse le consommateur sans délai et au plus tard dans les "
            "{period} suivant la date à laquelle le droit de rétractation a été exercé.",
            period=law.value.short_words,
        )
        applied = words(
            "{period} à compter de l'exercice du droit de rétractation",
            period=law.value.short_words,
        )
    findings = []
    for clause, params in terms.of_kind(ClauseKind.WITHDRAWAL_REFUND):
        stated = period_of(params)
        runs = period_runs(stated, law.value, terms.on)
        late = longest_run(runs)
        problems: list[Words] = []
        if late.gap > 0:
            problems.append(
                words(
                    "ce délai expire {clause_span} après son point de départ (report du week-end "
                    "ou du jour férié compris), contre {law_span} pour le délai légal de "
                    "{period} (par exemple, pour une rétractation reçue le {start} : le "
                    "{clause_end} au lieu du {law_end})",
                    clause_span=span_words(r.clause_days for r in runs),
                    law_span=span_words(r.law_days for r in runs),
                    period=law.value.words,
                    start=date_words(late.start),
                    clause_end=date_words(late.clause_end),
                    law_end=date_words(late.law_end),
                )
            )
        if params.from_ not in _REFUND_STARTS:
            problems.append(
                words(
                    "il court à compter de {event} et non du jour où le professionnel est "
                    "informé de la rétractation, ce qui lui permet d'en retarder le départ",
                    event=event_words(params.from_),
                )
            )
        if problems:
            findings.append(
                new_finding(
                    "refund.too_late",
                    "error",
                    clause,
                    law=law.source,
                    law_text=law_text,
                    message=words(
                        "La clause prévoit le remboursement dans les {stated} à compter de "
                        "{event} : {problems}.",
                        stated=stated.words,
                        event=event_words(params.from_),
                        problems=problems[0]
                        if len(problems) == 1
                        else words("{first} ; {second}", first=problems[0], second=problems[1]),
                    ),
                    applied=applied,
                )
            )
        # Before Hamon, a service whose performance had begun with the consumer's agreement
        # was outside the right of withdrawal (former L121-20-2 1°): the clause was lawful.
        if params.refused_if_service_used and terms.after_hamon:
            findings.append(
                new_finding(
                    "refund.refused_if_used",
                    "error",
                    clause,
                    law="C. conso. L221-25, L221-28 1°",
                    law_text=words(
                        "Le consommateur qui se rétracte d'un service commencé à sa demande "
                        "expresse pendant le délai ne doit qu'un montant proportionné au service "
                        "fourni jusqu'à sa rétractation ; le droit n'est exclu que pour un service "
                        "pleinement exécuté avant la fin du délai avec son accord préalable exprès "
                        "et son renoncement exprès à ce droit."
                    ),
                    message=words(
                        "La clause refuse tout remboursement dès que le service a été utilisé, "
                        "même partiellement : la loi ne permet de retenir que la part du service "
                        "fourni jusqu'à la rétractation, et seulement si le consommateur a demandé "
                        "expressément que l'exécution commence pendant le délai."
                    ),
                    applied=words(
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


# --- 6. tacit renewal towards consumers (L215-1) -----------------------------------------------


def check_tacit_renewal(terms: LintedTerms) -> list[Finding]:
    if not terms.consumers:
        return []
    earliest, latest = CHATEL_NOTICE_EARLIEST, CHATEL_NOTICE_LATEST
    findings = []
    for clause, params in terms.of_kind(ClauseKind.CONTRACT_RENEWAL):
        if not params.tacit or params.chatel_information:
            continue
        message = words(
            "La clause reconduit le contrat tacitement sans prévoir l'information écrite du "
            "consommateur sur sa faculté de ne pas le reconduire."
        )
        if params.notice is not None:
            message = words(
                "La clause reconduit le contrat tacitement (préavis de {notice} avant le terme) "
                "sans prévoir l'information écrite du consommateur sur sa faculté de ne pas le "
                "reconduire.",
                notice=period_of(params.notice).words,
            )
        findings.append(
            new_finding(
                "renewal.no_chatel",
                "warning",
                clause,
                law=earliest.source,
                law_text=words(
                    "Le prestataire informe le consommateur par écrit, au plus tôt {earliest} et "
                    "au plus tard {latest} avant le terme de la période autorisant le rejet de la "
                    "reconduction tacite, de la possibilité de ne pas reconduire ; à défaut, le "
                    "consommateur peut résilier gratuitement à tout moment à compter de la "
                    "reconduction.",
                    earliest=earliest.value.words,
                    latest=latest.value.words,
                ),
                message=message,
                applied=words(
                    "clausier informe le consommateur par écrit entre {earliest} et {latest} "
                    "avant le terme ; à défaut, il peut résilier à tout moment ({source})",
                    earliest=earliest.value.words,
                    latest=latest.value.words,
                    source=earliest.source.removeprefix("C. conso. "),
                ),
            )
        )
    return findings


# --- 7. consumer mediator (L612-1) -------------------------------------------------------------


def check_mediator(terms: LintedTerms) -> list[Finding]:
    if not terms.consumers or not terms.in_force(CONSUMER_MEDIATION_IN_FORCE):
        return []
    if terms.seller.mediator_name.strip() or terms.of_kind(ClauseKind.CONSUMER_MEDIATOR):
        return []
    return [
        new_finding(
            "mediator.missing",
            "warning",
            None,
            law="C. conso. L612-1, L616-1",
            law_text=words(
                "Tout consommateur a le droit de recourir gratuitement à un médiateur de la "
                "consommation ; le professionnel lui en communique les coordonnées."
            ),
            message=words(
                "Les conditions s'adressent à des consommateurs mais ne désignent aucun médiateur "
                "de la consommation, et la fiche du vendeur n'en indique pas."
            ),
            applied=words(
                "aucun médiateur n'est imprimé : le personnel doit désigner le médiateur auquel "
                "le vendeur adhère (nom et site) dans la fiche vendeur pour qu'il figure sur les "
                "documents remis aux consommateurs"
            ),
        )
    ]
