"""The state table of quotes (devis), the only place that says which change is allowed.

``draft -> sent``; a sent quote ends ``accepted``, ``refused``, ``expired`` (its validity
passed), ``withdrawn`` (the seller takes it back) or ``superseded`` (edited after sending:
the change is a new revision, a draft pointing to it). Every other state is final: an
accepted quote lives on as its order, the others are history.
"""

from __future__ import annotations

from typing import Final

from clausier.errors import InvalidTransition

DRAFT, SENT, ACCEPTED, REFUSED, EXPIRED, WITHDRAWN, SUPERSEDED = (
    "draft",
    "sent",
    "accepted",
    "refused",
    "expired",
    "withdrawn",
    "superseded",
)

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    DRAFT: frozenset({SENT}),
    SENT: frozenset({ACCEPTED, REFUSED, EXPIRED, WITHDRAWN, SUPERSEDED}),
    ACCEPTED: frozenset(),
    REFUSED: frozenset(),
    EXPIRED: frozenset(),
    WITHDRAWN: frozenset(),
    SUPERSEDED: frozenset(),
}


def can(*, current: str, target: str) -> bool:
    return target in TRANSITIONS[current]


def check(*, label: str, current: str, target: str) -> None:
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))
