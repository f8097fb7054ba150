"""What invoicing shows on the pages of earlier domains, found by name when a template loads
``invoicing_panels`` (so that those domains never import invoicing).

``{% order_invoices order online=online %}``: the invoices of an order on its back-office
page, and the button that prepares its final invoice; nothing for a role that may not see
invoices.

``{% transfer_of invoice as transfer %}``: how to pay an issued invoice by transfer today
(:func:`~clausier.invoicing.presenters.transfer_box`), for ``invoicing/includes/transfer_box.html``
on the invoice's portal and back-office pages (and any later page showing an invoice); None
when nothing is to pay by transfer.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from clausier.invoicing import presenters
from clausier.invoicing import selectors as invoice_selectors
from clausier.invoicing.models import Invoice
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


@register.simple_tag
def transfer_of(invoice: Invoice) -> presenters.TransferBox | None:
    if not invoice.is_issued or invoice.is_credit_note:
        return None
    row = invoice_selectors.client_document(invoice, today=timezone.localdate())
    return presenters.transfer_box(invoice.document, outstanding=row.outstanding)
