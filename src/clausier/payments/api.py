"""The payments' REST routers: ``router`` at ``/payments`` (list, get, a cheque or transfer
recorded, a refund owed) and ``invoice_payments_router`` at ``/invoices`` (a payment of one
invoice, the route invoicing had). Every POST takes an ``Idempotency-Key`` (the API shell)."""

from __future__ import annotations

from ninja import Query, Router, Status

from clausier.customers import selectors as client_selectors
from clausier.customers.selectors import client_named
from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing.schemas import InvoiceDetailOut, PaymentIn
from clausier.payments import selectors, services
from clausier.payments.models import Method, PaymentStatus
from clausier.payments.schemas import (
    AllocationsIn,
    CashedIn,
    ClientCreditOut,
    OfflinePaymentIn,
    PaymentDetailOut,
    PaymentPage,
    RefundIn,
    RefundOut,
    RefundSentIn,
    RefundSettledIn,
)
from clausier.sellers.access import api_scope
from clausier.web.api import Paging, responses, today_in_paris, token_of

router = Router(tags=["payments"])
invoice_payments_router = Router(tags=["invoices"])
# A client's credit (``/clients/{id}/credit``) and the refunds (``/refunds``), payments' reads
# and writes under the nouns they concern.
client_credit_router = Router(tags=["payments"])
refunds_router = Router(tags=["payments"])


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


@router.post(
    "/{payment_id}/allocations",
    response=responses({201: PaymentDetailOut}, 400, 404, 409, 422),
    summary="Allocate what is left of a payment to invoices of its client",
    description="Each allocation pays one issued invoice of the payment's client: never more "
    "than its balance nor what is left of the payment (422 naming `allocations[i].amount`); "
    "another client's invoice or a failed payment is a 409. All or nothing.",
)
def allocate_payment(request, payment_id: int, payload: AllocationsIn):
    seller = token_of(request).seller
    payment = _payment(request, payment_id)
    services.allocate_many(
        payment=payment,
        allocations=[
            (invoice_selectors.invoice_for_seller(seller=seller, invoice_id=a.invoice_id), a.amount)
            for a in payload.allocations
        ],
        by=token_of(request),
    )
    return Status(201, _payment(request, payment_id))


@router.post(
    "/{payment_id}/cashed",
    response=responses({200: PaymentDetailOut}, 400, 404, 409, 422),
    summary="Mark a cheque cashed",
    description="`cashed_on` (today when left out) not in the future nor before the cheque "
    "was received (422 naming `cashed_on`); a payment that is not a pending cheque is a "
    "409. The invoices it pays are then paid (a deposit invoice paid lets the order's work start).",
)
def cash_cheque(request, payment_id: int, payload: CashedIn):
    payment = _payment(request, payment_id)
    services.mark_cheque_cashed(
        payment=payment, cashed_on=payload.cashed_on or today_in_paris(), by=token_of(request)
    )
    return _payment(request, payment_id)


@refunds_router.get(
    "/{refund_id}",
    response=responses({200: RefundOut}, 404),
    summary="A refund owed to a client, sent or settled",
)
def get_refund(request, refund_id: int):
    return selectors.refund_for_seller(seller=token_of(request).seller, refund_id=refund_id)


@refunds_router.post(
    "/{refund_id}/sent",
    response=responses({200: RefundOut}, 400, 404, 409, 422),
    summary="Mark a refund sent (the transfer ordered, the cheque posted)",
    description="`sent_on` not in the future (422 naming `sent_on`; today when left out). "
    "A refund goes owed -> sent -> settled, never back (409).",
)
def send_refund(request, refund_id: int, payload: RefundSentIn):
    refund = selectors.refund_for_seller(seller=token_of(request).seller, refund_id=refund_id)
    services.mark_refund_sent(
        refund=refund,
        sent_on=payload.sent_on or today_in_paris(),
        reference=payload.reference,
        by=token_of(request),
    )
    return selectors.refund_for_seller(seller=token_of(request).seller, refund_id=refund_id)


@refunds_router.post(
    "/{refund_id}/settled",
    response=responses({200: RefundOut}, 400, 404, 409, 422),
    summary="Mark a refund settled (the money left the seller's account)",
    description="`settled_on` not in the future (422 naming `settled_on`; today when left "
    "out). The refunded payment becomes `partially_refunded` or `refunded`. A settled refund "
    "is a 409.",
)
def settle_refund(request, refund_id: int, payload: RefundSettledIn):
    refund = selectors.refund_for_seller(seller=token_of(request).seller, refund_id=refund_id)
    services.mark_refund_settled(
        refund=refund,
        settled_on=payload.settled_on or today_in_paris(),
        reference=payload.reference,
        by=token_of(request),
    )
    return selectors.refund_for_seller(seller=token_of(request).seller, refund_id=refund_id)


@client_credit_router.get(
    "/{client_id}/credit",
    response=responses({200: ClientCreditOut}, 404),
    summary="A client's credit: what its payments left, and the refunds it is owed",
)
def client_credit(request, client_id: int):
    scope = api_scope(request)
    client = client_selectors.client_for_scope(scope=scope, client_id=client_id)
    return {
        "client_id": client.pk,
        "credit": selectors.client_credit(client=client),
        "payments": [
            {"payment_id": p.pk, "unallocated": p.unallocated}
            for p in selectors.credit_payments(client=client)
        ],
        "refunds_owed": list(selectors.refunds_owed(seller=scope.seller, client=client)),
    }
