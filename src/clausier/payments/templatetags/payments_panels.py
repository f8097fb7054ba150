"""What payments shows on the pages of earlier domains, found by name when a template loads
``payments_panels`` (so that invoicing never imports payments).

``{% invoice_payments invoice %}``: on an invoice's page (back-office and portal), the
payments that paid it and the refunds owed to the client (a credit note on a paid invoice)
until they are settled; for staff, the client's credit usable on what is left to pay.
Nothing for a draft.
"""

from __future__ import annotations

from typing import Any

from django import template

from clausier.payments import selectors
from clausier.rules.money import ZERO

register = template.Library()


@register.inclusion_tag("payments/_invoice_payments.html", takes_context=True)
def invoice_payments(context: template.Context, invoice, *, portal: bool = False) -> dict[str, Any]:
    if not invoice.is_issued:
        return {"visible": False}
    refunds = list(selectors.refunds_of_invoice(invoice=invoice))
    credit = ZERO
    if not portal and not invoice.is_credit_note and invoice.unpaid > 0:
        # Staff may pay what is left from the client's credit.
        credit = min(selectors.client_credit(client=invoice.client), invoice.unpaid)
    return {
        "credit": credit,
        "can": context.get("can"),
        "visible": True,
        "portal": portal,
        "seller": context.get("seller"),
        "invoice": invoice,
        "allocations": []
        if invoice.is_credit_note
        else list(selectors.allocations_of_invoice(invoice=invoice)),
        "refunds": refunds,
        "owed": sum((r.amount for r in refunds if r.status != "settled"), 0),
    }
