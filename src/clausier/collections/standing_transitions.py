"""What staff may do on a client's standing (seed 002 art. 6), in the manner of a state
table: a client is ``in_good_standing`` or ``suspended`` (for non-payment); an acceleration
is ``standing`` or ``reverted``.

``in_good_standing -> suspended`` (« Suspendre pour impayé ») only when the terms of a late
invoice allow it (the refusal, worded by :func:`clausier.collections.standing.suspension_refusal`,
says why not); ``suspended -> in_good_standing`` (« Lever la suspension ») with a reason, or
by itself once nothing is late. A standing acceleration may be reverted once, never restored.
"""

from __future__ import annotations

from typing import Final

IN_GOOD_STANDING, SUSPENDED = "in_good_standing", "suspended"
STANDING, REVERTED = "standing", "reverted"

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    IN_GOOD_STANDING: frozenset({SUSPENDED}),
    SUSPENDED: frozenset({IN_GOOD_STANDING}),
    STANDING: frozenset({REVERTED}),
    REVERTED: frozenset(),
}

SUSPEND, RESUME, REVERT = "suspend", "resume", "revert"


def client_state(*, suspended: bool) -> str:
    return SUSPENDED if suspended else IN_GOOD_STANDING


def client_actions(*, suspended: bool, refusal: str) -> frozenset[str]:
    """Staff may suspend a client in good standing when nothing refuses it (``refusal``
    empty), and lift a suspension."""
    if suspended:
        return frozenset({RESUME})
    return frozenset() if refusal else frozenset({SUSPEND})


def acceleration_actions(*, reverted: bool) -> frozenset[str]:
    """A standing acceleration may be reverted (with a reason), a reverted one nothing."""
    return frozenset() if reverted else frozenset({REVERT})
