"""Consumer rights that date the start of a service (C. conso. L221-18, L221-25).

A consumer who contracts at a distance may withdraw within 14 days of the contract's
conclusion for a service (L221-18), counted as the CPC counts (the period ending on a
Saturday, Sunday or holiday is carried to the next working day). The professional may not
start the service before that period ends unless the consumer expressly asked for it
(L221-25): without that request, the earliest start is the day after the period ends.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Final

from clausier.rules.calendar import FrenchCalendar
from clausier.rules.deadlines import deadline
from clausier.rules.explain import Explained, LegalFact, Step
from clausier.rules.wording import words

WITHDRAWAL_PERIOD: Final = LegalFact(14, "C. conso. L221-18")
WITHDRAWAL_UNIT: Final = "jours_calendaires"
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
