"""The state table of quotes (devis), the only place that says which change is allowed.

``draft -> sent``; a sent quote ends ``accepted``, ``refused``, ``expired`` (its validity
passed), ``withdrawn`` (the seller takes it back) or ``superseded`` (edited after sending:
the change is a new revision, a draft pointing to it). An accepted quote lives on as its
order; refused, withdrawn and superseded quotes are history.

``expired -> accepted`` is the one conditional change (:data:`CONDITIONS`): art. 3 of the
agency's terms makes the client's consent given within the validity accept the quote, and the
expiry task may mark a quote expired before staff record an email of consent or a signed copy
returned by post that is dated in time. Only such evidence, dated within the validity (the
email's ``Date``, the date on the signed copy), accepts an expired quote; the service says
whether it is (:data:`EVIDENCE_DATED_IN_TIME`) and :func:`check` refuses the change without
it. An acceptance online is dated when it is made, so an expired quote is never accepted
online.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Final

from clausier.kernel.errors import InvalidTransition

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
    EXPIRED: frozenset({ACCEPTED}),  # only under CONDITIONS
    WITHDRAWN: frozenset(),
    SUPERSEDED: frozenset(),
}

# The client's consent received by email or by post bears a date within the quote's validity.
EVIDENCE_DATED_IN_TIME: Final = "evidence_dated_in_time"

# Changes of TRANSITIONS allowed only when the caller establishes a condition.
CONDITIONS: Final[dict[tuple[str, str], str]] = {
    (EXPIRED, ACCEPTED): EVIDENCE_DATED_IN_TIME,
}


def allowed(*, current: str, met: Collection[str] = ()) -> frozenset[str]:
    """The states ``current`` may go to, given the conditions ``met``."""
    return frozenset(
        target
        for target in TRANSITIONS[current]
        if CONDITIONS.get((current, target)) in (None, *met)
    )


def can(*, current: str, target: str, met: Collection[str] = ()) -> bool:
    return target in allowed(current=current, met=met)


def check(*, label: str, current: str, target: str, met: Collection[str] = ()) -> None:
    possible = allowed(current=current, met=met)
    if target not in possible:
        raise InvalidTransition(label, current, target, set(possible))
