"""Writes on invoices and credit notes.

Drafts: :func:`create_draft`, :func:`update_draft`, :func:`delete_draft` (a draft has no
number and may change freely). Issue: :func:`issue_invoice` checks the mandatory mentions,
takes the number, freezes the document, hashes and chains it, then calls :func:`after_issue`
(PDF, Factur-X and email plug in there), all in one transaction. Corrections:
:func:`issue_credit_note`, never more than what remains creditable; a consumer's withdrawal
credits its order's invoices but what the consumer owes (:func:`credit_withdrawn_order`).
Payments are the payments domain's: :func:`record_payments_total` keeps an invoice's paid
state as the sum of what payments allocated to it.

Automatic issue: :func:`invoice_paid_order` (an online order paid, seed 000 art. 4, called by
``orders.services.mark_paid``), :func:`issue_deposit_invoice` (a quote with a deposit
accepted, seed 002 art. 5, called by ``orders.services.create_order_from_quote``),
:func:`final_invoice` (the balance at the end of the work, deposits deducted). An automatic
issue never refuses the payment or the acceptance that triggers it: when the document cannot
be issued yet (a mandatory mention missing, the legal rate of the semester not published),
it stays a draft with ``issue_blocked_reason``, audited as ``invoice.issue_deferred``, for
staff to complete and issue.

Numbering series (``numbering.services.next_number``), one counter per seller, series and
year: ``invoice`` for standard, deposit and final invoices (``Seller.invoice_prefix``,
``F2026-000123``) and ``credit_note`` for credit notes (``Seller.credit_note_prefix``,
``AV2026-000007``). Deposit and final invoices share the invoice series: they are invoices,
and one continuous series per kind of document is what the auditor reads (BOFiP
TVA-DECLA-30-20-20). The hash chain follows the counter: one chain per seller, series and year,
serialized by the counter row lock.

Every write is one transaction that locks what it changes and records an audit event.
Services take ``now`` (an aware datetime, default the current time) so tests need no clock.
"""

from clausier.invoicing.services.automatic import (
    final_invoice,
    invoice_paid_order,
    issue_deposit_invoice,
    retry_waiting_invoice,
    waiting_drafts,
)
from clausier.invoicing.services.billing_run import (
    BillingRun,
    RunMemo,
    billing_run_drafts,
    issue_chunk,
    issue_invoices,
    resend_invoice,
)
from clausier.invoicing.services.contracts import (
    credit_terminated_contract,
    invoice_terminated_contract,
)
from clausier.invoicing.services.credit_notes import (
    credit_withdrawn_order,
    issue_credit_note,
)
from clausier.invoicing.services.drafts import (
    DRAFT_FIELDS,
    create_draft,
    delete_draft,
    update_draft,
)
from clausier.invoicing.services.issue import (
    CLAUSE_KINDS,
    DEPOSIT,
    EARLY_DISCOUNT,
    ISSUED_FIELDS,
    LATE_INDEMNITY,
    LATE_PENALTY,
    ORDER_FLOW,
    PAYMENT_DUE,
    PAYMENT_METHODS,
    after_issue,
    issue_invoice,
)
from clausier.invoicing.services.lines import (
    CATALOG_LINE_KEYS,
    FREE_LINE_KEYS,
)
from clausier.invoicing.services.payments import (
    record_payments_total,
)
from clausier.invoicing.services.penalties import (
    issue_penalty_invoice,
)
from clausier.invoicing.services.support import (
    MissingMentions,
    ZeroTotal,
)

__all__ = [
    "CATALOG_LINE_KEYS",
    "CLAUSE_KINDS",
    "DEPOSIT",
    "DRAFT_FIELDS",
    "EARLY_DISCOUNT",
    "FREE_LINE_KEYS",
    "ISSUED_FIELDS",
    "LATE_INDEMNITY",
    "LATE_PENALTY",
    "ORDER_FLOW",
    "PAYMENT_DUE",
    "PAYMENT_METHODS",
    "BillingRun",
    "MissingMentions",
    "RunMemo",
    "ZeroTotal",
    "after_issue",
    "billing_run_drafts",
    "create_draft",
    "credit_terminated_contract",
    "credit_withdrawn_order",
    "delete_draft",
    "final_invoice",
    "invoice_paid_order",
    "invoice_terminated_contract",
    "issue_chunk",
    "issue_credit_note",
    "issue_deposit_invoice",
    "issue_invoice",
    "issue_invoices",
    "issue_penalty_invoice",
    "record_payments_total",
    "resend_invoice",
    "retry_waiting_invoice",
    "update_draft",
    "waiting_drafts",
]
