"""The token's seller's orders: an accepted quote becomes one (``quote_id``), and a client
of the seller orders online under terms that provide for it (the PaaS host, seed 000).

Lines, totals and terms are the ones the client accepted, never changed. ``waiting_reason``
says where the order stands and why, citing the clause (the deposit of art. 5 before work
starts, the payment an online order awaits...).

Online orders (art. 4 of the PaaS host's terms): the seller's token acts for one of its
clients, named by ``client_id``: its own shop relays what the client does. ``POST /orders``
makes the recap (a ``draft``) from catalog offers priced on the day, HT and TTC, with the
client's billing data copied from its record; ``PATCH /orders/{id}`` corrects the lines or the
declared data while it is a draft; ``POST /orders/{id}/confirm`` confirms it for the client
(``terms_accepted: true``), which freezes it and, when the terms say so, validates it at once:
it then awaits payment. The terms acceptance the portal records as the client's own evidence
(art. 11) is not recorded here: the client's acceptance is the shop's to keep. A confirmed
order never changes (409); invalid input is a 422 naming each field (``lines[1].quantity``,
``declared.vat_number``) and nothing is written.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import P, Query, Router, Schema, Status

from clausier.api.schemas import ConfirmIn, OnlineLineIn, OnlineOrderIn, OnlineOrderOut, RecapPatch
from clausier.customers.selectors import client_for_scope
from clausier.orders import selectors, services
from clausier.orders.models import Order, OrderStatus
from clausier.sellers.access import api_scope
from clausier.web.api import responses, token_of

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
    unit_label: str
    unit_price_ttc: Decimal | None  # online orders: the catalog's TTC price of the day
    price_version_id: int | None


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
    online: OnlineOrderOut | None

    @staticmethod
    def resolve_lines(obj) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_deposit(obj) -> Any:
        return getattr(obj, "deposit", None)

    @staticmethod
    def resolve_waiting_reason(obj) -> dict[str, Any]:
        return selectors.waiting_reason(order=obj).as_dict()

    @staticmethod
    def resolve_online(obj) -> Any:
        return obj if obj.quote_id is None else None


def _order(request, order_id: int) -> Order:
    return selectors.order_for_seller(seller=token_of(request).seller, order_id=order_id)


def _lines(lines: list[OnlineLineIn]) -> list[dict[str, Any]]:
    return [line.model_dump() for line in lines]


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


@router.post(
    "",
    response=responses({201: OrderDetailOut}, 400, 409, 422),
    summary="Order online for a client: the recap of its order (a draft)",
    description="Each line names an offer of the catalog (`product_code`) and a `quantity`; "
    "the recap prices it on the day (HT and TTC) and copies the client's billing data as "
    "`online.declared`. A `client_id` that is not one of the seller's clients is a 422 on "
    "`client_id`; an unknown offer or a quantity that is not strictly positive is a 422 on "
    "`lines[i].product_code` / `lines[i].quantity`. Terms that do not provide for online "
    "orders (no `order.flow` clause) are a 409.",
)
def create_online_order(request, payload: OnlineOrderIn):
    token = token_of(request)
    try:
        client = client_for_scope(scope=api_scope(request), client_id=payload.client_id)
    except Http404:
        raise ValidationError({"client_id": "unknown client"}) from None
    order = services.create_online_order(
        seller=token.seller, client=client, lines=_lines(payload.lines), by=token
    )
    return Status(201, _order(request, order.pk))


@router.patch(
    "/{order_id}",
    response=responses({200: OrderDetailOut}, 400, 404, 409, 422),
    summary="Correct the recap of an online order: its lines, the client's declared data",
    description="Only a draft online order changes: a confirmed one, or an order born from a "
    "quote, is a 409. `lines` replaces every line; `declared` changes the fields it names "
    "(on the order only, not on the client record).",
)
def update_recap(request, order_id: int, payload: RecapPatch):
    order = _order(request, order_id)
    services.update_recap(
        order=order,
        lines=_lines(payload.lines) if payload.lines is not None else None,
        declared=payload.declared.model_dump(exclude_unset=True)
        if payload.declared is not None
        else None,
        by=token_of(request),
    )
    return _order(request, order_id)


@router.post(
    "/{order_id}/confirm",
    response=responses({200: OrderDetailOut}, 400, 404, 409, 422),
    summary="Confirm the recap for the client: validated automatically, it awaits payment",
    description="`terms_accepted` must be `true`. `express_start` (a consumer only, else a "
    "422) needs `express_start_text`, the text the consumer accepted, e.g. « Je demande "
    "expressément que l'exécution du service commence avant la fin du délai de "
    "rétractation… » (C. conso. L221-25). A recap naming terms the seller has replaced since "
    "is a 409: `PATCH` it first to move it to the terms in force. The answer's "
    "`waiting_reason` says what the order waits for.",
)
def confirm_order(request, order_id: int, payload: ConfirmIn):
    services.confirm_order(
        order=_order(request, order_id),
        by=token_of(request),
        express_start=payload.express_start,
        express_start_text=payload.express_start_text,
    )
    return _order(request, order_id)
