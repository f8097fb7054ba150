"""The state tables of a withdrawal request: its decision and its refund.

A request is decided when it is received, in the same transaction (C. conso. L221-18 to
L221-28): ``accepted`` (in time) or ``refused`` (late, or a service fully performed with the
consumer's express consent, L221-28 1°); both are final. An accepted request owes the
consumer a refund (``owed``) unless nothing was received, marked ``sent`` once staff have
sent it; a refused one owes none (``none``).
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

NONE, OWED, SENT = "none", "owed", "sent"

REFUND_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    NONE: frozenset({OWED}),
    OWED: frozenset({SENT}),
    SENT: frozenset(),
}

# Why a request was decided as it was (``WithdrawalRequest.reason_code``).
IN_TIME, EARLY_START, LATE, FULLY_PERFORMED = "in_time", "early_start", "late", "fully_performed"


def check(*, label: str, current: str, target: str) -> None:
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))


def check_refund(*, label: str, current: str, target: str) -> None:
    allowed = REFUND_TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))


def allowed_actions(withdrawal) -> list[str]:
    """What a screen may offer on ``withdrawal``: marking its refund sent while it is owed."""
    return ["refund_sent"] if SENT in REFUND_TRANSITIONS[withdrawal.refund_status] else []
