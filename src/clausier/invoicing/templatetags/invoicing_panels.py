"""What invoicing shows on the pages of earlier domains, found by name when a template loads
``invoicing_panels`` (so that those domains never import invoicing).

``{% order_invoices order online=online %}``: the invoices of an order on its back-office
page, and the button that prepares its final invoice; nothing for a role that may not see
invoices.
"""

from __future__ import annotations

from typing import Any

from django import template

from clausier.invoicing import selectors as invoice_selectors
from clausier.orders.models import Order

register = template.Library()


@register.inclusion_tag("invoicing/backoffice/_order_invoices.html", takes_context=True)
def order_invoices(context: template.Context, order: Order, *, online: bool) -> dict[str, Any]:
    can = context.get("can") or {}
    visible = bool(can.get("invoices_view"))
    return {
        "visible": visible,
        "can": can,
        "seller": context.get("seller"),
        "order": order,
        "online": online,
        "invoices": list(invoice_selectors.invoices_of_order(order=order)) if visible else [],
    }
