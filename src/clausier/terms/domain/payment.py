"""The payment and invoice checks: late penalty (3), recovery indemnity (4), payment term (5),
VAT franchise mention (8), early-payment discount (9)."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from clausier.rules.errors import MissingRateError
from clausier.rules.interest import (
    B2B_PENALTY_FLOOR_MULTIPLIER,
    RECOVERY_INDEMNITY,
    legal_rate,
)
from clausier.rules.money import (
    FRANCHISE_MENTION,
    VatRegime,
)
from clausier.rules.wording import Euros, Percent, Words, words
from clausier.terms.domain.facts import (
    DEFAULT_PAYMENT_TERM,
    DEFAULT_PENALTY_POINTS,
    LME_IN_FORCE,
    NO_DISCOUNT_MENTION,
    PAYMENT_TERM_CAP,
    PAYMENT_TERM_CAP_END_OF_MONTH,
    RECOVERY_INDEMNITY_IN_FORCE,
    Finding,
)
from clausier.terms.domain.support import (
    LintedTerms,
    date_words,
    event_words,
    longest_run,
    new_finding,
    period_of,
    period_runs,
)
from clausier.terms.schemas import ClauseKind

_INVOICE_DATE_STARTS: Final = frozenset({"invoice_date", "invoice_issue"})

# --- 3. B2B late penalty (L441-10 II) ---------------------------------------------------------


def _penalty_law_text() -> Words:
    return words(
        "Entre professionnels, les conditions de règlement précisent le taux des pénalités de "
        "retard, qui ne peut être inférieur à {floor} fois le taux d'intérêt légal ; à défaut, "
        "il est égal au taux de refinancement de la BCE majoré de {points} points de "
        "pourcentage.",
        floor=B2B_PENALTY_FLOOR_MULTIPLIER.value,
        points=DEFAULT_PENALTY_POINTS.value,
    )


def _default_penalty_applied() -> Words:
    return words(
        "le taux légal par défaut : taux de refinancement de la BCE majoré de {points} points "
        "({source}) ; clausier ne connaît pas le taux BCE : le personnel doit saisir le taux de "
        "la dernière opération de refinancement avant tout calcul de pénalités",
        points=DEFAULT_PENALTY_POINTS.value,
        source=DEFAULT_PENALTY_POINTS.source,
    )


def _floor_applied(floor: Decimal, rate: Decimal | None) -> Words:
    if rate is None:
        return words(
            "le plancher légal : {floor} fois le taux d'intérêt légal ({source})",
            floor=floor,
            source=B2B_PENALTY_FLOOR_MULTIPLIER.source,
        )
    return words(
        "le plancher légal : {floor} fois le taux d'intérêt légal ({source}), soit {floor} × "
        "{rate} = {result}",
        floor=floor,
        source=B2B_PENALTY_FLOOR_MULTIPLIER.source,
        rate=Percent(rate),
        result=Percent(floor * rate),
    )


def _stated_penalty(params) -> Words:
    """ "3 fois le taux" (of the legal rate or of the ECB's, said by the caller)."""
    return words("{multiplier} fois le taux", multiplier=params.multiplier)


def _ecb_message(params, floor: Decimal) -> Words:
    if params.plus_points:
        return words(
            "La clause fixe la pénalité à {stated} BCE majoré de {points} points : clausier ne "
            "connaît pas le taux BCE et ne peut vérifier le plancher de {floor} fois le taux "
            "légal.",
            stated=_stated_penalty(params),
            points=params.plus_points,
            floor=floor,
        )
    return words(
        "La clause fixe la pénalité à {stated} BCE : clausier ne connaît pas le taux BCE et ne "
        "peut vérifier le plancher de {floor} fois le taux légal.",
        stated=_stated_penalty(params),
        floor=floor,
    )


def _below_figures(
    params, *, floor: Decimal, rate: Decimal | None, points: Decimal, missing: Words | None, on
) -> tuple[bool, Words]:
    """Whether the clause's rate is below the floor, and the figures that show it."""
    if rate is not None:
        total = params.multiplier * rate + points
        clause_rate = (
            words(
                "{multiplier} × {rate} + {points}",
                multiplier=params.multiplier,
                rate=Percent(rate),
                points=Percent(points),
            )
            if points
            else words("{multiplier} × {rate}", multiplier=params.multiplier, rate=Percent(rate))
        )
        return total < floor * rate, words(
            "{clause_rate} = {total}, sous le plancher de {floor} × {rate} = {minimum} (taux "
            "légal du {on})",
            clause_rate=clause_rate,
            total=Percent(total),
            floor=floor,
            rate=Percent(rate),
            minimum=Percent(floor * rate),
            on=on,
        )
    if points == 0:
        figures = words(
            "{multiplier} < {floor} fois le taux légal", multiplier=params.multiplier, floor=floor
        )
        below = params.multiplier < floor
    else:
        # Points added to a low multiple: whether it reaches the floor depends on the rate.
        figures = words("{multiplier} < {floor}", multiplier=params.multiplier, floor=floor)
        below = params.multiplier < floor and points < 0
    if missing is not None:
        figures = words("{figures} ({missing})", figures=figures, missing=missing)
    return below, figures


def check_late_penalty(terms: LintedTerms) -> list[Finding]:
    if not terms.professionals:
        return []
    law = B2B_PENALTY_FLOOR_MULTIPLIER.source
    clauses = terms.of_kind(ClauseKind.LATE_PENALTY)
    if not clauses:
        return [
            new_finding(
                "late_penalty.missing",
                "warning",
                None,
                law=law,
                law_text=_penalty_law_text(),
                message=words(
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
        missing_rate = None
    except MissingRateError as exc:
        rate = None
        missing_rate = words("taux légal du {on} inconnu : {error}", on=terms.on, error=str(exc))
    findings = []
    for clause, params in clauses:
        points = params.plus_points / 100
        if params.of == "ecb_rate":
            findings.append(
                new_finding(
                    "late_penalty.ecb_unverified",
                    "info",
                    clause,
                    law=law,
                    law_text=_penalty_law_text(),
                    message=_ecb_message(params, floor),
                    applied=words(
                        "le taux de la clause une fois le taux BCE saisi par le personnel, et au "
                        "moins {floor}",
                        floor=_floor_applied(floor, rate),
                    ),
                )
            )
            continue
        below, figures = _below_figures(
            params, floor=floor, rate=rate, points=points, missing=missing_rate, on=terms.on
        )
        if below:
            findings.append(
                new_finding(
                    "late_penalty.below_floor",
                    "error",
                    clause,
                    law=law,
                    law_text=_penalty_law_text(),
                    message=words(
                        "La clause fixe la pénalité de retard à {stated} légal : {figures}.",
                        stated=_stated_penalty(params),
                        figures=figures,
                    ),
                    applied=_floor_applied(floor, rate),
                )
            )
    return findings


# --- 4. recovery indemnity (L441-10 II, D441-5) --------------------------------------------------


def check_recovery_indemnity(terms: LintedTerms) -> list[Finding]:
    if not terms.professionals or not terms.in_force(RECOVERY_INDEMNITY_IN_FORCE):
        return []
    amount = RECOVERY_INDEMNITY.value
    law = RECOVERY_INDEMNITY.source
    law_text = words(
        "Tout professionnel en retard de paiement doit de plein droit une indemnité forfaitaire "
        "pour frais de recouvrement de {amount}, que les conditions de règlement mentionnent.",
        amount=Euros(amount),
    )
    applied = words(
        "{amount} par facture payée en retard, clients professionnels seulement, non soumis à "
        "la TVA",
        amount=Euros(amount),
    )
    clauses = terms.of_kind(ClauseKind.LATE_INDEMNITY)
    if not clauses:
        return [
            new_finding(
                "indemnity.missing",
                "warning",
                None,
                law=law,
                law_text=law_text,
                message=words(
                    "Les conditions s'adressent à des professionnels mais ne mentionnent pas "
                    "l'indemnité forfaitaire de {amount} pour frais de recouvrement.",
                    amount=Euros(amount),
                ),
                applied=applied,
            )
        ]
    findings = []
    for clause, params in clauses:
        if params.amount is None:
            findings.append(
                new_finding(
                    "indemnity.no_amount",
                    "warning",
                    clause,
                    law=law,
                    law_text=law_text,
                    message=words(
                        "La clause mentionne l'indemnité forfaitaire pour frais de recouvrement "
                        "sans en indiquer le montant, fixé par la loi à {amount}.",
                        amount=Euros(amount),
                    ),
                    applied=applied,
                )
            )
        elif params.amount < amount:
            findings.append(
                new_finding(
                    "indemnity.too_low",
                    "error",
                    clause,
                    law=law,
                    law_text=law_text,
                    message=words(
                        "La clause fixe l'indemnité à {stated}, sous le montant légal de {amount}.",
                        stated=Euros(params.amount),
                        amount=Euros(amount),
                    ),
                    applied=applied,
                )
            )
    return findings


# --- 5. payment term (L441-10 I) -----------------------------------------------------------------


def check_payment_term(terms: LintedTerms) -> list[Finding]:
    if not terms.professionals:
        return []
    cap = PAYMENT_TERM_CAP
    clauses = terms.of_kind(ClauseKind.PAYMENT_DUE)
    if not clauses:
        default = DEFAULT_PAYMENT_TERM
        return [
            new_finding(
                "payment_term.missing",
                "info",
                None,
                law=f"{default.source} al. 1",
                law_text=words(
                    "Sauf stipulation contraire, le délai de règlement est de {period} suivant "
                    "la réception des marchandises ou l'exécution de la prestation.",
                    period=default.value.short_words,
                ),
                message=words("Les conditions ne fixent pas de délai de paiement."),
                applied=words(
                    "à défaut, {period} après réception des marchandises ou exécution de la "
                    "prestation ({source} al. 1)",
                    period=default.value.short_words,
                    source=default.source.removeprefix("C. com. "),
                ),
            )
        ]
    if not terms.in_force(LME_IN_FORCE):
        return []
    eom = PAYMENT_TERM_CAP_END_OF_MONTH.value.n
    law_text = words(
        "Le délai de paiement convenu ne peut dépasser {cap} à compter de la date d'émission de "
        "la facture, ou {eom} jours fin de mois si ce délai est expressément stipulé.",
        cap=cap.value.short_words,
        eom=eom,
    )
    findings = []
    for clause, params in clauses:
        stated = period_of(params)
        runs = period_runs(stated, cap.value, terms.on)
        late = longest_run(runs)
        if late.gap <= 0:
            continue
        message = words(
            "La clause fixe un délai de paiement de {stated} à compter de {event}, soit jusqu'à "
            "{days} jours après la date de facture, au-delà du plafond de {cap} (ou {eom} jours "
            "fin de mois). Par exemple, facture du {start} : échéance le {clause_end} au lieu du "
            "{law_end} au plus tard.",
            stated=stated.words,
            event=event_words(params.from_),
            days=max(r.clause_days for r in runs),
            cap=cap.value.short_words,
            eom=eom,
            start=date_words(late.start),
            clause_end=date_words(late.clause_end),
            law_end=date_words(late.law_end),
        )
        if params.from_ not in _INVOICE_DATE_STARTS:
            message = words(
                "{message} Le délai court à compter de {event} : clausier le compte comme s'il "
                "partait de la date de facture, ce qui ne peut que le sous-estimer.",
                message=message,
                event=event_words(params.from_),
            )
        findings.append(
            new_finding(
                "payment_term.too_long",
                "error",
                clause,
                law=cap.source,
                law_text=law_text,
                message=message,
                applied=words(
                    "{cap} à compter de la date d'émission de la facture ({source})",
                    cap=cap.value.short_words,
                    source=cap.source.removeprefix("C. com. "),
                ),
            )
        )
    return findings


# --- 8. VAT franchise mention (CGI 293 B) ------------------------------------------------------


def check_vat_regime(terms: LintedTerms) -> list[Finding]:
    franchise = VatRegime.FRANCHISE_293B
    mention = FRANCHISE_MENTION
    clauses = terms.of_kind(ClauseKind.VAT_REGIME)
    findings = []
    for clause, params in clauses:
        if params.regime != terms.seller.vat_regime:
            findings.append(
                new_finding(
                    "vat.regime_mismatch",
                    "warning",
                    clause,
                    law="CGI art. 256, 293 B",
                    law_text=words(
                        "Le régime de TVA du vendeur (assujetti ou franchise en base) détermine "
                        "la TVA facturée et les mentions des factures."
                    ),
                    message=words(
                        "Les conditions indiquent le régime « {stated} », la fiche du vendeur le "
                        "régime « {seller} ».",
                        stated=params.regime,
                        seller=terms.seller.vat_regime,
                    ),
                    applied=words(
                        "clausier facture selon le régime de la fiche vendeur (« {seller} ») ; "
                        "corriger l'une ou l'autre",
                        seller=terms.seller.vat_regime,
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
        new_finding(
            "vat.franchise_mention",
            "warning",
            clause,
            law=mention.source,
            law_text=words(
                "Le vendeur en franchise en base ne facture pas la TVA et porte sur chaque "
                "facture la mention « {mention} ».",
                mention=mention.value,
            ),
            message=words(
                "Le vendeur relève de la franchise en base mais les conditions portent « {text} » "
                "au lieu de la mention exacte « {mention} ».",
                text=text,
                mention=mention.value,
            )
            if text
            else words(
                "Le vendeur relève de la franchise en base mais les conditions ne portent pas la "
                "mention exacte « {mention} ».",
                mention=mention.value,
            ),
            applied=words(
                "clausier imprime la mention « {mention} » sur chaque facture",
                mention=mention.value,
            ),
        )
    )
    return findings


# --- 9. early-payment discount (L441-9) --------------------------------------------------------


def check_early_discount(terms: LintedTerms) -> list[Finding]:
    if not terms.professionals or terms.of_kind(ClauseKind.PAYMENT_EARLY_DISCOUNT):
        return []
    return [
        new_finding(
            "early_discount.missing",
            "info",
            None,
            law=NO_DISCOUNT_MENTION.source,
            law_text=words(
                "La facture mentionne les conditions d'escompte applicables en cas de paiement "
                "à une date antérieure à celle résultant des conditions générales de vente."
            ),
            message=words(
                "Les conditions ne disent pas si un escompte est accordé en cas de paiement "
                "anticipé."
            ),
            applied=words(
                "clausier imprime « {mention} » sur les factures",
                mention=NO_DISCOUNT_MENTION.value,
            ),
        )
    ]
