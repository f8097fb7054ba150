"""How contracts answer other domains' facts (wired in ``clausier/reactions.py``)."""

from __future__ import annotations

from django.utils import timezone

from clausier.audit.triggers import Trigger
from clausier.contracts import services
from clausier.orders.models import Order


def open_for_activated_order(fact) -> None:
    """``orders.events.ServiceActivated``: a paid online order's service started (seed 000
    art. 8); its recurring lines (by the month or the year) are a contract from that day."""
    order = Order.objects.select_related("seller", "client", "terms_version").get(pk=fact.order_id)
    services.open_for_order(
        order=order,
        start_on=timezone.localdate(fact.at),
        by=None,
        trigger=Trigger.SERVICE_ACTIVATED,
    )


def open_for_accepted_quote(fact) -> None:
    """``quotes.events.QuoteAccepted``: the order opened from the accepted quote (the
    reaction before this one) is a contract for its recurring lines (seed 002 art. 7: the
    period is the quote's), from the acceptance."""
    order = (
        Order.objects.select_related("seller", "client", "terms_version")
        .filter(quote_id=fact.quote_id)
        .first()
    )
    if order is None:
        return
    services.open_for_order(
        order=order,
        start_on=timezone.localdate(fact.at),
        by=fact.by,
        trigger=Trigger.QUOTE_ACCEPTED,
    )


def suspend_for_client(fact) -> None:
    """``collections.standing_events.ClientSuspended`` (a later stage, read by its fields):
    the client suspended for non-payment (seed 002 art. 6), its active contracts are too."""
    services.suspend_for_client(
        seller_id=fact.seller_id,
        client_id=fact.client_id,
        clause_cited=fact.clause_cited,
        by=fact.by,
    )


def resume_for_client(fact) -> None:
    """``collections.standing_events.ClientResumed`` (read by its fields): the suspension
    lifted, the client's suspended contracts run again."""
    services.resume_for_client(
        seller_id=fact.seller_id, client_id=fact.client_id, reason=fact.reason, by=fact.by
    )


def end_withdrawn_order(fact) -> None:
    """``withdrawal.events.WithdrawalAccepted`` (read by its fields): the consumer withdrew
    from the order (C. conso. L221-18); its contract ends, invoicing crediting the order."""
    services.end_for_withdrawal(
        order_id=fact.order_id, received_on=fact.received_on, by=fact.by, now=fact.at
    )


def record_claim_cap(fact) -> None:
    """``payments.events.ServicePaidMeasured`` (a later stage, read by its fields): the HT
    the client paid for the service by the claim date; the claim's cap follows (seed 002
    art. 10)."""
    services.record_claim_cap(
        claim_id=fact.claim_id,
        seller_id=fact.seller_id,
        paid_ht=fact.paid_ht,
        parts=[
            {
                "invoice": part.invoice_number,
                "paid_on": part.paid_on.isoformat(),
                "amount_ttc": str(part.amount_ttc),
                "amount_ht": str(part.amount_ht),
            }
            for part in fact.parts
        ],
        by=fact.by,
        now=fact.at,
    )


def record_fee_invoice(fact) -> None:
    """``invoicing.events.ContractFeeInvoiced`` (a later stage, read by its fields): the
    invoice of a domain's renewal or of a restore is kept with its row; a renewal invoiced
    moves the domain's expiry one term on."""
    services.record_fee_invoice(
        subject=fact.subject,
        subject_id=fact.subject_id,
        seller_id=fact.seller_id,
        invoice_id=fact.invoice_id,
        number=fact.number,
        by=fact.by,
    )
