"""What a late invoice owes on a given day: late interest and the recovery indemnity.

Between professionals (seed 002 art. 6, C. com. L441-10): from the day after the due date,
by right and without reminder, interest at the rate the invoice states (the clause's, never
below three times the legal rate; the ECB refinancing rate + 10 points where the terms are
silent) on the amount still due (the HT share of the TTC still due for an HT clause), day by
day until full payment, each payment reducing the base from the next day; and the 40 EUR
recovery indemnity once per late invoice, not subject to VAT.

A consumer: the L441-10 regime (its floor, its 40 EUR) never applies. The consumer owes the
interest a lawful clause of the terms provides, otherwise interest at the legal rate from the
formal notice (C. civ. 1231-6), the rate of each semester for the days in it.

The rate is the one the invoice states (its document of record); an invoice issued while the
legal rate of its date was not in the table states the clause's formula in words, and the rate
is computed here from the table as it is now. A rate still missing raises
:class:`~clausier.rules.errors.MissingRateError`: nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from clausier.rules.ecb import EcbRateTable, default_late_rate
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, LegalFact, Step
from clausier.rules.interest import (
    LATE_PAYMENT_LAW,
    LEGAL_RATE_LAW,
    LegalRateTable,
    b2b_penalty_floor,
    contractual_late_rate,
    late_interest,
    legal_rate_explained,
    recovery_indemnity,
)
from clausier.rules.money import CENT, ZERO
from clausier.rules.wording import Euros, Percent, Words, words

CONSUMER_LEGAL_INTEREST: Final = LegalFact(
    "intérêts au taux légal à compter de la mise en demeure", "C. civ. 1231-6"
)
# A consumer owes a contractual late penalty only if the clause is lawful and not abusive.
CONSUMER_CLAUSE: Final = LegalFact("clause pénale licite et non abusive", "C. conso. L212-1")

LEGAL_RATE: Final = "legal_rate"
ECB_RATE: Final = "ecb_rate"
HT_REMAINING: Final = "ht_remaining"
TTC_REMAINING: Final = "ttc_remaining"
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Settlement:
    """A sum that reduced what the invoice asks, on the day the seller had the funds:
    a payment allocated to it, or a credit note."""

    on: date
    amount: Decimal  # TTC
    label: str = ""


@dataclass(frozen=True, slots=True)
class LateTerms:
    """What an issued invoice and its terms say about its late payment."""

    number: str
    issue_date: date
    due_date: date
    amount_due: Decimal  # TTC the invoice asks (its total less deposits deducted)
    total_ht: Decimal
    total_ttc: Decimal
    professional: bool
    # The rate the invoice states, a fraction (the floor already applied); None when the
    # invoice states it in words (ECB rate, a legal rate not in the table at issue, no clause).
    stated_rate: Decimal | None = None
    of: str = ""  # the clause's "legal_rate" | "ecb_rate"; "" without a late-penalty clause
    multiplier: Decimal = Decimal("0")
    plus_points: Decimal = Decimal("0")
    rate_date: str = "invoice_date"  # | "due_date"
    base: str = HT_REMAINING  # | "ttc_remaining"
    clause_id: str = ""
    terms_label: str = ""
    clause_cited: str = ""  # "art. 6 « Retard de paiement » (CGV v1)"
    # The day the consumer received the formal notice (C. civ. 1231-6).
    formal_notice_on: date | None = None
    # Why the due date is what it is when it is not the invoice's (acceleration).
    due_note: str | Words = ""

    @property
    def has_clause(self) -> bool:
        return bool(self.of)


@dataclass(frozen=True, slots=True)
class PenaltiesOwed:
    """What the invoice owes for its lateness on ``on``."""

    on: date
    days_late: int
    base_ht: Decimal  # the HT share of what is still due on ``on``, after that day's payments
    annual_rate: Decimal | None
    interest: Explained
    indemnity: Explained
    explanation: Explained
    # The base the interest ran on from the due date (before any payment), and its kind:
    # "HT" (the HT share of the TTC due, an HT clause) or "TTC".
    base: Decimal = Decimal("0.00")
    base_kind: str = "TTC"

    @property
    def total(self) -> Decimal:
        return self.interest.value + self.indemnity.value


def _law(terms: LateTerms) -> str:
    if terms.professional:
        return LATE_PAYMENT_LAW
    if terms.has_clause:
        return CONSUMER_CLAUSE.source
    return CONSUMER_LEGAL_INTEREST.source


def _cite(explained: Explained, terms: LateTerms) -> Explained:
    if terms.clause_id:
        return explained.citing(clause=terms.clause_id, terms=terms.terms_label)
    return explained


def _with_floor(rate: Explained, terms: LateTerms, *, on: date, table) -> Explained:
    """Between professionals the rate is never below 3 × the legal rate (L441-10 II)."""
    if not terms.professional:
        return rate
    floor = b2b_penalty_floor(on=on, table=table)
    if rate.value >= floor.value:
        return rate
    step = Step(
        words(
            "le taux ({rate}) est sous le plancher légal entre professionnels, {floor} "
            "s'applique ({law})",
            rate=Percent(rate.value),
            floor=Percent(floor.value),
            law=floor.law,
        ),
        floor.value,
    )
    return Explained(
        value=floor.value,
        rule=rate.rule,
        law=f"{rate.law}; {floor.law}",
        inputs=rate.inputs,
        steps=(*rate.steps, *floor.steps, step),
    )


def _ecb_clause_rate(terms: LateTerms, *, on: date, table: EcbRateTable | None) -> Explained:
    """A clause on the ECB rate: multiplier × the ECB rate of the semester + its points."""
    ecb = default_late_rate(on=on, plus_points=Decimal(0), table=table)
    value = terms.multiplier * ecb.steps[0].value + terms.plus_points / 100
    step = Step(
        words(
            "{times} × {rate} + {points} points = {result}",
            times=terms.multiplier,
            rate=Percent(ecb.steps[0].value),
            points=terms.plus_points,
            result=Percent(value),
        ),
        value,
    )
    return Explained(
        value=value,
        rule=ecb.rule,
        law=ecb.law,
        inputs={**ecb.inputs, "multiplier": terms.multiplier, "plus_points": terms.plus_points},
        steps=(*ecb.steps[:2], step),
    )


def annual_rate(
    terms: LateTerms,
    *,
    legal_table: LegalRateTable | None = None,
    ecb_table: EcbRateTable | None = None,
) -> Explained | None:
    """The late-penalty rate of the invoice, a fraction, explained; None for a consumer
    without a clause (the legal rate of each semester then runs from the formal notice)."""
    rule = "late_penalty_rate"
    rate_on = terms.due_date if terms.rate_date == "due_date" else terms.issue_date
    if terms.stated_rate is not None:
        explained = Explained(
            value=terms.stated_rate,
            rule=rule,
            law=_law(terms),
            inputs={"invoice": terms.number},
            steps=(
                Step(
                    words(
                        "taux indiqué sur la facture {number} : {rate} l'an ({cite})",
                        number=terms.number,
                        rate=Percent(terms.stated_rate),
                        cite=terms.clause_cited or _law(terms),
                    ),
                    terms.stated_rate,
                ),
            ),
        )
        return _cite(explained, terms)
    if terms.of == LEGAL_RATE:
        stated = contractual_late_rate(
            multiplier=terms.multiplier, invoice_date=rate_on, table=legal_table
        )
        points = terms.plus_points / 100
        if points:
            stated = Explained(
                value=stated.value + points,
                rule=rule,
                law=stated.law,
                inputs=stated.inputs,
                steps=(
                    *stated.steps,
                    Step(
                        words("+ {points} points", points=terms.plus_points),
                        stated.value + points,
                    ),
                ),
            )
        return _cite(_with_floor(stated, terms, on=rate_on, table=legal_table), terms)
    if terms.of == ECB_RATE:
        rate = _ecb_clause_rate(terms, on=rate_on, table=ecb_table)
        return _cite(_with_floor(rate, terms, on=rate_on, table=legal_table), terms)
    if terms.professional:
        rate = default_late_rate(on=rate_on, table=ecb_table)
        if not terms.has_clause:
            rate = Explained(
                value=rate.value,
                rule=rate.rule,
                law=rate.law,
                inputs=rate.inputs,
                steps=(
                    Step(
                        words(
                            "les CGV ne fixent pas de taux : taux légal par défaut entre "
                            "professionnels, taux de la BCE + 10 points ({law})",
                            law=rate.law,
                        )
                    ),
                    *rate.steps,
                ),
            )
        return _cite(_with_floor(rate, terms, on=rate_on, table=legal_table), terms)
    return None


def _check(terms: LateTerms, settlements: Sequence[Settlement], on: date) -> None:
    rule = "penalties_on"
    if not isinstance(terms, LateTerms):
        raise RuleError("terms", rule, f"expected LateTerms, got {type(terms).__name__}")
    if not isinstance(on, date):
        raise RuleError("on", rule, f"expected a date, got {on!r}")
    if terms.amount_due < 0 or terms.total_ht < 0 or terms.total_ttc < 0:
        raise RuleError("amount_due", rule, "an invoice's amounts are never negative")
    if terms.base not in (HT_REMAINING, TTC_REMAINING):
        raise RuleError("base", rule, f"unknown base {terms.base!r}")
    for index, settlement in enumerate(settlements):
        if not isinstance(settlement, Settlement) or settlement.amount < 0:
            raise RuleError(f"settlements[{index}]", rule, "expected a non-negative Settlement")


def interest_base(terms: LateTerms) -> str:
    """The base the interest runs on: the clause's; without a clause the law's, the sum still
    due (C. com. L441-10 II, C. civ. 1231-6), that is the TTC."""
    return terms.base if terms.has_clause else TTC_REMAINING


def _ratio(terms: LateTerms) -> Decimal:
    """The share of a TTC euro the interest runs on: HT / TTC for an HT base, else 1."""
    if interest_base(terms) == TTC_REMAINING or not terms.total_ttc:
        return Decimal(1)
    return terms.total_ht / terms.total_ttc


def _paid_in_full_on(terms: LateTerms, ordered: Sequence[Settlement]) -> date | None:
    left = terms.amount_due
    if left <= 0:
        # Deposits deducted left nothing to pay: the invoice was settled when issued.
        return min(terms.issue_date, terms.due_date)
    for settlement in ordered:
        left -= settlement.amount
        if left <= 0:
            return settlement.on
    return None


def _lateness(terms: LateTerms, ordered: Sequence[Settlement], on: date) -> tuple[int, Step]:
    full = _paid_in_full_on(terms, ordered)
    due = terms.due_date
    if full is not None and full <= on:
        days = max(0, (full - due).days)
        label = words(
            "échéance le {due}, payée en totalité le {paid} : {days} jour(s) de retard",
            due=due,
            paid=full,
            days=days,
        )
    else:
        days = max(0, (on - due).days)
        label = words(
            "échéance le {due}, solde encore dû le {on} : {days} jour(s) de retard",
            due=due,
            on=on,
            days=days,
        )
    return days, Step(label, days)


def _no_interest(reason: Words, law: str) -> Explained:
    zero = ZERO.quantize(CENT)
    return Explained(value=zero, rule="late_interest", law=law, steps=(Step(reason, zero),))


def _semesters(first: date, last: date) -> list[tuple[date, date]]:
    """[first, last] cut at each 1 January and 1 July (the legal rate changes there)."""
    spans = []
    start = first
    while start <= last:
        boundary = date(start.year, 7, 1) if start.month <= 6 else date(start.year + 1, 1, 1)
        end = min(last, boundary - _ONE_DAY)
        spans.append((start, end))
        start = end + _ONE_DAY
    return spans


def _consumer_legal_interest(
    terms: LateTerms,
    *,
    principal: Decimal,
    payments: list[tuple[date, Decimal]],
    on: date,
    legal_table: LegalRateTable | None,
) -> tuple[Explained, Decimal | None]:
    """C. civ. 1231-6: the legal rate from the day after the formal notice was received,
    each semester at its own rate."""
    law = f"{CONSUMER_LEGAL_INTEREST.source}; {LEGAL_RATE_LAW}"
    notice = terms.formal_notice_on
    if notice is None:
        return _no_interest(
            words(
                "client consommateur, CGV sans pénalité de retard : seuls des intérêts au "
                "taux légal sont dus, à compter d'une mise en demeure ({law}) ; aucune n'a "
                "été reçue",
                law=CONSUMER_LEGAL_INTEREST.source,
            ),
            law,
        ), None
    start = max(terms.due_date, notice) + _ONE_DAY
    steps = [
        Step(
            words(
                "client consommateur, CGV sans pénalité de retard : intérêts au taux légal à "
                "compter de la mise en demeure reçue le {notice} ({law})",
                notice=notice,
                law=CONSUMER_LEGAL_INTEREST.source,
            )
        )
    ]
    total = ZERO.quantize(CENT)
    rate = None
    for first, last in _semesters(start, on):
        legal = legal_rate_explained(on=first, table=legal_table)
        rate = legal.value
        part = late_interest(
            principal=principal,
            due=first - _ONE_DAY,
            until=last,
            annual_rate=legal.value,
            payments=payments,
        )
        total += part.value
        steps.extend(legal.steps)
        steps.extend(part.steps)
    if len(steps) == 1:
        steps.append(Step(words("pas encore de jour couru depuis la mise en demeure"), total))
    steps.append(Step(words("intérêts au taux légal : {total}", total=Euros(total)), total))
    return Explained(value=total, rule="late_interest", law=law, steps=tuple(steps)), rate


def _indemnity(terms: LateTerms, days_late: int) -> Explained:
    if days_late > 0:
        return recovery_indemnity(client_is_professional=terms.professional)
    zero = ZERO.quantize(CENT)
    return Explained(
        value=zero,
        rule="recovery_indemnity",
        law=f"{LATE_PAYMENT_LAW}, D441-5",
        steps=(Step(words("aucun retard : pas d'indemnité forfaitaire"), zero),),
    )


def penalties_on(
    terms: LateTerms,
    *,
    settlements: Sequence[Settlement] = (),
    on: date,
    legal_table: LegalRateTable | None = None,
    ecb_table: EcbRateTable | None = None,
) -> PenaltiesOwed:
    """What ``terms``' invoice owes for its lateness on ``on`` (any day, past or future),
    from the settlements recorded: the days late, the base still due, the annual rate, the
    interest (rounded half up to the cent once, at the end) and the indemnity."""
    _check(terms, settlements, on)
    ordered = sorted(settlements, key=lambda s: s.on)
    ratio = _ratio(terms)
    days_late, lateness = _lateness(terms, ordered, on)
    paid_by_on = sum((s.amount for s in ordered if s.on <= on), ZERO)
    remaining = max(ZERO, terms.amount_due - paid_by_on)
    share = Decimal(1) if not terms.total_ttc else terms.total_ht / terms.total_ttc
    base_ht = (remaining * share).quantize(CENT, rounding=ROUND_HALF_UP)

    principal = terms.amount_due * ratio
    payments = [(s.on, s.amount * ratio) for s in ordered]
    base_words = (
        words(
            "base : la part HT du montant TTC restant dû ({ht} / {ttc} du TTC)",
            ht=Euros(terms.total_ht),
            ttc=Euros(terms.total_ttc),
        )
        if interest_base(terms) == HT_REMAINING
        else words("base : le montant TTC restant dû")
    )
    rate = annual_rate(terms, legal_table=legal_table, ecb_table=ecb_table)
    if rate is not None:
        interest = late_interest(
            principal=principal,
            due=terms.due_date,
            until=on,
            annual_rate=rate.value,
            payments=payments,
        )
        rate_value: Decimal | None = rate.value
        rate_steps = rate.steps
    else:
        interest, rate_value = _consumer_legal_interest(
            terms, principal=principal, payments=payments, on=on, legal_table=legal_table
        )
        rate_steps = ()
    interest = _cite(interest, terms)
    indemnity = _indemnity(terms, days_late)
    total = interest.value + indemnity.value
    steps = [lateness]
    if terms.due_note:
        steps.append(Step(terms.due_note))
    steps.append(Step(base_words, base_ht))
    steps.extend(rate_steps)
    steps.extend(interest.steps)
    steps.extend(indemnity.steps)
    steps.append(
        Step(
            words(
                "intérêts {interest} + indemnité {indemnity} = {total} (hors TVA)",
                interest=Euros(interest.value),
                indemnity=Euros(indemnity.value),
                total=Euros(total),
            ),
            total,
        )
    )
    explanation = _cite(
        Explained(
            value=total,
            rule="penalties_on",
            law=_law(terms),
            inputs={
                "invoice": terms.number,
                "due": terms.due_date,
                "on": on,
                "amount_due": terms.amount_due,
                "settlements": [(s.on, s.amount) for s in ordered],
            },
            steps=tuple(steps),
        ),
        terms,
    )
    return PenaltiesOwed(
        on=on,
        days_late=days_late,
        base_ht=base_ht,
        annual_rate=rate_value,
        interest=interest,
        indemnity=indemnity,
        explanation=explanation,
        base=principal.quantize(CENT, rounding=ROUND_HALF_UP),
        base_kind="HT" if interest_base(terms) == HT_REMAINING else "TTC",
    )
