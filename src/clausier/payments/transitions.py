"""The state tables of payments and refunds, the one place that says which change is allowed.

A payment is ``pending`` while its outcome is unknown (an online payment started, a cheque
received and not yet cashed), then ``succeeded``, ``failed`` or ``cancelled``; a succeeded
payment may be given back in part (``partially_refunded``) or in full (``refunded``). A state
never moves backwards: a provider's late "failed" after "succeeded" changes nothing (the
services record that they ignored it); a success reported after a failure is money received
all the same, recorded (what it was for may be gone: a cancelled order's payment is then
owed back).

A refund is ``owed`` to the client (a credit note on a paid invoice, client credit given
back, a payment of a cancelled order), then ``sent`` (the transfer ordered, the cheque
posted) and ``settled`` (the money left the seller's account).
"""

from __future__ import annotations

from typing import Final

from clausier.kernel.errors import InvalidTransition

PENDING, SUCCEEDED, FAILED, CANCELLED = "pending", "succeeded", "failed", "cancelled"
PARTIALLY_REFUNDED, REFUNDED = "partially_refunded", "refunded"

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    PENDING: frozenset({SUCCEEDED, FAILED, CANCELLED}),
    SUCCEEDED: frozenset({PARTIALLY_REFUNDED, REFUNDED}),
    PARTIALLY_REFUNDED: frozenset({PARTIALLY_REFUNDED, REFUNDED}),
    REFUNDED: frozenset(),
    # Money reported received after a failure or a cancellation is received all the same
    # (a second attempt of the same payment succeeded): it is recorded, never lost.
    FAILED: frozenset({SUCCEEDED}),
    CANCELLED: frozenset({SUCCEEDED}),
}

# The states in which the money is the seller's (what allocations may count as paid).
SETTLED: Final = frozenset({SUCCEEDED, PARTIALLY_REFUNDED, REFUNDED})
# The outcomes a provider reports.
OUTCOMES: Final = frozenset({SUCCEEDED, FAILED, CANCELLED})

OWED, SENT, REFUND_SETTLED, REFUND_FAILED = "owed", "sent", "settled", "failed"

REFUND_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    OWED: frozenset({SENT, REFUND_SETTLED, REFUND_FAILED}),
    SENT: frozenset({REFUND_SETTLED}),
    REFUND_SETTLED: frozenset(),
    # A provider's refusal leaves the refund owed all the same: tried again (through the
    # provider, or settled another way).
    REFUND_FAILED: frozenset({SENT, REFUND_SETTLED, REFUND_FAILED}),
}
# The methods paid through a provider (models.Method: card, PayPal): confirmed by its event,
# refunded through it.
PROVIDER_METHODS: Final = frozenset({"card", "paypal"})

# Actions the screens ask for.
MARK_CASHED, ALLOCATE, REFUND, MARK_SENT, MARK_SETTLED = (
    "mark_cashed",
    "allocate",
    "refund",
    "mark_sent",
    "mark_settled",
)
REFUND_THROUGH_PROVIDER, EXPORT_TRANSFER = "refund_through_provider", "export_transfer"


def can(*, current: str, target: str) -> bool:
    return target in TRANSITIONS[current]


def is_backwards(*, current: str, target: str) -> bool:
    """A reported outcome the table does not allow from ``current`` (``failed`` after
    ``succeeded``): ignored, never applied."""
    return target != current and not can(current=current, target=target)


def check(*, label: str, current: str, target: str) -> None:
    if not can(current=current, target=target):
        raise InvalidTransition(label, current, target, set(TRANSITIONS[current]))


def check_refund(*, label: str, current: str, target: str) -> None:
    if target not in REFUND_TRANSITIONS[current]:
        raise InvalidTransition(label, current, target, set(REFUND_TRANSITIONS[current]))


def may_pay_invoices(payment) -> bool:
    """Whether ``payment`` may be allocated to invoices: once received (succeeded, or partly
    refunded), or while a cheque or transfer recorded by staff is pending (a cheque waiting to
    be cashed); never an online payment the provider has not confirmed yet."""
    if payment.status == PENDING:
        return payment.method not in PROVIDER_METHODS
    return payment.status in SETTLED


def allowed_actions(payment, *, unallocated=None) -> frozenset[str]:
    """What staff may do with ``payment`` now (``unallocated``: what its allocations and
    refunds left of it): cash a cheque received, allocate or refund what is left."""
    actions: set[str] = set()
    if payment.status == PENDING and payment.method == "cheque":
        actions.add(MARK_CASHED)
    if may_pay_invoices(payment) and unallocated:
        actions.add(ALLOCATE)
    if payment.status in SETTLED and unallocated:
        actions.add(REFUND)
    return frozenset(actions)


def refund_actions(refund) -> frozenset[str]:
    """What staff may do with a refund now: mark it sent, then settled; a card or PayPal
    refund not yet settled goes through its provider, a transfer refund owed into a SEPA
    credit transfer file."""
    allowed = REFUND_TRANSITIONS[refund.status]
    actions = {
        action
        for action, target in ((MARK_SENT, SENT), (MARK_SETTLED, REFUND_SETTLED))
        if target in allowed
    }
    if refund.status in {OWED, REFUND_FAILED}:
        if refund.method in PROVIDER_METHODS and refund.payment_id is not None:
            actions.add(REFUND_THROUGH_PROVIDER)
        elif refund.method == "transfer":
            actions.add(EXPORT_TRANSFER)
    return frozenset(actions)
