"""The state table of dunning notices: queued on its day, then sent or skipped, for good (a
step is never sent twice). A formal notice step is sent as a registered letter, never by
e-mail: staff draw up the formal notice from it."""

from __future__ import annotations

from typing import Final

from clausier.kernel.errors import InvalidTransition

QUEUED, SENT, SKIPPED = "queued", "sent", "skipped"

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    QUEUED: frozenset({SENT, SKIPPED}),
    SENT: frozenset(),
    SKIPPED: frozenset(),
}

SEND, SKIP, FORMAL_NOTICE = "send", "skip", "formal_notice"


def can(*, current: str, target: str) -> bool:
    return target in TRANSITIONS[current]


def check(*, label: str, current: str, target: str) -> None:
    if not can(current=current, target=target):
        raise InvalidTransition(label, current, target, set(TRANSITIONS[current]))


def allowed_actions(notice) -> frozenset[str]:
    """What staff may do with a dunning ``notice`` now: send the e-mail (a reminder) or draw
    up the formal notice (its last step), or skip it, while it is queued."""
    if notice.status != QUEUED:
        return frozenset()
    first = FORMAL_NOTICE if notice.kind == "formal_notice" else SEND
    return frozenset({first, SKIP})
