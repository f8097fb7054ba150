"""A card or PayPal payment known to the stub, paying an invoice of the shop."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from django.utils import timezone

from clausier.payments import services
from clausier.payments.models import Payment


def online_payment(stub, seller, client, *, method="card", amount="150.00", invoice=None, share=""):
    """A succeeded ``method`` payment of ``amount`` whose PaymentIntent (card) or capture
    (PayPal) the stub holds; allocated ``share`` of it to ``invoice``."""
    cents = int(Decimal(amount) * 100)
    if method == "card":
        reference = f"pi_{secrets.token_hex(12)}"
        stub.payment_intents[reference] = {
            "id": reference,
            "amount": cents,
            "amount_refunded": 0,
            "currency": "eur",
            "metadata": {},
        }
    else:
        reference = secrets.token_hex(9).upper()
        stub.captures[reference] = {
            "id": reference,
            "status": "COMPLETED",
            "amount": {"currency_code": "EUR", "value": amount},
            "_refunded": 0,
        }
    payment = Payment.objects.create(
        seller=seller,
        client=client,
        method=method,
        status="succeeded",
        amount=Decimal(amount),
        received_on=date(2026, 5, 21),
        received_at=timezone.now(),
        settled_on=date(2026, 5, 21),
        provider="stripe" if method == "card" else "paypal",
        provider_reference=reference,
    )
    if invoice is not None:
        services.allocate(payment=payment, invoice=invoice, amount=Decimal(share), by=None)
    return payment
