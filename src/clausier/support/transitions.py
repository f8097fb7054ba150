"""The state table of a ticket: new -> acknowledged (the intervention, GTI) -> in_progress
<-> waiting_client -> resolved (the repair, GTR) -> closed; a resolved or closed ticket may
be reopened."""

from __future__ import annotations

from typing import Final

from clausier.kernel.errors import InvalidTransition

NEW, ACKNOWLEDGED, IN_PROGRESS, WAITING_CLIENT, RESOLVED, CLOSED = (
    "new",
    "acknowledged",
    "in_progress",
    "waiting_client",
    "resolved",
    "closed",
)
STATES: Final = (NEW, ACKNOWLEDGED, IN_PROGRESS, WAITING_CLIENT, RESOLVED, CLOSED)

# action -> (the states it leaves from, the state it leads to)
ACTIONS: Final[dict[str, tuple[frozenset[str], str]]] = {
    "acknowledge": (frozenset({NEW}), ACKNOWLEDGED),
    "start": (frozenset({ACKNOWLEDGED}), IN_PROGRESS),
    "wait_client": (frozenset({ACKNOWLEDGED, IN_PROGRESS}), WAITING_CLIENT),
    "resume": (frozenset({WAITING_CLIENT}), IN_PROGRESS),
    "resolve": (frozenset({ACKNOWLEDGED, IN_PROGRESS, WAITING_CLIENT}), RESOLVED),
    "close": (frozenset({RESOLVED}), CLOSED),
    "reopen": (frozenset({RESOLVED, CLOSED}), IN_PROGRESS),
}

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    state: frozenset(target for sources, target in ACTIONS.values() if state in sources)
    for state in STATES
}

# The states whose clocks still run (or are paused): the queue's tickets.
OPEN: Final = frozenset({NEW, ACKNOWLEDGED, IN_PROGRESS, WAITING_CLIENT})


def check(*, label: str, current: str, target: str) -> None:
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))


def target_of(*, action: str, current: str) -> str:
    """The state ``action`` leads to from ``current``; InvalidTransition when it may not."""
    if action not in ACTIONS:
        raise InvalidTransition(action, current, action, set(TRANSITIONS[current]))
    sources, target = ACTIONS[action]
    if current not in sources:
        raise InvalidTransition(action, current, target, set(TRANSITIONS[current]))
    return target


def allowed_actions(ticket) -> list[str]:
    """What a screen may offer on ``ticket``, in the table's order."""
    return [action for action, (sources, _) in ACTIONS.items() if ticket.status in sources]
