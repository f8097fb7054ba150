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

from typing import Any

from ninja import Query, Router, Status

from clausier.customers.selectors import client_named
from clausier.orders import selectors, services
from clausier.orders.models import Order
from clausier.orders.schemas import (
    ConfirmIn,
    OnlineLineIn,
    OnlineOrderIn,
    OrderDetailOut,
    OrderPage,
    OrderStatusName,
    RecapPatch,
)
from clausier.sellers.access import api_scope
from clausier.web.api import Paging, responses, token_of

router = Router(tags=["orders"])


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
    paging: Query[Paging],
    status: OrderStatusName | None = None,
    client_id: int | None = None,
):
    filters = selectors.OrderFilters(status=status or "", client_id=client_id)
    orders = selectors.order_list(scope=api_scope(request), filters=filters)
    return paging.page(orders)


@router.get(
    "/{order_id}",
    response=responses({200: OrderDetailOut}, 404),
    summary="An order: lines, totals, status and what it waits for",
)
def get_order(request, order_id: int):
    return _order(request, order_id)


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
    client = client_named(scope=api_scope(request), client_id=payload.client_id)
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
