"""The payments API's bodies."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from clausier.web.api import ClientNamed, Input


class AllocationOut(Schema):
    invoice_id: int
    amount: Decimal


class PaymentOut(ClientNamed):
    id: int
    client_id: int
    client_name: str
    order_id: int | None
    method: str
    status: str
    amount: Decimal
    unallocated: Decimal
    received_on: date | None
    cashed_on: date | None
    value_date: date | None
    settled_on: date | None
    cheque_number: str
    cheque_bank: str
    transfer_reference: str
    provider: str
    provider_reference: str
    refunded_amount: Decimal
    created_at: datetime


class PaymentDetailOut(PaymentOut):
    allocations: list[AllocationOut]

    @staticmethod
    def resolve_allocations(obj) -> list[dict]:
        return [{"invoice_id": a.invoice_id, "amount": a.amount} for a in obj.allocations_shown]


class PaymentPage(Schema):
    count: int
    items: list[PaymentOut]


class AllocationIn(Input):
    invoice_id: int
    amount: Decimal


class OfflinePaymentIn(Input):
    """A cheque received (pending until cashed) or a transfer on the statement, optionally
    allocated to invoices of the same client; what they leave is the client's credit."""

    client_id: int
    method: Literal["cheque", "transfer"]
    amount: Decimal
    received_on: date
    cheque_number: str = ""
    cheque_bank: str = ""
    transfer_reference: str = ""
    value_date: date | None = None
    allocations: list[AllocationIn] = Field(default_factory=list)


class RefundIn(Input):
    """A refund owed to the client out of what the payment left unallocated."""

    amount: Decimal
    reason: str


class RefundOut(Schema):
    id: int
    payment_id: int | None
    invoice_id: int | None
    credit_note_id: int | None
    amount: Decimal
    method: str
    status: str
    reason: str
    created_at: datetime


class AllocationsIn(Input):
    """Allocations of what is left of a payment, each to one invoice of its client."""

    allocations: list[AllocationIn] = Field(min_length=1)


class CashedIn(Input):
    """The day a cheque was cashed (today when left out)."""

    cashed_on: date | None = None


class RefundSentIn(Input):
    sent_on: date | None = None
    reference: str = ""


class RefundSettledIn(Input):
    settled_on: date | None = None
    reference: str = ""


class CreditPaymentOut(Schema):
    payment_id: int
    unallocated: Decimal


class ClientCreditOut(Schema):
    client_id: int
    credit: Decimal
    payments: list[CreditPaymentOut]
    refunds_owed: list[RefundOut]
