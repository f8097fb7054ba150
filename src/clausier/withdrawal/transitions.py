"""The state tables of a withdrawal request: its decision and its refund.

A request is decided when it is received, in the same transaction (C. conso. L221-18 to
L221-28): ``accepted`` (in time) or ``refused`` (late, or a service fully performed with the
consumer's express consent, L221-28 1°); both are final.

Its refund has no state of its own: it is read from payments' refunds of the withdrawn order
(``withdrawal.selectors``): ``owed`` while one is owed (or failed), ``sent`` once all are
sent, ``settled`` once all have left the seller's account, ``none`` when nothing was owed
back (nothing paid, or a refused request). Staff mark them sent in payments' refund screens.
"""

from __future__ import annotations

from typing import Final

from clausier.kernel.errors import InvalidTransition

RECEIVED, ACCEPTED, REFUSED = "received", "accepted", "refused"

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    RECEIVED: frozenset({ACCEPTED, REFUSED}),
    ACCEPTED: frozenset(),
    REFUSED: frozenset(),
}

# Where the refund of an accepted withdrawal stands, read from payments' refunds.
NONE, OWED, SENT, SETTLED = "none", "owed", "sent", "settled"

# Why a request was decided as it was (``WithdrawalRequest.reason_code``).
IN_TIME, EARLY_START, LATE, FULLY_PERFORMED = "in_time", "early_start", "late", "fully_performed"


def check(*, label: str, current: str, target: str) -> None:
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))
