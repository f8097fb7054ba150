"""Reads of orders, scoped to a seller (staff) or a client (portal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from clausier.customers.models import Client
from clausier.orders.domain import WaitingReason
from clausier.orders.models import Order, OrderStatus
from clausier.quotes.models import Quote
from clausier.sellers.models import Seller
from clausier.sellers.selectors import DocumentFilters, StaffScope


def _with_related(qs: QuerySet[Order]) -> QuerySet[Order]:
    return qs.select_related("client", "quote", "deposit", "terms_version")


def orders_for_seller(*, seller: Seller, status: str | None = None) -> QuerySet[Order]:
    qs = _with_related(Order.objects.filter(seller=seller))
    return qs.filter(status=status) if status else qs


@dataclass(frozen=True, slots=True)
class OrderFilters(DocumentFilters):
    """What a list of a seller's orders is narrowed to: ``search`` (part of its reference or
    of its client's name), ``status`` (an :class:`OrderStatus` value, "" for all) and
    ``client_id``."""


def order_list(*, scope: StaffScope, filters: OrderFilters) -> QuerySet[Order]:
    """The scope's seller's orders narrowed by ``filters``, latest first."""
    orders = orders_for_seller(seller=scope.seller, status=filters.status or None)
    return filters.narrow(orders, number="reference")


def order_for_seller(*, seller: Seller, order_id: int) -> Order:
    return get_object_or_404(_with_related(Order.objects.filter(seller=seller, pk=order_id)))


def orders_for_client(*, client: Client) -> QuerySet[Order]:
    return _with_related(Order.objects.filter(client=client))


def order_for_client(*, client: Client, order_id: int) -> Order:
    return get_object_or_404(_with_related(Order.objects.filter(client=client, pk=order_id)))


def order_of_quote(*, quote: Quote) -> Order | None:
    """The order an accepted quote became (None before acceptance), in the quote's scope."""
    return _with_related(Order.objects.filter(seller_id=quote.seller_id, quote=quote)).first()


def waiting_reason(*, order: Order) -> WaitingReason:
    """What the order waits for and why, citing the clause (see ``Order.waiting_reason``)."""
    return order.waiting_reason


@dataclass(frozen=True, slots=True)
class LateExecution:
    """A paid online order whose service has not started by its execution deadline
    (seed 000, art. 8), with the deadline's explanation (``Explained.as_dict()`` plus
    ``article`` and ``why``, the sentence citing the clause)."""

    order: Order
    deadline: date
    explanation: dict[str, Any]

    @property
    def why(self) -> str:
        return f"exécution en retard : {self.explanation.get('why', '')}"


def _late(*, seller: Seller, today: date) -> QuerySet[Order]:
    return Order.objects.filter(
        seller=seller, status=OrderStatus.PAID, execution_deadline__lt=today
    )


def count_late_executions(*, seller: Seller, today: date) -> int:
    """How many orders :func:`late_executions` lists (one COUNT query)."""
    return _late(seller=seller, today=today).count()


def late_executions(*, seller: Seller, today: date) -> list[LateExecution]:
    """The seller's paid orders whose service should have started before ``today`` and has
    not (still ``paid``, not ``active``), oldest deadline first. One query."""
    orders = (
        _late(seller=seller, today=today)
        .select_related("client", "terms_version")
        .order_by("execution_deadline", "id")
    )
    return [
        LateExecution(
            order=order,
            deadline=order.execution_deadline,
            explanation=order.execution_deadline_explanation,
        )
        for order in orders
    ]
