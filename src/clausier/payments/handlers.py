"""How payments answers invoicing's facts (wired in ``clausier/reactions.py``), each in the
publisher's transaction and through payments' own services."""

from __future__ import annotations

from clausier.audit.triggers import Trigger
from clausier.invoicing.events import InvoiceIssued
from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.payments import services


def invoice_issued(fact: InvoiceIssued) -> None:
    """An invoice of an order is paid by what that order's payments left (an online order
    paid before its invoice, seed 000 art. 4; a deposit cashed before its invoice could be
    issued); a credit note on a paid invoice owes the client what the payments now cover
    beyond what is due; another invoice is charged to its client's saved card, if any
    (:func:`~clausier.payments.services.saved_cards.open_saved_card_charge`)."""
    if fact.kind == InvoiceKind.CREDIT_NOTE and fact.corrects_id is not None:
        services.refund_overpayment(
            credit_note=Invoice.objects.get(pk=fact.invoice_id),
            by=fact.by,
            now=fact.at,
            trigger=Trigger(fact.trigger) if fact.trigger else None,
        )
    elif fact.order_id is not None:
        services.allocate_order_payments(
            invoice=Invoice.objects.get(pk=fact.invoice_id), by=fact.by, now=fact.at
        )
    elif fact.kind != InvoiceKind.CREDIT_NOTE:
        # Paid by the client's saved card, if any (charged after the commit).
        services.open_saved_card_charge(invoice_id=fact.invoice_id, by=fact.by, now=fact.at)


def refund_withdrawn_order(fact) -> None:
    """``withdrawal.events.WithdrawalAccepted``, after invoicing credited the order's
    invoices (whose refunds follow from the credit notes): what the order's payments left
    unallocated is owed back by the same means of payment, less what the consumer owes for
    the service provided (L221-25) that no invoice asks (C. conso. L221-24). Read by its
    fields: withdrawal is a later stage."""
    services.refund_withdrawn_order(
        order_id=fact.order_id,
        kept=fact.amount_owed,
        # Shown to the client and staff alike, in French as the documents are.
        reason=f"Rétractation de la commande {fact.order_reference} (C. conso. L221-24)",
        by=fact.by,
        now=fact.at,
    )


def measure_claim_base(fact) -> None:
    """``contracts.events.LiabilityClaimReceived``: the HT the client actually paid for the
    contract's service by the claim date (seed 002 art. 10), announced for contracts to cap
    the claim."""
    services.measure_paid_for_service(
        claim_id=fact.claim_id,
        seller_id=fact.seller_id,
        client_id=fact.client_id,
        order_id=fact.order_id,
        reference=fact.reference,
        claim_date=fact.claim_date,
        by=fact.by,
        now=fact.at,
    )
