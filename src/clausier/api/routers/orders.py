"""The token's seller's orders, read-only: an accepted quote becomes one (``quote_id``).

Lines, totals and terms are the ones the client accepted, never changed. ``waiting_reason``
says where the order stands and why, citing the clause (the deposit of art. 5 before work
starts...).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import P, Query, Router, Schema

from clausier.api.auth import token_of
from clausier.api.schemas import responses
from clausier.orders import selectors
from clausier.orders.models import OrderStatus

router = Router(tags=["orders"])

MAX_LIMIT = 100

OrderStatusName = Literal[tuple(OrderStatus.values)]  # type: ignore[valid-type]


class OrderLineOut(Schema):
    id: int
    position: int
    product_code: str
    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    vat_rate: Decimal
    discount: Decimal
    amount_ht: Decimal


class OrderOut(Schema):
    id: int
    reference: str
    status: str
    client_id: int
    client_name: str
    quote_id: int | None
    nature: str
    total_ht: Decimal
    total_vat: Decimal
    total_ttc: Decimal
    ordered_at: datetime
    created_at: datetime

    @staticmethod
    def resolve_client_name(obj) -> str:
        return obj.client.name


class OrderPage(Schema):
    count: int
    items: list[OrderOut]


class OrderDepositOut(Schema):
    """The deposit the order waits for (frozen at acceptance from the terms' clause)."""

    status: str
    rate: Decimal
    base_ht: Decimal
    amount: Decimal
    clause_id: str
    article: str
    terms_label: str
    work_starts_after: str
    cashed_on: date | None


class WaitingReasonOut(Schema):
    """``waiting``: the order waits for something from the client; ``why`` says what, citing
    ``clause`` and ``article`` of the ``terms`` version; ``inputs``: the figures used."""

    status: str
    waiting: bool
    why: str
    clause: str
    article: str
    terms: str
    inputs: dict[str, Any]


class OrderDetailOut(OrderOut):
    lines: list[OrderLineOut]
    terms_version_id: int
    terms_label: str
    payment_terms: dict[str, Any]
    vat_regime: str
    vat_mention: str
    totals_explanation: dict[str, Any]
    started_at: datetime | None
    closed_at: datetime | None
    cancellation_reason: str
    deposit: OrderDepositOut | None
    waiting_reason: WaitingReasonOut

    @staticmethod
    def resolve_lines(obj) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_deposit(obj) -> Any:
        return getattr(obj, "deposit", None)

    @staticmethod
    def resolve_waiting_reason(obj) -> dict[str, Any]:
        return selectors.waiting_reason(order=obj).as_dict()


@router.get(
    "",
    response=responses({200: OrderPage}, 422),
    summary="List orders (paginated), latest first",
)
def list_orders(
    request,
    limit: Query[int, P(ge=1, le=MAX_LIMIT)] = 50,
    offset: Query[int, P(ge=0)] = 0,
    status: OrderStatusName | None = None,
    client_id: int | None = None,
):
    orders = selectors.orders_for_seller(seller=token_of(request).seller, status=status)
    if client_id is not None:
        orders = orders.filter(client_id=client_id)
    return {"count": orders.count(), "items": list(orders[offset : offset + limit])}


@router.get(
    "/{order_id}",
    response=responses({200: OrderDetailOut}, 404),
    summary="An order: lines, totals, status and what it waits for",
)
def get_order(request, order_id: int):
    return selectors.order_for_seller(seller=token_of(request).seller, order_id=order_id)
