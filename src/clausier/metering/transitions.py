"""The state table of a subscription: active <-> suspended, either -> terminated (final).

The contracts domain adds renewal and termination notices on top; this table stays the one
place that says which state goes where.
"""

from __future__ import annotations

from typing import Final

from clausier.kernel.errors import InvalidTransition

ACTIVE, SUSPENDED, TERMINATED = "active", "suspended", "terminated"

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    ACTIVE: frozenset({SUSPENDED, TERMINATED}),
    SUSPENDED: frozenset({ACTIVE, TERMINATED}),
    TERMINATED: frozenset(),
}

# The states in which a subscription meters usage (a suspended service may still report
# the tail of its last minutes; a terminated one reports nothing more).
METERING: Final = frozenset({ACTIVE, SUSPENDED})

ACTIONS: Final[dict[str, str]] = {SUSPENDED: "suspend", ACTIVE: "resume", TERMINATED: "terminate"}


def check(*, label: str, current: str, target: str) -> None:
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))


def allowed_actions(subscription) -> list[str]:
    """What a screen may offer on ``subscription``."""
    return [ACTIONS[target] for target in sorted(TRANSITIONS[subscription.status])]
