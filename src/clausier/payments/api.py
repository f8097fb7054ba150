"""The payments' REST routers: ``router`` at ``/payments`` (list, get, a cheque or transfer
recorded, a refund owed) and ``invoice_payments_router`` at ``/invoices`` (a payment of one
invoice, the route invoicing had). Every POST takes an ``Idempotency-Key`` (the API shell)."""

from __future__ import annotations

from ninja import Query, Router, Status

from clausier.customers.selectors import client_named
from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing.schemas import InvoiceDetailOut, PaymentIn
from clausier.payments import selectors, services
from clausier.payments.models import Method, PaymentStatus
from clausier.payments.schemas import (
    OfflinePaymentIn,
    PaymentDetailOut,
    PaymentPage,
    RefundIn,
    RefundOut,
)
from clausier.sellers.access import api_scope
from clausier.web.api import Paging, responses, today_in_paris, token_of

router = Router(tags=["payments"])
invoice_payments_router = Router(tags=["invoices"])


def _payment(request, payment_id: int):
    payment = selectors.payment_for_seller(seller=token_of(request).seller, payment_id=payment_id)
    payment.allocations_shown = list(selectors.allocations_of_payment(payment=payment))
    return payment


@router.get(
    "",
    response=responses({200: PaymentPage}, 422),
    summary="List payments (paginated), latest first",
)
def list_payments(
    request,
    paging: Query[Paging],
    status: PaymentStatus | None = None,
    method: Method | None = None,
    client_id: int | None = None,
):
    filters = selectors.PaymentFilters(
        status=status or "", method=method or "", client_id=client_id
    )
    return paging.page(selectors.payment_list(seller=api_scope(request).seller, filters=filters))


@router.get(
    "/{payment_id}",
    response=responses({200: PaymentDetailOut}, 404),
    summary="A payment: its state, what it pays and what it leaves (client credit)",
)
def get_payment(request, payment_id: int):
    return _payment(request, payment_id)


@router.post(
    "",
    response=responses({201: PaymentDetailOut}, 400, 404, 409, 422),
    summary="Record a cheque received or a transfer on the statement",
    description="A cheque is `pending` until cashed, a transfer `succeeded` at once. "
    "`allocations` pay invoices of the same client: never more than an invoice's balance nor "
    "what is left of the payment (422 naming `amount`). What they leave is the client's "
    "credit.",
)
def record_offline_payment(request, payload: OfflinePaymentIn):
    scope = api_scope(request)
    client = client_named(scope=scope, client_id=payload.client_id)
    allocate_to = [
        (
            invoice_selectors.invoice_for_seller(seller=scope.seller, invoice_id=a.invoice_id),
            a.amount,
        )
        for a in payload.allocations
    ]
    payment = services.record_offline_payment(
        seller=scope.seller,
        client=client,
        method=payload.method,
        amount=payload.amount,
        received_on=payload.received_on,
        cheque_number=payload.cheque_number,
        cheque_bank=payload.cheque_bank,
        transfer_reference=payload.transfer_reference,
        value_date=payload.value_date,
        allocate_to=allocate_to,
        by=token_of(request),
    )
    return Status(201, _payment(request, payment.pk))


@router.post(
    "/{payment_id}/refunds",
    response=responses({201: RefundOut}, 400, 404, 409, 422),
    summary="Owe the client a refund of what the payment left unallocated",
)
def refund_payment(request, payment_id: int, payload: RefundIn):
    payment = _payment(request, payment_id)
    refund = services.record_refund_owed(
        payment=payment, amount=payload.amount, reason=payload.reason, by=token_of(request)
    )
    return Status(201, refund)


@invoice_payments_router.post(
    "/{invoice_id}/payments",
    response=responses({200: InvoiceDetailOut}, 400, 404, 409, 422),
    summary="Record a payment received on an issued invoice",
    description="`amount` strictly positive, `paid_on` not in the future (422 naming the "
    "field); a draft is a 409. The document does not change: `amount_paid`, `paid_on` and "
    "`payment_status` do. The payment is recorded as a transfer allocated to the invoice "
    "(`/payments`).",
)
def record_payment(request, invoice_id: int, payload: PaymentIn):
    seller = token_of(request).seller
    services.record_invoice_payment(
        invoice=invoice_selectors.invoice_for_seller(seller=seller, invoice_id=invoice_id),
        amount=payload.amount,
        paid_on=payload.paid_on or today_in_paris(),
        by=token_of(request),
    )
    invoice = invoice_selectors.invoice_for_seller(seller=seller, invoice_id=invoice_id)
    invoice.credit_note_ids = invoice_selectors.credit_note_ids(invoice=invoice)
    invoice.creditable = invoice_selectors.creditable(invoice=invoice)
    return invoice
