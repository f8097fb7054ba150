"""A consumer's right of withdrawal from a service contract (C. conso. L221-18 to L221-28).

A consumer who contracts at a distance may withdraw within 14 days of the contract's
conclusion for a service (L221-18), counted as the CPC counts (the period ending on a
Saturday, Sunday or holiday is carried to the next working day); a seller's terms may give
more, never less (:func:`withdrawal_period`). The professional may not start the service
before that period ends unless the consumer expressly asked for it (L221-25): without that
request, the earliest start is the day after the period ends; with it, a consumer who
withdraws owes the part of the service provided until the withdrawal
(:func:`early_start_amount`). The professional refunds every sum received within 14 days of
the day it is informed of the withdrawal (:func:`refund_deadline`, L221-24).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from clausier.rules.calendar import FrenchCalendar, require_date
from clausier.rules.deadlines import deadline, period
from clausier.rules.errors import RuleError
from clausier.rules.explain import Explained, LegalFact, Step
from clausier.rules.money import CENT, non_negative
from clausier.rules.wording import Approx, Euros, words, words_plural

WITHDRAWAL_PERIOD: Final = LegalFact(14, "C. conso. L221-18")
WITHDRAWAL_UNIT: Final = "jours_calendaires"
REFUND_PERIOD: Final = LegalFact(14, "C. conso. L221-24")
REFUND_UNIT: Final = "jours_calendaires"
EARLY_START_AMOUNT: Final = LegalFact(
    "montant proportionné à ce qui a été fourni jusqu'à la communication de la décision de "
    "se rétracter",
    "C. conso. L221-25",
)
EARLY_START: Final = LegalFact(
    "exécution avant la fin du délai de rétractation sur demande expresse du consommateur",
    "C. conso. L221-25",
)


def withdrawal_end(*, concluded_on: date, calendar: FrenchCalendar) -> Explained:
    """The last day a consumer may withdraw from a service contract concluded on
    ``concluded_on``."""
    counted = deadline(
        start=concluded_on,
        n=WITHDRAWAL_PERIOD.value,
        unit=WITHDRAWAL_UNIT,
        calendar=calendar,
    )
    return replace(
        counted,
        rule="withdrawal_end",
        law=f"{WITHDRAWAL_PERIOD.source}; {counted.law}",
    )


def earliest_start(
    *, concluded_on: date, express_request: bool, calendar: FrenchCalendar
) -> Explained:
    """The first day a service sold to a consumer may start: the conclusion day itself when
    the consumer expressly asked to start during the withdrawal period, otherwise the day
    after the period ends."""
    if express_request:
        return Explained(
            value=concluded_on,
            rule="earliest_start",
            law=EARLY_START.source,
            inputs={"concluded_on": concluded_on, "express_request": True},
            steps=(Step(words("demande expresse d'exécution immédiate"), concluded_on),),
        )
    end = withdrawal_end(concluded_on=concluded_on, calendar=calendar)
    first = end.value + timedelta(days=1)
    return Explained(
        value=first,
        rule="earliest_start",
        law=f"{EARLY_START.source}; {end.law}",
        inputs={"concluded_on": concluded_on, "express_request": False},
        steps=(
            *end.steps,
            Step(words("fin du délai de rétractation"), end.value),
            Step(words("lendemain"), first),
        ),
    )


def _law_period(n: int):
    """The law's period as the law words it: "14 jours" ("14 days")."""
    return words_plural("{count} jour", "{count} jours", n)


def withdrawal_period(
    *,
    concluded_on: date,
    calendar: FrenchCalendar,
    terms_n: int | None = None,
    terms_unit: str | None = None,
    terms_start: date | None = None,
) -> Explained:
    """The last day a consumer may withdraw under a seller's terms, never before the law's
    (:func:`withdrawal_end`): the terms' period (``terms_n`` ``terms_unit`` from
    ``terms_start``, the conclusion by default) when it ends later, else the law's. The
    explanation names what replaced what ("CGV : 7 jours francs ; loi : 14 jours, L221-18").
    Without a period in the terms, the law's."""
    law = withdrawal_end(concluded_on=concluded_on, calendar=calendar)
    source = WITHDRAWAL_PERIOD.source.removeprefix("C. conso. ")
    inputs = {"concluded_on": concluded_on, "region": calendar.region}
    if terms_n is None or terms_unit is None:
        chosen = words(
            "CGV : aucun délai ; loi : {law}, {source}",
            law=_law_period(WITHDRAWAL_PERIOD.value),
            source=source,
        )
        return replace(
            law,
            rule="withdrawal_period",
            inputs=inputs,
            steps=(*law.steps, Step(chosen, law.value)),
        )
    start = concluded_on if terms_start is None else terms_start
    require_date("terms_start", start, WITHDRAWAL_PERIOD.source)
    terms = deadline(start=start, n=terms_n, unit=terms_unit, calendar=calendar)
    comparison = words(
        "CGV : {terms} ; loi : {law}, {source}",
        terms=period(terms_n, terms_unit),
        law=_law_period(WITHDRAWAL_PERIOD.value),
        source=source,
    )
    inputs |= {"terms_n": terms_n, "terms_unit": terms_unit, "terms_start": start}
    compared = (
        Step(
            words("fin du délai des CGV ({terms})", terms=period(terms_n, terms_unit)), terms.value
        ),
        Step(
            words("fin du délai légal ({law}, {source})", law=_law_period(14), source=source),
            law.value,
        ),
    )
    if terms.value > law.value:
        return replace(
            terms,
            rule="withdrawal_period",
            law=f"{WITHDRAWAL_PERIOD.source}; {terms.law}",
            inputs=inputs,
            steps=(
                *terms.steps,
                *compared,
                Step(
                    words(
                        "{comparison} : le délai des CGV, plus long, s'applique",
                        comparison=comparison,
                    ),
                    terms.value,
                ),
            ),
        )
    return replace(
        law,
        rule="withdrawal_period",
        inputs=inputs,
        steps=(
            *law.steps,
            *compared,
            Step(
                words(
                    "{comparison} : le délai légal remplace celui des CGV, qui ne peut être "
                    "plus court",
                    comparison=comparison,
                ),
                law.value,
            ),
        ),
    )


def refund_deadline(*, informed_on: date, calendar: FrenchCalendar) -> Explained:
    """The last day the professional may refund a consumer who withdrew: 14 days after the
    day it was informed of the decision (L221-24), counted and carried over a Saturday,
    Sunday or holiday as every other period (CPC 640-642)."""
    counted = deadline(
        start=informed_on, n=REFUND_PERIOD.value, unit=REFUND_UNIT, calendar=calendar
    )
    return replace(
        counted,
        rule="refund_deadline",
        law=f"{REFUND_PERIOD.source}; {counted.law}",
        inputs={**counted.inputs, "informed_on": informed_on},
        steps=(
            Step(words("rétractation reçue par le professionnel"), informed_on),
            *counted.steps,
        ),
    )


def early_start_amount(
    *, price: Decimal, started_on: date, withdrawn_on: date, period_days: int
) -> Explained:
    """What a consumer who withdraws from a service started at its express request owes
    (L221-25): ``price`` (TTC, what the service costs over its ``period_days``) pro rata of
    the days provided, from ``started_on`` (counted) to ``withdrawn_on`` (not counted: the
    service ends on the day the withdrawal is communicated), never more than the period.

    Rounded once, to the cent, half up (``ROUND_HALF_UP``), on the exact product: the amount
    is a single sum owed, not a line of several roundings."""
    law = EARLY_START_AMOUNT.source
    value = non_negative(price, "price", law)
    require_date("started_on", started_on, law)
    require_date("withdrawn_on", withdrawn_on, law)
    if isinstance(period_days, bool) or not isinstance(period_days, int) or period_days <= 0:
        raise RuleError(
            "period_days", law, f"expected a positive number of days, got {period_days!r}"
        )
    elapsed = (withdrawn_on - started_on).days
    provided = min(max(elapsed, 0), period_days)
    exact = value * provided / period_days
    amount = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    steps = [
        Step(words("service commencé à la demande expresse du consommateur"), started_on),
        Step(words("rétractation communiquée (jour non fourni)"), withdrawn_on),
        Step(
            words_plural("{count} jour fourni", "{count} jours fournis", provided),
            provided,
        ),
    ]
    if elapsed > period_days:
        steps.append(
            Step(words("au plus la durée du service : {days} jours", days=period_days), provided)
        )
    steps += [
        Step(
            words(
                "{price} × {provided} / {days} jours = {exact}",
                price=Euros(value),
                provided=provided,
                days=period_days,
                exact=Approx(exact),
            ),
            exact,
        ),
        Step(
            words("arrondi au centime, au demi supérieur : {amount}", amount=Euros(amount)), amount
        ),
    ]
    return Explained(
        value=amount,
        rule="early_start_amount",
        law=law,
        inputs={
            "price": value,
            "started_on": started_on,
            "withdrawn_on": withdrawn_on,
            "period_days": period_days,
        },
        steps=tuple(steps),
    )
