"""The late-penalty rate, the 40 EUR recovery indemnity and the early-payment sentence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from clausier.invoicing.document import (
    Condition,
)
from clausier.invoicing.domain.facts import (
    CONSUMER_LATE_INTEREST,
    DEFAULT_PENALTY,
    NO_DISCOUNT,
    InvoiceFacts,
    LatePenalty,
)
from clausier.rules.errors import MissingRateError
from clausier.rules.explain import Explained, Step
from clausier.rules.interest import (
    B2B_PENALTY_FLOOR_MULTIPLIER,
    LATE_PAYMENT_LAW,
    RECOVERY_INDEMNITY,
    b2b_penalty_floor,
    contractual_late_rate,
    legal_rate,
    recovery_indemnity,
)
from clausier.rules.money import (
    CENT,
    format_eur,
    format_number,
    format_percent,
)

# --- late penalty and indemnity -------------------------------------------------------------

# Every invoice and credit note states the three payment mentions (XP Z12-012 BR-FR-05: notes
# PMD, PMT, AAB), the PDF as the Factur-X XML; where one has no object, it says so and why.
CREDIT_NOTE_PENALTY: Final = "Pénalités de retard : sans objet pour un avoir."
CREDIT_NOTE_INDEMNITY: Final = (
    "Indemnité forfaitaire pour frais de recouvrement : sans objet pour un avoir."
)
CREDIT_NOTE_DISCOUNT: Final = "Escompte pour paiement anticipé : sans objet pour un avoir."
CONSUMER_PENALTY: Final = (
    "Pénalités de retard : aucune pénalité contractuelle ; à défaut de paiement, intérêts au "
    f"taux légal à compter de la mise en demeure ({CONSUMER_LATE_INTEREST.source})."
)
CONSUMER_INDEMNITY: Final = (
    "Indemnité forfaitaire pour frais de recouvrement : non applicable, le client n'agit pas "
    f"en professionnel ({RECOVERY_INDEMNITY.source})."
)


@dataclass(frozen=True, slots=True)
class Penalty:
    sentence: str
    rate_percent: Decimal | None
    condition: Condition | None
    explained: Explained | None


def percent_of(rate: Decimal) -> Decimal:
    """A fraction as the percent a document prints: Decimal("0.2") -> Decimal("20.00")."""
    return (Decimal(rate) * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def late_penalty(facts: InvoiceFacts, *, due_on: date) -> Penalty:
    """The late-penalty sentence with the rate that applies to this document.

    With a clause in legal-rate multiples (seed 002 art. 6: "trois (3) fois le taux d'intérêt
    légal (en vigueur au jour de la facturation)") the rate is computed for the clause's date,
    or the formula stated in words while the legal rate of that date is not in the table;
    for a professional client it is never below the legal floor of 3 × the legal rate of that
    date (C. com. L441-10 II: a lower clause gives way to the floor). A clause on the ECB rate,
    or no clause for a professional, is printed in words with the floor: clausier does not know
    the ECB rate. A consumer without a clause gets no sentence: the mention belongs to
    invoices between professionals (C. com. L441-9).
    """
    if facts.is_credit_note:
        return Penalty(CREDIT_NOTE_PENALTY, None, None, None)
    clause = facts.late_penalty
    professional = facts.buyer.is_professional
    if clause is None and not professional:
        return Penalty(CONSUMER_PENALTY, None, None, None)
    rate_on = due_on if clause is not None and clause.rate_date == "due_date" else facts.issue_date
    if clause is None or clause.of == "ecb_rate":
        try:
            floor = b2b_penalty_floor(on=rate_on, table=facts.rate_table) if professional else None
        except MissingRateError:
            floor = None  # the floor is then stated in words: nothing is guessed
        return _ecb_penalty(facts, clause, floor, professional=professional)
    try:
        floor = b2b_penalty_floor(on=rate_on, table=facts.rate_table) if professional else None
        legal = legal_rate(on=rate_on, table=facts.rate_table)
        stated = contractual_late_rate(
            multiplier=clause.multiplier, invoice_date=rate_on, table=facts.rate_table
        )
    except MissingRateError:
        # The legal rate of that semester is not in the table yet: the clause's formula is
        # stated in words, without a figure; nothing is guessed, and issuing never waits.
        return _penalty_in_words(clause, rate_on, professional=professional)
    when = "à l'échéance" if clause.rate_date == "due_date" else "à la date de facture"
    points = clause.plus_points / 100
    rate = stated.value + points
    steps = [*stated.steps]
    why = (
        f"{format_number(clause.multiplier)} fois le taux d'intérêt légal en vigueur {when} "
        f"({format_percent(legal)})"
    )
    if points:
        steps.append(Step(f"+ {format_number(clause.plus_points)} points", rate))
        why += f" majoré de {format_number(clause.plus_points)} points"
    if floor is not None and rate < floor.value:
        steps.append(
            Step(
                f"le taux de la clause ({format_percent(rate)}) est sous le plancher légal entre "
                f"professionnels, {format_percent(floor.value)} s'applique "
                f"({floor.law})",
                floor.value,
            )
        )
        rate = floor.value
        why = f"plancher légal de 3 fois le taux d'intérêt légal ({format_percent(legal)})"
    explained = Explained(
        value=rate,
        rule="late_penalty_rate",
        law=f"{LATE_PAYMENT_LAW}; {stated.law}",
        inputs={"on": rate_on, "multiplier": clause.multiplier, "plus_points": clause.plus_points},
        steps=tuple(steps),
    ).citing(clause=clause.source.clause_id, terms=clause.source.terms_label)
    sentence = (
        f"Pénalités de retard : {why}, soit {format_percent(rate)} l'an, calculées prorata "
        f"temporis sur {_BASES[clause.base]} restant dû, exigibles de plein droit dès le "
        f"lendemain de l'échéance, sans rappel ({clause.source.cite} ; {LATE_PAYMENT_LAW})."
    )
    condition = Condition(
        label="Pénalités de retard",
        value=format_percent(rate),
        explanation=why,
        source=f"{clause.source.cite} ; {LATE_PAYMENT_LAW}",
    )
    return Penalty(sentence, percent_of(rate), condition, explained)


_BASES: Final = {"ht_remaining": "le montant HT", "ttc_remaining": "le montant TTC"}

_NUMBERS_FR: Final = {
    Decimal(n): word
    for n, word in enumerate(
        ("zéro", "une", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix")
    )
}


def times_in_words(multiplier: Decimal) -> str:
    """ "trois fois", "1,5 fois": a clause's multiplier as a sentence says it."""
    return f"{_NUMBERS_FR.get(Decimal(multiplier), format_number(multiplier))} fois"


def _penalty_in_words(clause: LatePenalty, rate_on: date, *, professional: bool) -> Penalty:
    """A penalty in legal-rate multiples whose legal rate is not known yet: the formula in
    words ("trois fois le taux d'intérêt légal en vigueur au 06/12/2026"), no figure. For a
    professional client a multiplier under the floor keeps the floor in words."""
    stated = (
        f"{times_in_words(clause.multiplier)} le taux d'intérêt légal en vigueur au "
        f"{rate_on:%d/%m/%Y}"
    )
    if clause.plus_points:
        stated += f" majoré de {format_number(clause.plus_points)} points"
    floor = B2B_PENALTY_FLOOR_MULTIPLIER
    if professional and clause.multiplier < floor.value:
        stated += f", et au moins {times_in_words(floor.value)} ce taux ({floor.source})"
    source = f"{clause.source.cite} ; {LATE_PAYMENT_LAW}"
    sentence = (
        f"Pénalités de retard : {stated}, calculées prorata temporis sur "
        f"{_BASES[clause.base]} restant dû, exigibles de plein droit dès le lendemain de "
        f"l'échéance, sans rappel ({source})."
    )
    condition = Condition(
        label="Pénalités de retard",
        value=f"{format_number(clause.multiplier)} × taux d'intérêt légal au {rate_on:%d/%m/%Y}",
        explanation=stated,
        source=source,
    )
    return Penalty(sentence, None, condition, None)


def _ecb_penalty(
    facts: InvoiceFacts, clause: LatePenalty | None, floor: Explained | None, *, professional: bool
) -> Penalty:
    """A penalty on the ECB rate (a clause, or the law's default for a professional without
    one): printed in words, with the legal floor for a professional (its figure when the
    legal rate of the date is known, in words otherwise)."""
    if clause is None:
        points = format_number(DEFAULT_PENALTY.value)
        stated = f"taux de refinancement de la BCE majoré de {points} points"
        source = f"{DEFAULT_PENALTY.source}, à défaut de taux dans les CGV {facts.terms_label}"
        base = "la somme restant due"
    else:
        stated = f"{format_number(clause.multiplier)} fois le taux de refinancement de la BCE"
        if clause.plus_points:
            stated += f" majoré de {format_number(clause.plus_points)} points"
        source = f"{clause.source.cite} ; {LATE_PAYMENT_LAW}"
        base = f"{_BASES[clause.base]} restant dû"
    at_least = ""
    if floor is not None:
        at_least = f", et au moins {format_percent(floor.value)} (3 fois le taux d'intérêt légal)"
    elif professional:
        at_least = ", et au moins 3 fois le taux d'intérêt légal"
    sentence = (
        f"Pénalités de retard : {stated}{at_least}, sur {base}, exigibles de plein droit dès le "
        f"lendemain de l'échéance, sans rappel ({source})."
    )
    condition = Condition(
        label="Pénalités de retard",
        value=stated,
        explanation=(
            f"au moins {format_percent(floor.value)}, 3 fois le taux d'intérêt légal"
            if floor is not None
            else at_least.removeprefix(", et ") or "taux de la BCE en vigueur"
        ),
        source=source,
    )
    explained = floor
    if explained is not None and clause is not None:
        explained = explained.citing(
            clause=clause.source.clause_id, terms=clause.source.terms_label
        )
    return Penalty(sentence, None, condition, explained)


@dataclass(frozen=True, slots=True)
class Indemnity:
    sentence: str
    condition: Condition | None
    explained: Explained


def indemnity(facts: InvoiceFacts) -> Indemnity:
    """The 40 € recovery indemnity sentence, for a professional client only (D441-5)."""
    explained = recovery_indemnity(client_is_professional=facts.buyer.is_professional)
    if facts.is_credit_note:
        return Indemnity(CREDIT_NOTE_INDEMNITY, None, explained)
    if not explained.value:
        return Indemnity(CONSUMER_INDEMNITY, None, explained)
    amount = format_eur(explained.value)
    cite = f"{facts.indemnity.cite} ; " if facts.indemnity else ""
    sentence = (
        f"Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement : "
        f"{amount}, non soumise à la TVA ({cite}{RECOVERY_INDEMNITY.source})."
    )
    condition = Condition(
        label="Indemnité de recouvrement",
        value=amount,
        explanation="par facture payée en retard, client professionnel",
        source=RECOVERY_INDEMNITY.source,
    )
    return Indemnity(sentence, condition, explained)


def early_payment_sentence(facts: InvoiceFacts) -> str:
    if facts.is_credit_note:
        return CREDIT_NOTE_DISCOUNT
    clause = facts.early_discount
    if clause is None or not clause.rate:
        return NO_DISCOUNT.value
    return (
        f"Escompte pour paiement anticipé : {format_percent(clause.rate)} ({clause.source.cite})."
    )
