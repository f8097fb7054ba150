"""Facts the invoicing domain publishes (:func:`clausier.kernel.events.publish`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from clausier.kernel.actor import Actor


@dataclass(frozen=True)
class InvoiceIssued:
    """An invoice or a credit note was issued: numbered, chained and frozen."""

    invoice_id: int
    seller_id: int
    number: str
    kind: str
    at: datetime
    by: Actor
    # The order it invoices and the invoice a credit note corrects, when there is one: what
    # payments reads to allocate an order's payment or to owe a refund.
    order_id: int | None = None
    corrects_id: int | None = None
    # The fact an automatic issue answers (``audit.triggers.Trigger``, "" for staff's own):
    # a credit note for a consumer's withdrawal owes a refund said to come from it.
    trigger: str = ""


@dataclass(frozen=True)
class DepositInvoiced:
    """The deposit invoice of an order's deposit request was issued."""

    invoice_id: int
    deposit_request_id: int
    seller_id: int
    number: str
    at: datetime
    by: Actor


@dataclass(frozen=True)
class PenaltyInvoiced:
    """The penalty invoice asked by collections' ``PenaltiesBilled`` (``billing_id``) was
    made: issued, or left a draft waiting for what it lacks."""

    invoice_id: int
    billing_id: int
    seller_id: int
    number: str
    at: datetime
    by: Actor


@dataclass(frozen=True)
class PrepaidCreditUsed:
    """A usage invoice's draft deducts ``amount`` HT of the client's prepaid credits (a
    negative line), once per ``reference`` (``<subscription external id>/<YYYY-MM>``): what
    metering draws from the client's credits, ``at`` the end of the period billed."""

    client_id: int
    seller_id: int
    amount: Decimal
    reference: str
    invoice_id: int
    at: datetime
    by: Actor


@dataclass(frozen=True)
class ContractFeeInvoiced:
    """The invoice asked by contracts' ``DomainRenewalDue`` or ``RestoreBillable`` was
    made (``subject`` ``domain_renewal`` or ``restore``, the row ``subject_id``): issued, or
    left a draft waiting for what it lacks (no number yet)."""

    subject: str
    subject_id: int
    invoice_id: int
    seller_id: int
    number: str
    at: datetime
    by: Actor
