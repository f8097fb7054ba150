"""The state tables of orders and of deposit requests.

Two flows share the ``Order`` model:

- agency quote (seed 002, art. 3 and 5): an accepted quote becomes an order ``ready`` to
  start, or ``awaiting_deposit`` when the quote asks for a deposit; work starts
  (``in_progress``) only once the deposit is cashed (``ready``), then ``completed``;
- online order (seed 000, art. 4 and 5): ``draft`` (the recap the client may edit) ->
  ``confirmed`` -> ``awaiting_payment`` -> ``paid`` -> ``active``; a rejected or cancelled
  payment cancels the order.

Any order not yet started may be ``cancelled``. A consumer's order concluded at a distance
may be ``withdrawn`` (C. conso. L221-18, answering withdrawal's ``WithdrawalAccepted``): its
invoices are credited for what the consumer does not owe, not cancelled, so a withdrawn order
is never cancelled afterwards (its invoices would be credited twice). ``completed``,
``cancelled`` and ``withdrawn`` are final (``completed`` except for a withdrawal accepted
after it, L221-28 1° refusing only a service fully performed before the request).
"""

from __future__ import annotations

from typing import Final

from clausier.kernel.errors import InvalidTransition

# Agency flow.
AWAITING_DEPOSIT, READY, IN_PROGRESS, COMPLETED = (
    "awaiting_deposit",
    "ready",
    "in_progress",
    "completed",
)
# Online flow.
DRAFT, CONFIRMED, AWAITING_PAYMENT, PAID, ACTIVE = (
    "draft",
    "confirmed",
    "awaiting_payment",
    "paid",
    "active",
)
CANCELLED, WITHDRAWN = "cancelled", "withdrawn"

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    AWAITING_DEPOSIT: frozenset({READY, CANCELLED, WITHDRAWN}),
    READY: frozenset({IN_PROGRESS, CANCELLED, WITHDRAWN}),
    IN_PROGRESS: frozenset({COMPLETED, CANCELLED, WITHDRAWN}),
    DRAFT: frozenset({CONFIRMED, CANCELLED}),
    CONFIRMED: frozenset({AWAITING_PAYMENT, CANCELLED}),
    AWAITING_PAYMENT: frozenset({PAID, CANCELLED, WITHDRAWN}),
    PAID: frozenset({ACTIVE, CANCELLED, WITHDRAWN}),
    ACTIVE: frozenset({COMPLETED, CANCELLED, WITHDRAWN}),
    COMPLETED: frozenset({WITHDRAWN}),
    CANCELLED: frozenset(),
    WITHDRAWN: frozenset(),
}

# Deposit requests: asked at acceptance, issued as a deposit invoice (invoicing), cashed.
REQUESTED, INVOICED, CASHED, DEPOSIT_CANCELLED = "requested", "invoiced", "cashed", "cancelled"

DEPOSIT_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    REQUESTED: frozenset({INVOICED, CASHED, DEPOSIT_CANCELLED}),
    INVOICED: frozenset({CASHED, DEPOSIT_CANCELLED}),
    CASHED: frozenset(),
    DEPOSIT_CANCELLED: frozenset(),
}


def check(*, label: str, current: str, target: str) -> None:
    allowed = TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))


def check_deposit(*, label: str, current: str, target: str) -> None:
    allowed = DEPOSIT_TRANSITIONS[current]
    if target not in allowed:
        raise InvalidTransition(label, current, target, set(allowed))
