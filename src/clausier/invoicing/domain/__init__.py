"""Pure decisions of invoicing: what an issued document says, computed from plain facts (one
module a topic: facts, mentions, due_date, penalties, totals, prepare, credit, ledger,
transfer).

:func:`prepare` takes :class:`InvoiceFacts` (the parties as they are on the issue date, the
lines, the clauses of the terms version in force, a payment already received, the deposits to
deduct, the invoice a credit note corrects) and computes everything the document shows: totals
per VAT rate through :func:`clausier.rules.money.document_totals`, the due date through
:func:`clausier.rules.deadlines.deadline` with its explanation, the late-penalty sentence with
the rate of the issue date (:mod:`clausier.rules.interest`), the 40 € indemnity for
professionals, the VAT mentions, the payment instructions. :meth:`Prepared.document` then
makes the frozen :class:`~clausier.invoicing.document.InvoiceDocument` once the number is
known (the number is taken last, inside the issuing transaction, to hold its lock briefly).

Every legal figure comes from the rules core with its source; the texts of the document are
French, the invoice of record, and kept also as words (:mod:`clausier.rules.wording`,
``InvoiceDocument.wording``) so that a reader of another language reads them in it, on the
page and in a courtesy translation of the PDF, while the issued document never changes.

No ORM: the services pass plain facts in.
"""

from __future__ import annotations

from clausier.invoicing.domain.credit import (
    Creditable,
    credit_excess,
    creditable,
    remaining_lines,
    withdrawal_lines,
)
from clausier.invoicing.domain.due_date import (
    DueDate,
    due_date,
)
from clausier.invoicing.domain.facts import (
    CATEGORY_EXEMPT,
    CATEGORY_OUTSIDE,
    CATEGORY_REVERSE,
    CATEGORY_STANDARD,
    CATEGORY_ZERO,
    CREDIT_NOTE,
    DEFAULT_PENALTY,
    EU_MEMBER_STATES,
    INVOICE_DATE_STARTS,
    KINDS,
    MENTIONS_LAW,
    NO_DISCOUNT,
    ONLINE_PAYMENT,
    OUT_OF_SCOPE_CODE,
    PAYMENT_METHODS_FR,
    PENALTY,
    REVERSE_CHARGE_CODE,
    SIREN_REQUIRED_KINDS,
    UNITS,
    VAT_ON_DEBITS,
    ClauseSource,
    Corrected,
    DepositBasis,
    EarlyDiscount,
    InvoiceFacts,
    InvoiceRuleError,
    LatePenalty,
    LineFacts,
    PaymentDue,
    PaymentMethods,
    Prepayment,
    vat_regime,
)
from clausier.invoicing.domain.ledger import (
    CREDITED,
    LATE,
    NUMBER_CHARACTERS,
    PAID,
    TO_PAY,
    LedgerBreak,
    LedgerRow,
    Numbered,
    Unnumbered,
    canonical_json,
    chain_hash,
    content_hash,
    fill_number,
    number_slot,
    payment_status,
    text_hash,
    verify_chain,
)
from clausier.invoicing.domain.mentions import (
    missing_mentions,
)
from clausier.invoicing.domain.penalties import (
    CONSUMER_INDEMNITY,
    CONSUMER_PENALTY,
    CREDIT_NOTE_DISCOUNT,
    CREDIT_NOTE_INDEMNITY,
    CREDIT_NOTE_PENALTY,
    Indemnity,
    Penalty,
    early_payment_sentence,
    indemnity,
    late_penalty,
    percent_of,
)
from clausier.invoicing.domain.prepare import (
    Prepared,
    prepare,
)
from clausier.invoicing.domain.totals import (
    Totals,
    amount_due,
    document_nature,
    split_by_rate,
    totals,
)
from clausier.invoicing.domain.transfer import (
    QUIET_ZONE,
    dark_runs,
    qr_code,
    remittance_text,
    transfer_payload,
    transfer_request,
)

__all__ = [
    "CATEGORY_EXEMPT",
    "CATEGORY_OUTSIDE",
    "CATEGORY_REVERSE",
    "CATEGORY_STANDARD",
    "CATEGORY_ZERO",
    "CONSUMER_INDEMNITY",
    "CONSUMER_PENALTY",
    "CREDITED",
    "CREDIT_NOTE",
    "CREDIT_NOTE_DISCOUNT",
    "CREDIT_NOTE_INDEMNITY",
    "CREDIT_NOTE_PENALTY",
    "DEFAULT_PENALTY",
    "EU_MEMBER_STATES",
    "INVOICE_DATE_STARTS",
    "KINDS",
    "LATE",
    "MENTIONS_LAW",
    "NO_DISCOUNT",
    "NUMBER_CHARACTERS",
    "ONLINE_PAYMENT",
    "OUT_OF_SCOPE_CODE",
    "PAID",
    "PAYMENT_METHODS_FR",
    "PENALTY",
    "QUIET_ZONE",
    "REVERSE_CHARGE_CODE",
    "SIREN_REQUIRED_KINDS",
    "TO_PAY",
    "UNITS",
    "VAT_ON_DEBITS",
    "ClauseSource",
    "Corrected",
    "Creditable",
    "DepositBasis",
    "DueDate",
    "EarlyDiscount",
    "Indemnity",
    "InvoiceFacts",
    "InvoiceRuleError",
    "LatePenalty",
    "LedgerBreak",
    "LedgerRow",
    "LineFacts",
    "Numbered",
    "PaymentDue",
    "PaymentMethods",
    "Penalty",
    "Prepared",
    "Prepayment",
    "Totals",
    "Unnumbered",
    "amount_due",
    "canonical_json",
    "chain_hash",
    "content_hash",
    "credit_excess",
    "creditable",
    "dark_runs",
    "document_nature",
    "due_date",
    "early_payment_sentence",
    "fill_number",
    "indemnity",
    "late_penalty",
    "missing_mentions",
    "number_slot",
    "payment_status",
    "percent_of",
    "prepare",
    "qr_code",
    "remaining_lines",
    "remittance_text",
    "split_by_rate",
    "text_hash",
    "totals",
    "transfer_payload",
    "transfer_request",
    "vat_regime",
    "verify_chain",
    "withdrawal_lines",
]
