"""The state table of webhook deliveries, the one place that says which change is allowed.

A delivery is ``pending`` from its emission until an attempt succeeds (``succeeded``) or the
last retry fails (``failed``); an attempt that fails before the last keeps it ``pending``
with its next time. Staff send a ``failed`` or ``pending`` one again ("Renvoyer": back to
``pending``, due at once); a ``succeeded`` delivery is final.
"""

from __future__ import annotations

from typing import Final

from clausier.kernel.errors import InvalidTransition

PENDING, SUCCEEDED, FAILED = "pending", "succeeded", "failed"

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    PENDING: frozenset({PENDING, SUCCEEDED, FAILED}),  # pending -> pending: sent again now
    SUCCEEDED: frozenset(),
    FAILED: frozenset({PENDING}),
}

RETRY: Final = "retry"


def can(*, current: str, target: str) -> bool:
    return target in TRANSITIONS[current]


def check(*, label: str, current: str, target: str) -> None:
    if not can(current=current, target=target):
        raise InvalidTransition(label, current, target, set(TRANSITIONS[current]))


def allowed_actions(delivery) -> frozenset[str]:
    """What staff may do with ``delivery`` now, for the screens to ask instead of deciding:
    ``retry`` while it may go back to ``pending`` and its endpoint is active."""
    actions = set()
    if can(current=delivery.status, target=PENDING) and delivery.endpoint.active:
        actions.add(RETRY)
    return frozenset(actions)
