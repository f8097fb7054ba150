"""The late-penalty rate, the 40 EUR recovery indemnity and the early-payment sentence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from clausier.invoicing.document import Condition
from clausier.invoicing.domain.facts import (
    CONSUMER_LATE_INTEREST,
    DEFAULT_PENALTY,
    NO_DISCOUNT,
    InvoiceFacts,
    LatePenalty,
)
from clausier.invoicing.domain.worded import WordedCondition
from clausier.rules.errors import MissingRateError
from clausier.rules.explain import Explained, Step
from clausier.rules.interest import (
    B2B_PENALTY_FLOOR_MULTIPLIER,
    LATE_PAYMENT_LAW,
    LEGAL_RATE_LAW,
    RECOVERY_INDEMNITY,
    b2b_penalty_floor,
    contractual_late_rate,
    legal_rate,
    recovery_indemnity,
)
from clausier.rules.money import CENT
from clausier.rules.wording import Euros, Percent, Words, words

# --- late penalty and indemnity -------------------------------------------------------------

# Every invoice and credit note states the three payment mentions (XP Z12-012 BR-FR-05: notes
# PMD, PMT, AAB), the PDF as the Factur-X XML; where one has no object, it says so and why.
CREDIT_NOTE_PENALTY: Final = words("Pénalités de retard : sans objet pour un avoir.")
CREDIT_NOTE_INDEMNITY: Final = words(
    "Indemnité forfaitaire pour frais de recouvrement : sans objet pour un avoir."
)
CREDIT_NOTE_DISCOUNT: Final = words("Escompte pour paiement anticipé : sans objet pour un avoir.")
CONSUMER_PENALTY: Final = words(
    "Pénalités de retard : aucune pénalité contractuelle ; à défaut de paiement, intérêts au "
    "taux légal à compter de la mise en demeure ({law}).",
    law=CONSUMER_LATE_INTEREST.source,
)
# A consumer owes the late interest a lawful, non-abusive clause of the terms provides (C. conso.
# L212-1), running as the clause says instead of from a formal notice (C. civ. 1231-6): never
# the L441-10 regime of professionals, its floor nor its "de plein droit, sans rappel".
CONSUMER_CLAUSE_SOURCES: Final = ("C. conso. L212-1", "C. civ. 1231-6")
CONSUMER_CLAUSE_LAW: Final = " ; ".join(CONSUMER_CLAUSE_SOURCES)
CONSUMER_INDEMNITY: Final = words(
    "Indemnité forfaitaire pour frais de recouvrement : non applicable, le client n'agit pas "
    "en professionnel ({law}).",
    law=RECOVERY_INDEMNITY.source,
)


@dataclass(frozen=True, slots=True)
class Penalty:
    words: Words
    rate_percent: Decimal | None
    worded: WordedCondition | None
    explained: Explained | None

    @property
    def sentence(self) -> str:
        """The French sentence the document prints."""
        return str(self.words)

    @property
    def condition(self) -> Condition | None:
        return self.worded.condition if self.worded else None


def percent_of(rate: Decimal) -> Decimal:
    """A fraction as the percent a document prints: Decimal("0.2") -> Decimal("20.00")."""
    return (Decimal(rate) * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _cited(clause: LatePenalty, *, professional: bool = True) -> Words:
    """The clause and the law that makes it bind: L441-10 between professionals, the consumer
    code and the civil code for a consumer."""
    law = LATE_PAYMENT_LAW if professional else CONSUMER_CLAUSE_LAW
    return words("{cite} ; {law}", cite=clause.source.cited, law=law)


def _consumer_sentence(rate: Words, base: Words, source: Words) -> Words:
    """A consumer's penalty sentence: the clause's rate from the day after the due date, as the
    clause provides; no floor, no "de plein droit, sans rappel" (those are L441-10's)."""
    return words(
        "Pénalités de retard : {rate}, calculées prorata temporis sur {base}, dues à compter "
        "du lendemain de l'échéance comme le prévoit la clause ({source}).",
        rate=rate,
        base=base,
        source=source,
    )


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
    when = (
        words("à l'échéance") if clause.rate_date == "due_date" else words("à la date de facture")
    )
    points = clause.plus_points / 100
    rate = stated.value + points
    steps = [*stated.steps]
    why = words(
        "{times} fois le taux d'intérêt légal en vigueur {when} ({rate})",
        times=clause.multiplier,
        when=when,
        rate=Percent(legal),
    )
    if points:
        steps.append(Step(words("+ {points} points", points=clause.plus_points), rate))
        why = words("{rate} majoré de {points} points", rate=why, points=clause.plus_points)
    if floor is not None and rate < floor.value:
        steps.append(
            Step(
                words(
                    "le taux de la clause ({rate}) est sous le plancher légal entre "
                    "professionnels, {floor} s'applique ({law})",
                    rate=Percent(rate),
                    floor=Percent(floor.value),
                    law=floor.law,
                ),
                floor.value,
            )
        )
        rate = floor.value
        why = words(
            "plancher légal de 3 fois le taux d'intérêt légal ({rate})", rate=Percent(legal)
        )
    law = (
        f"{LATE_PAYMENT_LAW}; {stated.law}"
        if professional
        else "; ".join((*CONSUMER_CLAUSE_SOURCES, LEGAL_RATE_LAW))
    )
    explained = Explained(
        value=rate,
        rule="late_penalty_rate",
        law=law,
        inputs={"on": rate_on, "multiplier": clause.multiplier, "plus_points": clause.plus_points},
        steps=tuple(steps),
    ).citing(clause=clause.source.clause_id, terms=clause.source.terms_label)
    source = _cited(clause, professional=professional)
    if professional:
        sentence = words(
            "Pénalités de retard : {why}, soit {rate} l'an, calculées prorata temporis sur "
            "{base}, exigibles de plein droit dès le lendemain de l'échéance, sans rappel "
            "({source}).",
            why=why,
            rate=Percent(rate),
            base=_remaining(clause),
            source=source,
        )
    else:
        sentence = _consumer_sentence(
            words("{why}, soit {rate} l'an", why=why, rate=Percent(rate)),
            _remaining(clause),
            source,
        )
    condition = WordedCondition(
        label=words("Pénalités de retard"),
        value=words("{rate}", rate=Percent(rate)),
        explanation=why,
        source=source,
    )
    return Penalty(sentence, percent_of(rate), condition, explained)


_BASES: Final = {
    "ht_remaining": words("le montant HT restant dû"),
    "ttc_remaining": words("le montant TTC restant dû"),
}


def _remaining(clause: LatePenalty) -> Words:
    return _BASES[clause.base]


_TIMES: Final = {
    Decimal(n): sentence
    for n, sentence in enumerate(
        (
            words("zéro fois"),
            words("une fois"),
            words("deux fois"),
            words("trois fois"),
            words("quatre fois"),
            words("cinq fois"),
            words("six fois"),
            words("sept fois"),
            words("huit fois"),
            words("neuf fois"),
            words("dix fois"),
        )
    )
}


def times_words(multiplier: Decimal) -> Words:
    """ "trois fois", "1,5 fois": a clause's multiplier as a sentence says it."""
    return _TIMES.get(Decimal(multiplier)) or words("{times} fois", times=Decimal(multiplier))


def times_in_words(multiplier: Decimal) -> str:
    """:func:`times_words` in French."""
    return str(times_words(multiplier))


def _penalty_in_words(clause: LatePenalty, rate_on: date, *, professional: bool) -> Penalty:
    """A penalty in legal-rate multiples whose legal rate is not known yet: the formula in
    words ("trois fois le taux d'intérêt légal en vigueur au 06/12/2026"), no figure. For a
    professional client a multiplier under the floor keeps the floor in words."""
    stated = words(
        "{times} le taux d'intérêt légal en vigueur au {date}",
        times=times_words(clause.multiplier),
        date=rate_on,
    )
    if clause.plus_points:
        stated = words("{rate} majoré de {points} points", rate=stated, points=clause.plus_points)
    floor = B2B_PENALTY_FLOOR_MULTIPLIER
    if professional and clause.multiplier < floor.value:
        stated = words(
            "{rate}, et au moins {times} ce taux ({law})",
            rate=stated,
            times=times_words(floor.value),
            law=floor.source,
        )
    source = _cited(clause, professional=professional)
    if professional:
        sentence = words(
            "Pénalités de retard : {rate}, calculées prorata temporis sur {base}, exigibles de "
            "plein droit dès le lendemain de l'échéance, sans rappel ({source}).",
            rate=stated,
            base=_remaining(clause),
            source=source,
        )
    else:
        sentence = _consumer_sentence(stated, _remaining(clause), source)
    condition = WordedCondition(
        label=words("Pénalités de retard"),
        value=words(
            "{times} × taux d'intérêt légal au {date}", times=clause.multiplier, date=rate_on
        ),
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
        stated = words(
            "taux de refinancement de la BCE majoré de {points} points",
            points=DEFAULT_PENALTY.value,
        )
        source: Words = words(
            "{law}, à défaut de taux dans les CGV {terms}",
            law=DEFAULT_PENALTY.source,
            terms=facts.terms_label,
        )
        base = words("la somme restant due")
    else:
        stated = words("{times} fois le taux de refinancement de la BCE", times=clause.multiplier)
        if clause.plus_points:
            stated = words(
                "{rate} majoré de {points} points", rate=stated, points=clause.plus_points
            )
        source = _cited(clause, professional=professional)
        base = _remaining(clause)
    if floor is not None:
        sentence = words(
            "Pénalités de retard : {rate}, et au moins {floor} (3 fois le taux d'intérêt "
            "légal), sur {base}, exigibles de plein droit dès le lendemain de l'échéance, sans "
            "rappel ({source}).",
            rate=stated,
            floor=Percent(floor.value),
            base=base,
            source=source,
        )
        explanation = words(
            "au moins {floor}, 3 fois le taux d'intérêt légal", floor=Percent(floor.value)
        )
    elif professional:
        sentence = words(
            "Pénalités de retard : {rate}, et au moins 3 fois le taux d'intérêt légal, sur "
            "{base}, exigibles de plein droit dès le lendemain de l'échéance, sans rappel "
            "({source}).",
            rate=stated,
            base=base,
            source=source,
        )
        explanation = words("au moins 3 fois le taux d'intérêt légal")
    else:
        # Only a consumer with an ECB clause gets here (without a clause: CONSUMER_PENALTY).
        sentence = _consumer_sentence(stated, base, source)
        explanation = words("taux de la BCE en vigueur")
    condition = WordedCondition(
        label=words("Pénalités de retard"),
        value=stated,
        explanation=explanation,
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
    words: Words
    worded: WordedCondition | None
    explained: Explained

    @property
    def sentence(self) -> str:
        """The French sentence the document prints."""
        return str(self.words)

    @property
    def condition(self) -> Condition | None:
        return self.worded.condition if self.worded else None


def indemnity(facts: InvoiceFacts) -> Indemnity:
    """The 40 € recovery indemnity sentence, for a professional client only (D441-5)."""
    explained = recovery_indemnity(client_is_professional=facts.buyer.is_professional)
    if facts.is_credit_note:
        return Indemnity(CREDIT_NOTE_INDEMNITY, None, explained)
    if not explained.value:
        return Indemnity(CONSUMER_INDEMNITY, None, explained)
    amount = Euros(explained.value)
    if facts.indemnity:
        sentence = words(
            "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement "
            ": {amount}, non soumise à la TVA ({cite} ; {law}).",
            amount=amount,
            cite=facts.indemnity.cited,
            law=RECOVERY_INDEMNITY.source,
        )
    else:
        sentence = words(
            "Indemnité forfaitaire pour frais de recouvrement due en cas de retard de paiement "
            ": {amount}, non soumise à la TVA ({law}).",
            amount=amount,
            law=RECOVERY_INDEMNITY.source,
        )
    condition = WordedCondition(
        label=words("Indemnité de recouvrement"),
        value=words("{amount}", amount=amount),
        explanation=words("par facture payée en retard, client professionnel"),
        source=RECOVERY_INDEMNITY.source,
    )
    return Indemnity(sentence, condition, explained)


def early_payment_words(facts: InvoiceFacts) -> Words:
    """The early-payment mention: the clause's discount, or none (C. com. L441-9 I)."""
    if facts.is_credit_note:
        return CREDIT_NOTE_DISCOUNT
    clause = facts.early_discount
    if clause is None or not clause.rate:
        return NO_DISCOUNT.value
    return words(
        "Escompte pour paiement anticipé : {rate} ({cite}).",
        rate=Percent(clause.rate),
        cite=clause.source.cited,
    )


def early_payment_sentence(facts: InvoiceFacts) -> str:
    """:func:`early_payment_words` in French, as the document prints it."""
    return str(early_payment_words(facts))
