"""Reads of withdrawals, scoped to a seller (staff, API) or a client (portal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from clausier.customers.models import Client
from clausier.orders import transitions as order_states
from clausier.orders.models import Order
from clausier.payments import selectors as payment_selectors
from clausier.payments import transitions as payment_states
from clausier.payments.models import Refund
from clausier.rules.money import ZERO
from clausier.sellers.models import Seller
from clausier.withdrawal import transitions as t
from clausier.withdrawal.models import WithdrawalRequest

# Orders a consumer may withdraw from: concluded, not cancelled (a draft or a confirmed
# order not yet validated is simply cancelled).
WITHDRAWABLE: frozenset[str] = frozenset(
    {
        order_states.AWAITING_PAYMENT,
        order_states.PAID,
        order_states.ACTIVE,
        order_states.COMPLETED,
        order_states.AWAITING_DEPOSIT,
        order_states.READY,
        order_states.IN_PROGRESS,
    }
)


def _related(qs: QuerySet[WithdrawalRequest]) -> QuerySet[WithdrawalRequest]:
    return qs.select_related("client", "order")


@dataclass(frozen=True, slots=True)
class WithdrawalFilters:
    """What a list of a seller's withdrawals is narrowed to: ``status`` (a decision, "" for
    all), ``refund_status``, ``overdue_on`` (refunds still owed after their deadline, as of
    that day) and ``client_id``."""

    status: str = ""
    refund_status: str = ""
    overdue_on: date | None = None
    client_id: int | None = None


def withdrawal_list(
    *, seller: Seller, filters: WithdrawalFilters = WithdrawalFilters()
) -> QuerySet[WithdrawalRequest]:
    """The seller's withdrawals narrowed by ``filters``, latest received first."""
    qs = _related(WithdrawalRequest.objects.filter(seller=seller))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.refund_status:
        qs = qs.filter(refund_status=filters.refund_status)
    if filters.overdue_on is not None:
        qs = qs.filter(refund_status=t.OWED, refund_due_on__lt=filters.overdue_on)
    if filters.client_id is not None:
        qs = qs.filter(client_id=filters.client_id)
    return qs.order_by("-received_on", "-id")


def overdue_refunds(*, seller: Seller, today: date) -> QuerySet[WithdrawalRequest]:
    """Refunds owed after a withdrawal and not sent by their deadline (L221-24), the most
    overdue first."""
    return _related(
        WithdrawalRequest.objects.filter(
            seller=seller, refund_status=t.OWED, refund_due_on__lt=today
        )
    ).order_by("refund_due_on", "id")


def withdrawal_for_seller(*, seller: Seller, withdrawal_id: int) -> WithdrawalRequest:
    return get_object_or_404(
        _related(WithdrawalRequest.objects.filter(seller=seller)), pk=withdrawal_id
    )


def withdrawals_of_client(*, client: Client) -> QuerySet[WithdrawalRequest]:
    return _related(WithdrawalRequest.objects.filter(client=client)).order_by("-received_on", "-id")


def withdrawal_for_client(*, client: Client, withdrawal_id: int) -> WithdrawalRequest:
    return get_object_or_404(
        _related(WithdrawalRequest.objects.filter(client=client)), pk=withdrawal_id
    )


def withdrawable_orders(*, client: Client) -> QuerySet[Order]:
    """The client's orders it may still withdraw from (none accepted yet), latest first."""
    return (
        Order.objects.filter(client=client, status__in=WITHDRAWABLE)
        .exclude(withdrawals__status=t.ACCEPTED)
        .order_by("-ordered_at", "-id")
    )


def order_for_seller(*, seller: Seller, order_id: int) -> Order:
    return get_object_or_404(Order.objects.select_related("client"), seller=seller, pk=order_id)


def order_named(*, seller: Seller, order_id: int) -> Order:
    """The order an input names by its id: an unknown one is an invalid ``order_id`` (a
    ``ValidationError``), not a missing page (404)."""
    try:
        return order_for_seller(seller=seller, order_id=order_id)
    except Http404:
        raise ValidationError({"order_id": "unknown order"}) from None


def received_total(*, order: Order) -> Decimal:
    """What the order's payments brought in and still hold (refunds settled deducted)."""
    payments = payment_selectors.payments_of_order(order=order).filter(
        status__in=payment_states.SETTLED
    )
    return sum((p.amount - p.refunded_amount for p in payments), ZERO)


def refunds_of_withdrawal(*, withdrawal: WithdrawalRequest) -> QuerySet[Refund]:
    """The refunds payments owes for the withdrawal's order (by the order's payments)."""
    return Refund.objects.filter(
        seller_id=withdrawal.seller_id, payment__order_id=withdrawal.order_id
    ).order_by("created_at", "id")


def withdrawable_orders_of_seller(*, seller: Seller) -> QuerySet[Order]:
    """The seller's consumers' orders that may still be withdrawn from, latest first."""
    return (
        Order.objects.filter(seller=seller, status__in=WITHDRAWABLE, client__kind="consumer")
        .exclude(withdrawals__status=t.ACCEPTED)
        .select_related("client")
        .order_by("-ordered_at", "-id")[:500]
    )
