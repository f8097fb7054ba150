"""How invoicing answers the orders' and payments' facts (wired in ``clausier/reactions.py``),
each in the publisher's transaction and through invoicing's own services. Facts of a later
stage (payments, collections) are read by their fields only: invoicing does not import them."""

from __future__ import annotations

from clausier.audit.triggers import Trigger
from clausier.invoicing import selectors, services
from clausier.invoicing.models import Invoice
from clausier.invoicing.services import contract_fees, sla_penalties
from clausier.invoicing.services.support_work import draft_support_work
from clausier.orders.events import DepositRequested, OrderCancelled, OrderPaid
from clausier.orders.models import DepositRequest, Order
from clausier.support.events import SupportWorkBillable


def invoice_deposit(fact: DepositRequested) -> None:
    """Seed 002 art. 5: the deposit asked at acceptance is invoiced at once; an invoice that
    must wait (a mention missing) stays a draft and the acceptance holds."""
    services.issue_deposit_invoice(
        deposit_request=DepositRequest.objects.get(pk=fact.deposit_request_id),
        by=fact.by,
        now=fact.at,
        trigger=Trigger.QUOTE_ACCEPTED,
    )


def credit_cancelled_order(fact: OrderCancelled) -> None:
    """An issued invoice is never deleted (BOFiP TVA-DECLA-30-20-20): what remains of each
    invoice of a cancelled order is credited; a credit note that cannot be issued refuses
    the cancellation with its reason."""
    for invoice in selectors.invoices_of_order(order=Order.objects.get(pk=fact.order_id)):
        if invoice.is_credit_note or not invoice.is_issued:
            continue
        remaining = selectors.creditable(invoice=invoice)
        if remaining is None or remaining.ttc <= 0:
            continue
        services.issue_credit_note(
            invoice=invoice,
            # Printed on the credit note, a French document whatever the reader's language.
            reason=f"Annulation de la commande {fact.reference} : {fact.reason}",
            by=fact.by,
            now=fact.at,
            trigger=Trigger.ORDER_CANCELLED,
        )


def credit_withdrawn_order(fact) -> None:
    """``withdrawal.events.WithdrawalAccepted``: a consumer withdrew from the order (C. conso.
    L221-18); its invoices are credited for all he does not owe (L221-24), what he owes for
    the service provided at his request (``amount_owed``, L221-25) staying invoiced. The
    refund follows from the credit notes (payments answers ``InvoiceIssued``). Read by its
    fields: withdrawal is a later stage."""
    services.credit_withdrawn_order(
        order=Order.objects.get(pk=fact.order_id, seller_id=fact.seller_id),
        kept=fact.amount_owed,
        # Printed on the credit note, a French document whatever the reader's language.
        reason=(
            f"Rétractation du {fact.received_on:%d/%m/%Y} sur la commande "
            f"{fact.order_reference} (C. conso. L221-18) : "
            + (
                "tout est remboursé sauf le service fourni avant la rétractation"
                if fact.amount_owed > 0
                else "tout est remboursé"
            )
            + " (C. conso. L221-24, L221-25)"
        ),
        by=fact.by,
        now=fact.at,
        trigger=Trigger.WITHDRAWAL_ACCEPTED,
    )


def invoice_paid_order(fact: OrderPaid) -> None:
    """Seed 000 art. 4: the invoice of an online order is issued once its payment is
    received (idempotent; never refuses the payment)."""
    services.invoice_paid_order(order=Order.objects.get(pk=fact.order_id), by=fact.by, now=fact.at)


def keep_payments_total(fact) -> None:
    """``payments.events.InvoicePaymentsChanged``: the invoice's amount paid and paid day
    are the sum of what payments allocated to it (a cache kept here)."""
    services.record_payments_total(
        invoice_id=fact.invoice_id,
        amount_paid=fact.amount_paid,
        received=fact.received,
        paid_on=fact.paid_on,
        by=fact.by,
        now=fact.at,
        trigger=fact.trigger,
    )


def invoice_terminated_contract(fact) -> None:
    """``contracts.events.ContractTerminated``: the work done up to the effective date and
    not yet paid is invoiced (seed 002 art. 7), line by line, pro rata temporis."""
    services.invoice_terminated_contract(
        seller_id=fact.seller_id,
        client_id=fact.client_id,
        order_id=fact.order_id,
        terms_version_id=fact.terms_version_id,
        reference=fact.reference,
        effective_on=fact.effective_on,
        lines=[
            (line.description, line.owed, line.vat_rate, line.owed_from, line.served_through)
            for line in fact.lines
        ],
        by=fact.by,
        now=fact.at,
    )


def invoice_penalties(fact) -> None:
    """``collections.events.PenaltiesBilled``: the late interest and recovery indemnity of a
    late invoice, billed on a penalty invoice, outside the scope of VAT (CGI art. 256 I)."""
    services.issue_penalty_invoice(
        late_invoice=Invoice.objects.get(pk=fact.invoice_id, seller_id=fact.seller_id),
        lines=list(fact.lines),
        billing_id=fact.billing_id,
        by=fact.by,
        now=fact.at,
    )


def invoice_support_work(fact: SupportWorkBillable) -> None:
    """Seed 000 art. 9: work on a ticket the maintenance does not cover, taken in charge at
    the rate in force on the day of the intervention, becomes a draft invoice of its lines
    (the seller reviews and issues it)."""
    draft_support_work(
        seller_id=fact.seller_id,
        client_id=fact.client_id,
        ticket_reference=fact.ticket_reference,
        exclusion_reason=fact.exclusion_reason,
        lines=list(fact.lines),
        by=fact.by,
        now=fact.at,
    )


def credit_sla_penalty(fact) -> None:
    """``support.events.SlaPenaltyAssessed``: a breached service level's penalty (seed 000
    art. 10.1.4) becomes a credit note against the client's latest issued invoice."""
    sla_penalties.credit_sla_penalty(
        seller_id=fact.seller_id,
        client_id=fact.client_id,
        amount_ht=fact.amount_ht,
        reason=fact.reason,
        by=fact.by,
        now=fact.at,
    )


def credit_terminated_contract(fact) -> None:
    """``contracts.events.ContractTerminated``: the prepaid days after the effective date
    (seed 002 art. 12b, ``rules.contracts.unused_share``) are credited on the contract's
    order's invoice; the refund follows from the credit note (payments answers
    ``InvoiceIssued``)."""
    services.credit_terminated_contract(
        seller_id=fact.seller_id,
        order_id=fact.order_id,
        reference=fact.reference,
        effective_on=fact.effective_on,
        lines=[(line.description, line.refund, line.vat_rate) for line in fact.lines],
        by=fact.by,
        now=fact.at,
    )


def invoice_domain_renewal(fact) -> None:
    """``contracts.events.DomainRenewalDue``: a domain name's registration renewed for a
    term (seed 002 art. 11) is invoiced at the contract's domain line, citing the clause."""
    contract_fees.invoice_domain_renewal(
        renewal_id=fact.renewal_id,
        seller_id=fact.seller_id,
        client_id=fact.client_id,
        terms_version_id=fact.terms_version_id,
        domain_name=fact.domain_name,
        contract_reference=fact.contract_reference,
        expires_on=fact.expires_on,
        renewed_to=fact.renewed_to,
        amount_ht=fact.amount_ht,
        vat_rate=fact.vat_rate,
        clause_id=fact.clause_id,
        terms_label=fact.terms_label,
        by=fact.by,
        now=fact.at,
    )


def invoice_restore(fact) -> None:
    """``contracts.events.RestoreBillable``: a restore from a backup done (seed 002 art. 11)
    is invoiced the clause's flat fee."""
    contract_fees.invoice_restore(
        request_id=fact.request_id,
        seller_id=fact.seller_id,
        client_id=fact.client_id,
        terms_version_id=fact.terms_version_id,
        contract_reference=fact.contract_reference,
        backup_on=fact.backup_on,
        done_on=fact.done_on,
        amount_ht=fact.amount_ht,
        label=fact.label,
        clause_id=fact.clause_id,
        terms_label=fact.terms_label,
        by=fact.by,
        now=fact.at,
    )
