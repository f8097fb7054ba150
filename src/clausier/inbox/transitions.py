"""The state table of received messages, the one place that says which change is allowed.

A message is ``stored`` (its raw bytes committed) until the parser has read it: ``parsed``,
or ``failed`` with the parser's error. Staff parse a ``failed`` message again after a fix
("Relire"), and a ``stored`` one a crash left behind; a ``parsed`` message is final.
"""

from __future__ import annotations

from typing import Final

from clausier.kernel.errors import InvalidTransition

STORED, PARSED, FAILED = "stored", "parsed", "failed"

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    STORED: frozenset({PARSED, FAILED}),
    FAILED: frozenset({PARSED, FAILED}),  # failed -> failed: parsed again, still unreadable
    PARSED: frozenset(),
}

REPARSE: Final = "reparse"


def can(*, current: str, target: str) -> bool:
    return target in TRANSITIONS[current]


def check(*, label: str, current: str, target: str) -> None:
    if not can(current=current, target=target):
        raise InvalidTransition(label, current, target, set(TRANSITIONS[current]))


def allowed_actions(message) -> frozenset[str]:
    """What staff may do with ``message`` now: ``reparse`` while it is not parsed."""
    return frozenset({REPARSE}) if TRANSITIONS[message.status] else frozenset()
