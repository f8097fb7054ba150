"""Reads of payments, allocations and refunds, each scoped to a seller or a client.

An invoice's balance for allocations is what is due once credit notes and every allocation
(money received or a cheque awaiting cashing) are counted; its amount paid counts the money
received only. A payment's unallocated amount is the client's credit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, F, Max, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from clausier.payments import transitions as t
from clausier.payments.models import (
    Allocation,
    ChequeRemittance,
    Payment,
    ProviderEvent,
    Refund,
    TransferBatch,
)
from clausier.rules.money import ZERO

_MONEY = DecimalField(max_digits=14, decimal_places=2)
_ZERO = Value(ZERO, output_field=_MONEY)


def _total(queryset, field: str = "amount") -> Decimal:
    return queryset.aggregate(total=Coalesce(Sum(field), _ZERO))["total"]


# --- invoices ---------------------------------------------------------------------------------


def payable(*, invoice) -> Decimal:
    """What payments are to cover of ``invoice``: its amount due, and the payment received
    before it was issued (an online order, seed 000 art. 4), which its document deducts."""
    prepaid = (invoice.prepayment or {}).get("amount")
    return invoice.amount_due + (Decimal(prepaid) if prepaid else ZERO)


def allocated_to(*, invoice) -> Decimal:
    """Every allocation to ``invoice``, money received or not yet (a cheque to cash)."""
    return _total(Allocation.objects.filter(invoice=invoice))


def paid_on_invoice(*, invoice) -> tuple[Decimal, date | None]:
    """The allocations to ``invoice`` of money received, and the day the last was."""
    found = Allocation.objects.filter(invoice=invoice, payment__status__in=t.SETTLED).aggregate(
        total=Coalesce(Sum("amount"), _ZERO), last=Max("payment__settled_on")
    )
    return found["total"], found["last"]


def invoice_balance(*, invoice) -> Decimal:
    """What may still be allocated to ``invoice``: what is payable less credit notes and
    allocations (never below zero)."""
    left = payable(invoice=invoice) - invoice.credited_amount - allocated_to(invoice=invoice)
    return max(left, ZERO)


def refunded_for_invoice(*, invoice) -> Decimal:
    """Refunds created for what credit notes cancelled of ``invoice`` once paid."""
    return _total(Refund.objects.filter(invoice=invoice))


def allocations_of_invoice(*, invoice) -> QuerySet[Allocation]:
    return Allocation.objects.filter(invoice=invoice).select_related("payment")


def refunds_of_invoice(*, invoice) -> QuerySet[Refund]:
    return Refund.objects.filter(Q(invoice=invoice) | Q(credit_note=invoice)).select_related(
        "credit_note", "invoice"
    )


# --- payments ---------------------------------------------------------------------------------


def _allocated_sq():
    return Coalesce(
        Subquery(
            Allocation.objects.filter(payment=OuterRef("pk"))
            .values("payment")
            .annotate(s=Sum("amount"))
            .values("s"),
            output_field=_MONEY,
        ),
        _ZERO,
    )


def _credit_refunded_sq():
    return Coalesce(
        Subquery(
            Refund.objects.filter(payment=OuterRef("pk"), invoice__isnull=True)
            .values("payment")
            .annotate(s=Sum("amount"))
            .values("s"),
            output_field=_MONEY,
        ),
        _ZERO,
    )


def with_unallocated(queryset: QuerySet[Payment]) -> QuerySet[Payment]:
    """``allocated`` and ``unallocated`` on each payment: what its allocations took and what
    is left (less the refunds of that credit)."""
    return queryset.annotate(
        allocated=_allocated_sq(), credit_refunded=_credit_refunded_sq()
    ).annotate(unallocated=F("amount") - F("allocated") - F("credit_refunded"))


def unallocated(*, payment: Payment) -> Decimal:
    """What is left of ``payment`` after its allocations and the refunds of its credit."""
    allocated = _total(Allocation.objects.filter(payment=payment))
    refunded = _total(Refund.objects.filter(payment=payment, invoice__isnull=True))
    return payment.amount - allocated - refunded


def credit_payments(*, client) -> QuerySet[Payment]:
    """The client's payments received with something left: its credit, oldest first."""
    return (
        with_unallocated(Payment.objects.filter(client=client, status__in=t.SETTLED))
        .filter(unallocated__gt=0)
        .order_by("settled_on", "id")
    )


def client_credit(*, client) -> Decimal:
    """What the client paid and no invoice nor refund took: usable on a later invoice."""
    return sum((p.unallocated for p in credit_payments(client=client)), ZERO)


@dataclass(frozen=True)
class PaymentFilters:
    """The payments list's filters, shared by the back-office and the API."""

    status: str = ""
    method: str = ""
    client_id: int | None = None
    q: str = ""


def payment_list(*, seller, filters: PaymentFilters = PaymentFilters()) -> QuerySet[Payment]:
    payments = Payment.objects.filter(seller=seller).select_related("client", "order")
    if filters.status:
        payments = payments.filter(status=filters.status)
    if filters.method:
        payments = payments.filter(method=filters.method)
    if filters.client_id:
        payments = payments.filter(client_id=filters.client_id)
    if filters.q:
        q = filters.q
        payments = payments.filter(
            Q(client__name__icontains=q)
            | Q(provider_reference__icontains=q)
            | Q(transfer_reference__icontains=q)
            | Q(cheque_number__icontains=q)
        )
    return with_unallocated(payments).order_by("-created_at", "-id")


def payment_for_seller(*, seller, payment_id: int) -> Payment:
    return get_object_or_404(
        with_unallocated(Payment.objects.filter(seller=seller)).select_related("client", "order"),
        pk=payment_id,
    )


def payment_for_client(*, client, payment_id: int) -> Payment:
    return get_object_or_404(
        with_unallocated(Payment.objects.filter(client=client)).select_related("seller"),
        pk=payment_id,
    )


def payments_of_client(*, client) -> QuerySet[Payment]:
    return with_unallocated(Payment.objects.filter(client=client)).order_by("-created_at", "-id")


def allocations_of_payment(*, payment: Payment) -> QuerySet[Allocation]:
    return Allocation.objects.filter(payment=payment).select_related("invoice")


def payment_by_reference(*, seller, provider: str, reference: str) -> Payment | None:
    return Payment.objects.filter(
        seller=seller, provider=provider, provider_reference=reference
    ).first()


def payments_of_order(*, order) -> QuerySet[Payment]:
    return Payment.objects.filter(order=order).order_by("created_at", "id")


# --- refunds ----------------------------------------------------------------------------------


def refunds_owed(*, seller=None, client=None) -> QuerySet[Refund]:
    """Refunds not yet settled, of a seller or of a client, oldest first."""
    refunds = Refund.objects.exclude(status=t.REFUND_SETTLED)
    if seller is not None:
        refunds = refunds.filter(seller=seller)
    if client is not None:
        refunds = refunds.filter(client=client)
    return refunds.select_related("client", "invoice", "credit_note", "payment").order_by(
        "created_at", "id"
    )


def refund_list(*, seller, status: str = "") -> QuerySet[Refund]:
    refunds = Refund.objects.filter(seller=seller)
    if status:
        refunds = refunds.filter(status=status)
    return refunds.select_related("client", "invoice", "credit_note", "payment", "transfer_batch")


def refund_for_seller(*, seller, refund_id: int) -> Refund:
    return get_object_or_404(
        Refund.objects.filter(seller=seller).select_related("client", "invoice", "credit_note"),
        pk=refund_id,
    )


def refunds_of_client(*, client) -> QuerySet[Refund]:
    return Refund.objects.filter(client=client).select_related("invoice", "credit_note")


# --- the bank: transfer files, cheque remittances ---------------------------------------------


def transfer_batches(*, seller) -> QuerySet[TransferBatch]:
    return TransferBatch.objects.filter(seller=seller).order_by("-created_at", "-id")


def transfer_batch_for_seller(*, seller, batch_id: int) -> TransferBatch:
    return get_object_or_404(TransferBatch.objects.filter(seller=seller), pk=batch_id)


def cheques_to_remit(*, seller) -> QuerySet[Payment]:
    """Cheques received, not cashed and not yet in a remittance, oldest first."""
    return (
        Payment.objects.filter(seller=seller, method="cheque", status=t.PENDING)
        .filter(remitted__isnull=True)
        .select_related("client")
        .order_by("received_on", "id")
    )


def cheque_remittances(*, seller) -> QuerySet[ChequeRemittance]:
    return ChequeRemittance.objects.filter(seller=seller).order_by("-created_at", "-id")


def remittance_for_seller(*, seller, remittance_id: int) -> ChequeRemittance:
    return get_object_or_404(ChequeRemittance.objects.filter(seller=seller), pk=remittance_id)


def charge_reference(*, payment: Payment) -> str:
    """The provider's reference of the money a card or PayPal payment took, the one a refund
    names: the PaymentIntent (Stripe) or the capture (PayPal) its success event carried. A
    payment opened through a checkout keeps the session or PayPal order as its own reference
    (``provider_reference``), which is not refundable; one recorded without a checkout has the
    charge there already."""
    charge = (
        ProviderEvent.objects.filter(payment=payment, kind="succeeded")
        .exclude(payment_reference="")
        .order_by("-received_at", "-id")
        .values_list("payment_reference", flat=True)
        .first()
    )
    return charge or payment.provider_reference
