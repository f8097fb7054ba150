"""Which step of a dunning plan is due for an invoice on a day (pure, no ORM).

A plan is a list of steps placed by days from the due date (-3: three days before it). On a
day, the step due is the latest one whose day has come, unless it or a later step was already
queued: a step is never sent twice, and a late run (the daily task missed a few days) queues
only the step the invoice has reached, never the earlier ones it skipped over.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from clausier.rules.explain import Explained, LegalFact, Step
from clausier.rules.wording import Euros, words

FRIENDLY, PENALTIES, SECOND, FORMAL_NOTICE = "friendly", "penalties", "second", "formal_notice"
KINDS: Final = (FRIENDLY, PENALTIES, SECOND, FORMAL_NOTICE)


@dataclass(frozen=True, slots=True)
class PlanStep:
    offset_days: int  # from the due date: -3 is three days before it
    kind: str

    def day(self, due_date: date) -> date:
        return due_date + timedelta(days=self.offset_days)

    def as_dict(self) -> dict[str, int | str]:
        return {"offset_days": self.offset_days, "kind": self.kind}


# The seller's choice, not the law's: a plan created for a seller that has none. The
# penalties run by right from the day after the due date without any reminder (C. com.
# L441-10); the reminders only say so, and the formal notice starts the consumer's legal
# interest (C. civ. 1231-6, 1344).
DEFAULT_PLAN: Final = (
    PlanStep(-3, FRIENDLY),
    PlanStep(1, PENALTIES),
    PlanStep(15, SECOND),
    PlanStep(30, FORMAL_NOTICE),
)

# The seller's choice too: a formal notice gives eight calendar days from its receipt to pay.
FORMAL_NOTICE_PERIOD: Final = LegalFact((8, "jours_calendaires"), "choix du vendeur")
# Days a registered letter is assumed to take until its receipt is recorded (the seller's
# estimate, replaced by the date on the receipt).
POSTAL_DELAY: Final = LegalFact(2, "choix du vendeur")
# Articles a formal notice invokes.
LATE_PAYMENT: Final = LegalFact(
    "pénalités de retard et indemnité de recouvrement", "C. com. L441-10"
)
DAMAGES_INTEREST: Final = LegalFact(
    "intérêts au taux légal dus du jour de la sommation", "C. civ. 1231-6"
)
FORMAL_NOTICE_LAW: Final = LegalFact(
    "mise en demeure par lettre recommandée ou acte portant interpellation suffisante",
    "C. civ. 1344",
)


def due_step(
    *,
    steps: Sequence[PlanStep],
    due_date: date,
    on: date,
    outstanding: Decimal,
    done: Collection[int] = (),
) -> Explained:
    """The step of ``steps`` due on ``on`` for an invoice due on ``due_date`` with
    ``outstanding`` still to pay, ``done`` the offsets already queued for it: its
    :class:`PlanStep`, or None (value) with the reason."""
    ordered = sorted(steps, key=lambda step: step.offset_days)
    trail = [Step(words("échéance de la facture"), due_date), Step(words("jour examiné"), on)]
    inputs = {"due_date": due_date, "on": on, "outstanding": outstanding, "done": sorted(done)}
    if outstanding <= 0:
        trail.append(Step(words("rien ne reste dû : aucune relance"), outstanding))
        return Explained(None, "due_step", inputs=inputs, steps=tuple(trail))
    reached = [step for step in ordered if step.day(due_date) <= on]
    if not reached:
        trail.append(Step(words("aucune étape n'est encore atteinte")))
        return Explained(None, "due_step", inputs=inputs, steps=tuple(trail))
    latest = reached[-1]
    trail.append(
        Step(
            words(
                "dernière étape atteinte : J{offset} ({day}), {outstanding} restant dû",
                offset=f"{latest.offset_days:+d}",
                day=latest.day(due_date),
                outstanding=Euros(outstanding),
            ),
            latest.kind,
        )
    )
    if any(offset >= latest.offset_days for offset in done):
        trail.append(Step(words("étape déjà traitée : jamais deux fois")))
        return Explained(None, "due_step", inputs=inputs, steps=tuple(trail))
    return Explained(latest, "due_step", inputs=inputs, steps=tuple(trail))
