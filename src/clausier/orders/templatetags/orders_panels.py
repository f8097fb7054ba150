"""What orders shows on the pages of earlier domains, found by name when a template loads
``orders_panels`` (so that those domains never import orders).

``{% quote_order_link quote %}``: on the back-office quote page, the order an accepted quote
became, linked, with its state.
``{% quote_order_status quote %}``: on the portal's quote page, that order's state and what
it waits for, in the rules' own sentence.
``{% order_waiting_why order as why %}``: that sentence alone (for a message).
"""

from __future__ import annotations

from typing import Any

from django import template

from clausier.orders import selectors as order_selectors
from clausier.orders.models import Order
from clausier.quotes.models import Quote

register = template.Library()


@register.inclusion_tag("orders/backoffice/_quote_order.html", takes_context=True)
def quote_order_link(context: template.Context, quote: Quote) -> dict[str, Any]:
    return {"seller": context.get("seller"), "order": order_selectors.order_of_quote(quote=quote)}


@register.inclusion_tag("orders/portal/_quote_order.html")
def quote_order_status(quote: Quote) -> dict[str, Any]:
    order = order_selectors.order_of_quote(quote=quote)
    return {
        "order": order,
        "order_reason": order_selectors.waiting_reason(order=order) if order else None,
    }


@register.simple_tag
def order_waiting_why(order: Order) -> str:
    return order_selectors.waiting_reason(order=order).why
