"""How orders answer other domains' facts (wired in ``clausier/reactions.py``).

Each handler calls an orders service, which locks, checks its state table and writes its own
audit event. Facts of later stages (invoicing, payments) are read by their fields only:
orders does not import them.
"""

from __future__ import annotations

from clausier.audit.triggers import Trigger
from clausier.orders import services
from clausier.quotes.events import QuoteAccepted
from clausier.quotes.models import Quote


def open_from_quote(fact: QuoteAccepted) -> None:
    """An accepted quote becomes an order, in the acceptance's transaction."""
    services.create_order_from_quote(
        quote=Quote.objects.get(pk=fact.quote_id),
        accepted_at=fact.at,
        by=fact.by,
        trigger=Trigger.QUOTE_ACCEPTED,
    )


def mark_deposit_invoiced(fact) -> None:
    """``invoicing.events.DepositInvoiced``: the deposit request moves to ``invoiced``
    (unless it was cashed or cancelled meanwhile: the invoice documents it, the state
    stays)."""
    services.mark_deposit_invoiced(
        deposit_request_id=fact.deposit_request_id,
        invoice_number=fact.number,
        by=fact.by,
        now=fact.at,
    )


def pay_online_order(fact) -> None:
    """``payments.events.PaymentSucceeded`` for an online order: the order is paid, its
    execution deadline computed; its invoice follows (seed 000 art. 4, 8)."""
    if fact.order_id is None:
        return
    services.mark_paid(
        order_id=fact.order_id,
        received_at=fact.received_at,
        provider=fact.provider,
        reference=fact.reference,
        amount=fact.amount,
        by=fact.by,
        now=fact.at,
    )


def cancel_unpaid_order(fact) -> None:
    """``payments.events.PaymentFailed``: seed 000 art. 5, a rejected or cancelled payment
    cancels the online order it was for."""
    if fact.order_id is None:
        return
    services.cancel_for_failed_payment(
        order_id=fact.order_id,
        reason=fact.reason,
        provider=fact.provider,
        reference=fact.reference,
        by=fact.by,
        now=fact.at,
    )


def start_after_deposit(fact) -> None:
    """``payments.events.DepositPaid``: seed 002 art. 5, work may start once the deposit is
    cashed."""
    services.mark_deposit_cashed(
        deposit_request_id=fact.deposit_request_id,
        cashed_on=fact.cashed_on,
        by=fact.by,
        now=fact.at,
    )


def record_final_acceptance(fact) -> None:
    """``payments.events.InvoicePaymentsChanged``: the final invoice of an order paid in
    full is the final acceptance of the services (seed 002 art. 4)."""
    if fact.order_id is None or fact.kind != "final" or not fact.fully_paid:
        return
    if fact.paid_on is None:
        return
    services.record_final_acceptance(
        order_id=fact.order_id, accepted_on=fact.paid_on, by=fact.by, now=fact.at
    )


def record_withdrawal(fact) -> None:
    """``withdrawal.events.WithdrawalAccepted``: the consumer withdrew from the order
    (C. conso. L221-18), which is ``withdrawn`` as of the day the seller received it."""
    services.record_withdrawal(
        order_id=fact.order_id,
        withdrawn_on=fact.received_on,
        by=fact.by,
        now=fact.at,
        trigger=Trigger.WITHDRAWAL_ACCEPTED,
    )
