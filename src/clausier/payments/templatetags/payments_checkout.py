"""The "Payer" buttons of the portal, found by name when a template loads
``payments_checkout`` (so that invoicing and orders never import payments).

``{% pay_invoice invoice %}``: on an issued invoice with a balance. ``{% pay_order order %}``:
on an online order awaiting its payment. An invoice paid by card offers the box (unticked)
that keeps the card for the next invoices, with the consent's text. One button per online
method configured (card through Stripe, PayPal); none configured: the note saying how to set
test keys (:data:`TEST_KEYS_HELP`), the transfer and cheque details staying as they are.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from clausier.payments import selectors
from clausier.payments.providers.base import Provider
from clausier.payments.providers.config import TEST_KEYS_HELP, available_methods
from clausier.payments.services.saved_cards import CONSENT_LABEL, CONSENT_TEXT

register = template.Library()


def _panel(context: template.Context, *, amount, action: str) -> dict[str, Any]:
    return {
        "visible": amount > 0,
        "amount": amount,
        "action": action,
        "methods": [str(method) for method in available_methods()],
        "help": TEST_KEYS_HELP,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("payments/portal/_pay.html", takes_context=True)
def pay_invoice(context: template.Context, invoice) -> dict[str, Any]:
    if not invoice.is_issued or invoice.is_credit_note:
        return {"visible": False}
    panel = _panel(
        context,
        amount=selectors.invoice_balance(invoice=invoice),
        action=reverse("portal:invoice_pay", args=[invoice.pk]),
    )
    if Provider.STRIPE.value in panel["methods"]:
        # The opt-in (unticked) to keep the card for the next invoices: PSD2's
        # merchant-initiated transactions need the client's prior consent to this text.
        panel["consent_label"] = CONSENT_LABEL
        panel["consent_text"] = CONSENT_TEXT % {"seller": invoice.seller}
    return panel


@register.inclusion_tag("payments/portal/_pay.html", takes_context=True)
def pay_order(context: template.Context, order) -> dict[str, Any]:
    if order.quote_id is not None or order.status != "awaiting_payment":
        return {"visible": False}
    return _panel(
        context, amount=order.total_ttc, action=reverse("portal:order_pay", args=[order.pk])
    )
