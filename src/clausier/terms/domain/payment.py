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
    format_eur,
    format_number,
    format_percent,
)
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
    date_fr,
    event_fr,
    longest_run,
    new_finding,
    period_of,
    period_runs,
)
from clausier.terms.schemas import ClauseKind

_INVOICE_DATE_STARTS: Final = frozenset({"invoice_date", "invoice_issue"})

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
                new_finding(
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
                new_finding(
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


def check_recovery_indemnity(terms: LintedTerms) -> list[Finding]:
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
            new_finding(
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
                new_finding(
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
                new_finding(
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
        stated = period_of(params)
        runs = period_runs(stated, cap.value, terms.on)
        late = longest_run(runs)
        if late.gap <= 0:
            continue
        assumption = ""
        if params.from_ not in _INVOICE_DATE_STARTS:
            assumption = (
                f" (le délai court à compter de {event_fr(params.from_)} : clausier le compte "
                "comme s'il partait de la date de facture, ce qui ne peut que le sous-estimer)"
            )
        findings.append(
            new_finding(
                "payment_term.too_long",
                "error",
                clause,
                law=cap.source,
                law_text=law_text,
                message=(
                    f"La clause fixe un délai de paiement de {stated.label} à compter de "
                    f"{event_fr(params.from_)}, soit jusqu'à "
                    f"{max(r.clause_days for r in runs)} jours après la date de facture, au-delà "
                    f"du plafond de {cap.value.short_label} (ou {eom} "
                    f"jours fin de mois). Par exemple, facture du {date_fr(late.start)} : "
                    f"échéance le {date_fr(late.clause_end)} au lieu du "
                    f"{date_fr(late.law_end)} au plus tard{assumption}."
                ),
                applied=(
                    f"{cap.value.short_label} à compter de la date "
                    f"d'émission de la facture ({cap.source.removeprefix('C. com. ')})"
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
        new_finding(
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


def check_early_discount(terms: LintedTerms) -> list[Finding]:
    if not terms.professionals or terms.of_kind(ClauseKind.PAYMENT_EARLY_DISCOUNT):
        return []
    return [
        new_finding(
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
