"""The state tables of invoices and credit notes, the one place that says what may change.

Three states live on a document:

- its **status**: ``draft -> issued``, and nothing after: an issued document is frozen
  (corrections by credit note, BOFiP TVA-DECLA-30-20-20);
- its **payment state**, derived from the due date, the payments and the credit notes
  (:func:`clausier.invoicing.domain.payment_status`): ``to_pay``, ``late``, ``paid``,
  ``credited``. It is not written, so it has no transitions: the table says what it allows;
- its **delivery** by e-mail (``email_status``): ``not_sent -> queued`` at issue, then
  ``sent`` or, after the last retry, ``failed``; staff send it again from ``sent`` or
  ``failed`` (or while queued, between attempts): back to ``queued``.

:func:`allowed_actions` is what a screen or the API asks before offering an action; the
services check the same tables.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from clausier.invoicing import domain
from clausier.kernel.errors import InvalidTransition

# --- status -----------------------------------------------------------------------------------

DRAFT, ISSUED = "draft", "issued"

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    DRAFT: frozenset({ISSUED}),
    ISSUED: frozenset(),
}

# --- delivery by e-mail -------------------------------------------------------------------------

NOT_SENT, QUEUED, SENT, FAILED = "not_sent", "queued", "sent", "failed"

DELIVERY_TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    NOT_SENT: frozenset({QUEUED}),
    QUEUED: frozenset({QUEUED, SENT, FAILED}),  # queued -> queued: sent again now
    SENT: frozenset({QUEUED}),
    FAILED: frozenset({QUEUED}),
}

# --- actions ------------------------------------------------------------------------------------

EDIT, DELETE, ISSUE, RECORD_PAYMENT, CREDIT, RESEND, DOWNLOAD = (
    "edit",
    "delete",
    "issue",
    "record_payment",
    "credit",
    "resend",
    "download",
)

# What a payment state allows (issued documents that are not credit notes).
PAYMENT_ACTIONS: Final[dict[str, frozenset[str]]] = {
    domain.TO_PAY: frozenset({RECORD_PAYMENT}),
    domain.LATE: frozenset({RECORD_PAYMENT}),
    domain.PAID: frozenset({RECORD_PAYMENT}),  # a payment recorded twice is refused by amount
    domain.CREDITED: frozenset(),
}


def can(*, current: str, target: str) -> bool:
    return target in TRANSITIONS[current]


def check(*, label: str, current: str, target: str) -> None:
    if not can(current=current, target=target):
        raise InvalidTransition(label, current, target, set(TRANSITIONS[current]))


def can_deliver(*, current: str, target: str) -> bool:
    return target in DELIVERY_TRANSITIONS[current]


def check_delivery(*, label: str, current: str, target: str) -> None:
    if not can_deliver(current=current, target=target):
        raise InvalidTransition(label, current, target, set(DELIVERY_TRANSITIONS[current]))


def allowed_actions(
    invoice, *, today: date, creditable_ttc: Decimal | None = None
) -> frozenset[str]:
    """What may be done with ``invoice`` on ``today``: ``edit``, ``delete`` and ``issue`` a
    draft; ``download`` an issued document, ``resend`` it while its delivery may go back to
    ``queued``, ``record_payment`` as its payment state allows (never on a credit note), and
    ``credit`` it while ``creditable_ttc`` (what credit notes have not yet cancelled, from
    ``selectors.creditable``) is above zero."""
    if invoice.status == DRAFT:
        return frozenset({EDIT, DELETE, ISSUE})
    actions = {DOWNLOAD}
    if can_deliver(current=invoice.email_status, target=QUEUED):
        actions.add(RESEND)
    if not invoice.is_credit_note:
        actions |= PAYMENT_ACTIONS[invoice.payment_status(today=today)]
        if creditable_ttc is not None and creditable_ttc > 0:
            actions.add(CREDIT)
    return frozenset(actions)
