"""Reads of orders, scoped to a seller (staff) or a client (portal)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from clausier.customers.models import Client
from clausier.orders.domain import WaitingReason
from clausier.orders.models import Order
from clausier.sellers.models import Seller


def _with_related(qs: QuerySet[Order]) -> QuerySet[Order]:
    return qs.select_related("client", "quote", "deposit", "terms_version")


def orders_for_seller(*, seller: Seller, status: str | None = None) -> QuerySet[Order]:
    qs = _with_related(Order.objects.filter(seller=seller))
    return qs.filter(status=status) if status else qs


def order_for_seller(*, seller: Seller, order_id: int) -> Order:
    order = _with_related(Order.objects.filter(seller=seller, pk=order_id)).first()
    if order is None:
        raise Http404
    return order


def orders_for_client(*, client: Client) -> QuerySet[Order]:
    return _with_related(Order.objects.filter(client=client))


def order_for_client(*, client: Client, order_id: int) -> Order:
    order = _with_related(Order.objects.filter(client=client, pk=order_id)).first()
    if order is None:
        raise Http404
    return order


def waiting_reason(*, order: Order) -> WaitingReason:
    """What the order waits for and why, citing the clause (see ``Order.waiting_reason``)."""
    return order.waiting_reason
