"""The state table of terms versions: draft -> published -> superseded. Nothing else."""

from __future__ import annotations

from typing import Final

from clausier.kernel.errors import InvalidTransition

DRAFT, PUBLISHED, SUPERSEDED = "draft", "published", "superseded"

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    DRAFT: frozenset({PUBLISHED}),
    PUBLISHED: frozenset({SUPERSEDED}),
    SUPERSEDED: frozenset(),
}


def check(*, label: str, current: str, target: str) -> None:
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))
