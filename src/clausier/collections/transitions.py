"""The state table of a late invoice's penalties.

``accruing`` (the nightly accrual keeps its interest and indemnity to date) ends ``billed``
(a penalty invoice was issued for them, once) or ``waived`` (staff gave up everything owed,
with a reason). Nothing leaves ``billed`` or ``waived``: a penalty is never billed twice.
"""

from __future__ import annotations

from typing import Final

from clausier.kernel.errors import InvalidTransition

ACCRUING, BILLED, WAIVED = "accruing", "billed", "waived"

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    ACCRUING: frozenset({BILLED, WAIVED}),
    BILLED: frozenset(),
    WAIVED: frozenset(),
}

# Staff actions on a late invoice and the state each needs.
BILL, WAIVE = "bill", "waive"
ACTIONS: Final[dict[str, str]] = {BILL: ACCRUING, WAIVE: ACCRUING}


def allowed(*, current: str) -> frozenset[str]:
    return TRANSITIONS[current]


def check(*, label: str, current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise InvalidTransition(label, current, target, set(TRANSITIONS[current]))


def allowed_actions(late) -> frozenset[str]:
    """What staff may do on ``late`` (a ``LateInvoice``): bill its penalties when something
    is owed, waive while it accrues."""
    if late is None or late.status != ACCRUING:
        return frozenset()
    actions = {WAIVE}
    if late.days_late > 0:
        actions.add(BILL)
    return frozenset(actions)


# The dunning notices' state table lives with dunning, one module per topic.
from clausier.collections.dunning.transitions import (  # noqa: E402, F401
    TRANSITIONS as DUNNING_NOTICE_TRANSITIONS,
)
