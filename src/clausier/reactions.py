"""The one table of cross-domain reactions: which handler answers which fact, and when.

Read it like a state table. A fact is published by its domain's services
(:func:`clausier.kernel.events.publish`); each handler belongs to the reacting domain and
calls that domain's own services (locked, audited). ``in_transaction`` reactions run inside
the publisher's transaction (their failure undoes the whole change); ``after_commit`` ones run
once it has committed (their failure is logged and audited, see :func:`on_failure`).
Handlers run in the order listed.
"""

from __future__ import annotations

from clausier.audit.services import record_reaction_failure
from clausier.collections import handlers as collections
from clausier.collections.events import PenaltiesBilled
from clausier.collections.standing_events import ClientResumed, ClientSuspended
from clausier.contracts import handlers as contracts
from clausier.contracts.events import (
    ContractTerminated,
    DomainRenewalDue,
    ForceMajeureEnded,
    ForceMajeureStarted,
    LiabilityClaimReceived,
    RestoreBillable,
)
from clausier.customers import handlers as customers
from clausier.inbox.events import MessageReceived
from clausier.invoicing import handlers as invoicing
from clausier.invoicing.events import (
    ContractFeeInvoiced,
    DepositInvoiced,
    InvoiceIssued,
    PenaltyInvoiced,
    PrepaidCreditUsed,
)
from clausier.kernel.events import Table, after_commit, in_transaction
from clausier.metering import handlers as metering
from clausier.orders import handlers as orders
from clausier.orders.events import (
    DepositRequested,
    OrderCancelled,
    OrderConfirmedOnline,
    OrderPaid,
    ServiceActivated,
)
from clausier.payments import handlers as payments
from clausier.payments.events import (
    DepositPaid,
    InvoicePaymentsChanged,
    PaymentFailed,
    PaymentRefunded,
    PaymentSucceeded,
    ServicePaidMeasured,
)
from clausier.quotes.events import QuoteAccepted, QuoteTermsAccepted
from clausier.support import handlers as support
from clausier.support.events import OnCallPaged, SlaPenaltyAssessed, SupportWorkBillable
from clausier.terms import handlers as terms
from clausier.webhooks import handlers as webhooks
from clausier.withdrawal.events import WithdrawalAccepted

REACTIONS: Table = {
    # Seed 002 art. 3 / seed 000 art. 11: accepting a quote, or confirming an order online,
    # accepts the terms it was made under (recorded with its evidence by the terms domain).
    QuoteTermsAccepted: [in_transaction(terms.record_quote_terms)],
    OrderConfirmedOnline: [in_transaction(terms.record_online_order_terms)],
    # Seed 002 art. 3: an accepted quote becomes the order.
    # Seed 002 art. 3: an accepted quote becomes the order; its recurring lines (art. 7),
    # a contract renewed by tacit renewal.
    QuoteAccepted: [
        in_transaction(orders.open_from_quote),
        in_transaction(contracts.open_for_accepted_quote),
    ],
    # Seed 002 art. 5: the deposit is invoiced at acceptance; once it is cashed (payments),
    # work may start.
    DepositRequested: [in_transaction(invoicing.invoice_deposit)],
    DepositInvoiced: [in_transaction(orders.mark_deposit_invoiced)],
    DepositPaid: [in_transaction(orders.start_after_deposit)],
    # An issued invoice is never deleted: a cancelled order's invoices are credited.
    OrderCancelled: [
        in_transaction(invoicing.credit_cancelled_order),
        in_transaction(metering.end_cancelled_order),
    ],
    # Seed 000 art. 4: the invoice is issued once the online payment is received.
    OrderPaid: [in_transaction(invoicing.invoice_paid_order)],
    # Seed 000 art. 8: the PaaS runtime is told to start the service (an outbox row here,
    # sent after the commit by the webhooks' retrying task).
    # Issue 18: the started service is a subscription, metered from then on.
    ServiceActivated: [
        in_transaction(webhooks.announce_service_activated),
        in_transaction(metering.start_subscription),
        in_transaction(contracts.open_for_activated_order),
    ],
    # Issue 18: a usage invoice's deduction of prepaid credits draws them (once per
    # subscription and month), in the transaction that writes the draft.
    PrepaidCreditUsed: [in_transaction(metering.draw_prepaid_credit)],
    # An order's invoice is paid by what the order's payments left (an online order paid
    # before its invoice); a credit note on a paid invoice owes the client a refund.
    InvoiceIssued: [in_transaction(payments.invoice_issued)],
    # Seed 000 art. 5: an online payment received pays its order (whose invoice follows,
    # art. 4); rejected or cancelled, it cancels it.
    PaymentSucceeded: [in_transaction(orders.pay_online_order)],
    PaymentFailed: [in_transaction(orders.cancel_unpaid_order)],
    # An invoice's amount paid is the sum of its allocations (kept by invoicing); the final
    # invoice paid in full is the final acceptance of the services (seed 002 art. 4).
    InvoicePaymentsChanged: [
        in_transaction(invoicing.keep_payments_total),
        in_transaction(orders.record_final_acceptance),
        in_transaction(collections.bill_when_paid),
        # Seed 002 art. 6: a client suspended for non-payment is resumed once nothing is late.
        in_transaction(collections.resume_when_settled),
    ],
    # Seed 002 art. 6: a client suspended for non-payment (quotes and orders read the state on
    # the client) and its running services told to stop, then to resume.
    ClientSuspended: [
        in_transaction(customers.mark_suspended),
        in_transaction(webhooks.announce_services_suspended),
        in_transaction(contracts.suspend_for_client),
    ],
    ClientResumed: [
        in_transaction(customers.mark_resumed),
        in_transaction(webhooks.announce_services_resumed),
        in_transaction(contracts.resume_for_client),
    ],
    # Issue 17: a late invoice's interest and indemnity are billed on a penalty invoice
    # (no VAT), linked back to the billing.
    PenaltiesBilled: [in_transaction(invoicing.invoice_penalties)],
    PenaltyInvoiced: [in_transaction(collections.record_penalty_invoice)],
    # Money given back: accounting and collections will answer it.
    PaymentRefunded: [],
    # Seed 000 art. 9: mail to the support address becomes a ticket or a ticket's message,
    # once the inbox has committed it (a support error never loses the message).
    MessageReceived: [after_commit(support.take_email)],
    # C. conso. L221-18 to L221-25: a consumer's withdrawal ends the order (``withdrawn``);
    # its invoices are credited but what the consumer owes for the service provided
    # (L221-25), the refund of what was paid following from the credit notes (InvoiceIssued
    # above), and what the order's payments left unallocated is refunded by the same means
    # of payment (L221-24); the service ends (the PaaS runtime told, an outbox row).
    WithdrawalAccepted: [
        in_transaction(orders.record_withdrawal),
        in_transaction(invoicing.credit_withdrawn_order),
        in_transaction(payments.refund_withdrawn_order),
        in_transaction(webhooks.announce_service_terminated),
        in_transaction(metering.end_withdrawn_order),
        # Its contract ends (no final invoice: the order is credited above).
        in_transaction(contracts.end_withdrawn_order),
    ],
    # Seed 000 art. 9: an excluded case taken in charge is billed at the rate in force on
    # the day of the intervention: the time entries become a draft invoice.
    SupportWorkBillable: [in_transaction(invoicing.invoice_support_work)],
    # Seed 002 art. 7, 11, 12b: a contract ended, its services stop (the PaaS runtime told,
    # its subscription metered no more).
    # The work done and not yet paid is invoiced.
    ContractTerminated: [
        in_transaction(invoicing.invoice_terminated_contract),
        # Seed 002 art. 12b: the prepaid share after the end is credited; the refund follows
        # from the credit note (InvoiceIssued above).
        in_transaction(invoicing.credit_terminated_contract),
        in_transaction(webhooks.announce_contract_terminated),
        in_transaction(metering.end_terminated_contract),
    ],
    # Seed 000 art. 10.1.4: a breached service level's penalty is credited to the client
    # (a credit note against its latest issued invoice); no invoice to carry it, no penalty.
    SlaPenaltyAssessed: [in_transaction(invoicing.credit_sla_penalty)],
    # Seed 000 art. 10.3: a critical ticket outside business hours pages the on-call
    # engineer: the signed webhook an SMS or push provider listens to.
    OnCallPaged: [in_transaction(webhooks.announce_on_call_page)],
    # Seed 002 art. 8: force majeure pauses the obligations and the SLA clocks meanwhile.
    ForceMajeureStarted: [in_transaction(support.pause_for_force_majeure)],
    ForceMajeureEnded: [in_transaction(support.resume_after_force_majeure)],
    # Seed 002 art. 11: a domain name's registration renewed ahead of its expiry is invoiced
    # at the contract's domain line; a restore from a backup done, the clause's flat fee.
    # The invoice made is kept with its row (and moves the domain's expiry one term on).
    DomainRenewalDue: [in_transaction(invoicing.invoice_domain_renewal)],
    RestoreBillable: [in_transaction(invoicing.invoice_restore)],
    ContractFeeInvoiced: [in_transaction(contracts.record_fee_invoice)],
    # Seed 002 art. 10: a liability claim is capped at the clause's share of the HT actually
    # paid for the service by the claim date; payments measures it, contracts stores the cap.
    LiabilityClaimReceived: [in_transaction(payments.measure_claim_base)],
    ServicePaidMeasured: [in_transaction(contracts.record_claim_cap)],
}

on_failure = record_reaction_failure
