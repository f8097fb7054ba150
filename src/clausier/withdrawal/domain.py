"""Pure decisions on a consumer's withdrawal (C. conso. L221-18 to L221-28): in time or late,
the service fully performed with the consumer's consent (L221-28 1°), the amount owed for a
service started at its express request (L221-25), the refund's deadline (L221-24).

No ORM: the services pass the order's facts in (:class:`OrderFacts`). The decision's
sentences are :class:`~clausier.rules.wording.Words`, frozen with their parameters, worded
again in the reader's language. The seller's terms never shorten the law's period (the
explanation names the substitution), and a clause refusing any refund once the service was
used (seed 000 art. 7) is not applied to a consumer: the decision says so.
"""

from __future__ import annotations

import math
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final

from django.utils.translation import gettext_noop

from clausier.rules.calendar import FrenchCalendar
from clausier.rules.consumer import early_start_amount, refund_deadline, withdrawal_period
from clausier.rules.explain import Explained, LegalFact
from clausier.rules.money import ZERO
from clausier.rules.wording import Euros, Words, words
from clausier.withdrawal import transitions as t

# The model withdrawal form of the annex to article R221-1, as the portal shows it for a
# service (the consumer's name, address, the order and the date are filled in).
MODEL_FORM: Final = LegalFact(
    gettext_noop(
        "Je vous notifie par la présente ma rétractation du contrat portant sur la prestation "
        "de services ci-dessous."
    ),
    "C. conso. R221-1 et son annexe (formulaire type de rétractation)",
)
MODEL_FORM_NOTE: Final = gettext_noop(
    "Veuillez compléter et renvoyer le présent formulaire uniquement si vous souhaitez vous "
    "rétracter du contrat."
)
FULLY_PERFORMED_LAW: Final = "C. conso. L221-28 1°"
LATE_LAW: Final = "C. conso. L221-18"


@dataclass(frozen=True)
class OrderFacts:
    """What the decision reads of the order withdrawn from. ``express_start``: the consumer
    expressly asked the service to start during the period and acknowledged losing its right
    once the service is fully performed (the text it accepted is kept on the order);
    ``started_on`` / ``completed_on``: the service's start and full performance, if any;
    ``price``: the order's TTC total; ``clauses``: the clauses frozen at confirmation."""

    concluded_on: date
    express_start: bool
    started_on: date | None
    completed_on: date | None
    price: Decimal
    lines: tuple[tuple[str, str, Decimal], ...] = ()  # (unit, unit label, quantity)
    withdrawal_clause: dict[str, Any] | None = None
    refund_clause: dict[str, Any] | None = None


@dataclass(frozen=True)
class Decision:
    status: str
    reason_code: str
    reasons: tuple[Words, ...]
    period: Explained
    owed: Explained | None

    @property
    def amount_owed(self) -> Decimal:
        return self.owed.value if self.owed is not None else ZERO


def _months_later(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def line_days(*, unit: str, unit_label: str, quantity: Decimal, start: date) -> int | None:
    """How many days a line of the order runs from ``start``: hours (a metered hour too)
    over 24, days, months and years to the same day number; ``None`` for a line with no
    duration (a flat fee, a metered quantity of something else)."""
    if unit == "hour" or (unit == "metered" and unit_label.lower().startswith("heure")):
        return math.ceil(quantity / 24)
    if unit == "day":
        return math.ceil(quantity)
    if unit in {"month", "year"}:
        months = math.ceil(quantity) * (12 if unit == "year" else 1)
        return (_months_later(start, months) - start).days
    return None


def service_period_days(*, lines: Iterable[tuple[str, str, Decimal]], start: date) -> int | None:
    """The service's period for the pro rata of L221-25: the longest of its lines' (the
    order is provided until its last line ends); ``None`` when no line has a duration."""
    days = [
        d
        for unit, label, quantity in lines
        if (d := line_days(unit=unit, unit_label=label, quantity=quantity, start=start))
    ]
    return max(days) if days else None


def _period(order: OrderFacts, calendar: FrenchCalendar) -> Explained:
    clause = order.withdrawal_clause or {}
    params = clause.get("parameters") or {}
    period = withdrawal_period(
        concluded_on=order.concluded_on,
        calendar=calendar,
        terms_n=params.get("n"),
        terms_unit=params.get("unit"),
    )
    if clause:
        period = period.citing(clause=clause.get("clause", ""), terms=clause.get("terms", ""))
    return period


def _unlawful_refund_clause(order: OrderFacts) -> Words | None:
    """The terms' "no refund once the service was used" (seed 000 art. 7), said not applied."""
    clause = order.refund_clause or {}
    if not (clause.get("parameters") or {}).get("refused_if_service_used"):
        return None
    return words(
        "La clause {article} des CGV, qui refuse le remboursement si le service a été utilisé, "
        "ne s'applique pas à un consommateur : il ne doit que le service fourni jusqu'à sa "
        "rétractation (C. conso. L221-25, L221-28).",
        article=clause.get("article") or clause.get("clause", ""),
    )


def decide(*, order: OrderFacts, received_on: date, calendar: FrenchCalendar) -> Decision:
    """Accepted or refused, and why, for a withdrawal the seller received on ``received_on``."""
    period = _period(order, calendar)
    end = period.value
    performed = order.completed_on
    # Fully performed before the consumer withdrew (and within the period), at the consumer's
    # express request: the right is lost (L221-28 1°).
    if (
        order.express_start
        and performed is not None
        and performed <= end
        and performed <= received_on
    ):
        return Decision(
            status=t.REFUSED,
            reason_code=t.FULLY_PERFORMED,
            reasons=(
                words(
                    "Le service a été pleinement exécuté le {done}, avant la fin du délai de "
                    "rétractation ({end}), après que le consommateur a demandé expressément "
                    "son exécution et reconnu qu'il perdrait alors son droit de rétractation : "
                    "rétractation refusée ({law}).",
                    done=performed,
                    end=end,
                    law=FULLY_PERFORMED_LAW,
                ),
            ),
            period=period,
            owed=None,
        )
    if received_on > end:
        return Decision(
            status=t.REFUSED,
            reason_code=t.LATE,
            reasons=(
                words(
                    "Rétractation reçue le {received}, après la fin du délai de rétractation le "
                    "{end} : refusée ({law}).",
                    received=received_on,
                    end=end,
                    law=LATE_LAW,
                ),
            ),
            period=period,
            owed=None,
        )
    reasons = [
        words(
            "Rétractation reçue le {received}, dans le délai qui expire le {end} : acceptée.",
            received=received_on,
            end=end,
        )
    ]
    owed = None
    started = order.started_on
    if started is not None and started <= received_on:
        if order.express_start:
            owed = _owed(order, started, received_on)
            reasons.append(_owed_words(owed, started))
        else:
            reasons.append(
                words(
                    "Le service a commencé le {started} sans demande expresse du consommateur : "
                    "il ne doit rien pour ce qui a été fourni (C. conso. L221-25).",
                    started=started,
                )
            )
        note = _unlawful_refund_clause(order)
        if note is not None:
            reasons.append(note)
    return Decision(
        status=t.ACCEPTED,
        reason_code=t.IN_TIME if owed is None else t.EARLY_START,
        reasons=tuple(reasons),
        period=period,
        owed=owed,
    )


def _owed(order: OrderFacts, started: date, received_on: date) -> Explained | None:
    days = service_period_days(lines=order.lines, start=started)
    if days is None:
        return None
    return early_start_amount(
        price=order.price, started_on=started, withdrawn_on=received_on, period_days=days
    )


def _owed_words(owed: Explained | None, started: date) -> Words:
    if owed is None:
        return words(
            "Le service a commencé le {started} à la demande expresse du consommateur, mais la "
            "commande ne dit pas sa durée : aucun montant n'est retenu (C. conso. L221-25).",
            started=started,
        )
    return words(
        "Le service a commencé le {started} à la demande expresse du consommateur : il doit "
        "{amount} pour le service fourni jusqu'à sa rétractation, au prorata du temps "
        "(C. conso. L221-25).",
        started=started,
        amount=Euros(owed.value),
    )


@dataclass(frozen=True)
class Refund:
    amount: Decimal
    deadline: Explained


def refund(
    *, received_total: Decimal, owed: Decimal, informed_on: date, calendar: FrenchCalendar
) -> Refund:
    """Every sum received, less what the consumer owes (L221-25), never below nothing; due
    within 14 days of the day the seller was informed (L221-24)."""
    return Refund(
        amount=max(received_total - owed, ZERO),
        deadline=refund_deadline(informed_on=informed_on, calendar=calendar),
    )
