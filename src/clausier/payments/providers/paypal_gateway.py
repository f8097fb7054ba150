"""PayPal through its Orders v2 REST API: create an order (intent CAPTURE) for one exact amount
in EUR, send the client to PayPal's approval page, capture once approved, refund a capture.

The :class:`PaymentLink` travels in the purchase unit: ``custom_id`` carries
``seller|payment|invoice|order`` and comes back on the capture, the refund and every webhook;
``invoice_id`` is the payment's reference (PayPal refuses an invoice_id it has already seen,
which keeps one payment attempt from being charged twice).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from clausier.payments.providers.base import (
    CURRENCY,
    Checkout,
    PaymentLink,
    Provider,
    ProviderRefused,
    Refund,
    from_value,
    to_value,
)
from clausier.payments.providers.paypal_client import paypal_client

# Orders v2 limits (developer.paypal.com/docs/api/orders/v2/, purchase_unit_request):
# description 127 characters; amount value up to 10 digits before the point for EUR.
DESCRIPTION_MAX = 127
MAXIMUM_VALUE = Decimal("9999999999.99")


def create_order(
    *,
    amount: Decimal,
    link: PaymentLink,
    description: str,
    return_url: str,
    cancel_url: str,
    brand_name: str = "",
    locale: str = "fr-FR",
) -> Checkout:
    """An order to pay ``amount`` EUR; ``redirect_url`` is the page where the client approves
    it. PayPal then sends the client to ``return_url`` with ``?token=<order id>``: capture it
    there (and on ``CHECKOUT.ORDER.APPROVED``, for a client who closes the tab)."""
    value = to_value(amount)
    if Decimal(value) <= 0 or Decimal(value) > MAXIMUM_VALUE:
        raise ValueError(f"amount={amount}: expected more than 0 and at most {MAXIMUM_VALUE}.")
    if not description.strip():
        raise ValueError("description: the line the client sees on PayPal's page is required.")
    experience: dict[str, Any] = {
        "return_url": return_url,
        "cancel_url": cancel_url,
        "user_action": "PAY_NOW",
        "shipping_preference": "NO_SHIPPING",
        "locale": locale,
    }
    if brand_name:
        experience["brand_name"] = brand_name[:127]
    body = {
        "intent": "CAPTURE",
        "purchase_units": [
            {
                "reference_id": link.payment,
                "description": description[:DESCRIPTION_MAX],
                "custom_id": link.custom_id(),
                "invoice_id": link.payment,
                "amount": {"currency_code": CURRENCY, "value": value},
            }
        ],
        "payment_source": {"paypal": {"experience_context": experience}},
    }
    order = paypal_client().request(
        "POST", "/v2/checkout/orders", json=body, request_id=f"order-{link.payment}"
    )
    return checkout_of(order)


def get_order(reference: str) -> Checkout:
    return checkout_of(paypal_client().request("GET", f"/v2/checkout/orders/{reference}"))


def capture_order(reference: str) -> Checkout:
    """Capture an approved order. Capturing twice charges once: PayPal-Request-Id repeats the
    first answer, and an order captured already is read back as it stands. An order not
    approved yet is refused (``ProviderRefused``, code ``ORDER_NOT_APPROVED``)."""
    try:
        order = paypal_client().request(
            "POST",
            f"/v2/checkout/orders/{reference}/capture",
            json={},
            request_id=f"capture-{reference}",
        )
    except ProviderRefused as exc:
        if exc.code != "ORDER_ALREADY_CAPTURED":
            raise
        return get_order(reference)
    return checkout_of(order)


def refund_capture(
    *,
    payment_reference: str,
    amount: Decimal | None = None,
    link: PaymentLink | None = None,
    idempotency_key: str = "",
    note: str = "",
) -> Refund:
    """Refund a capture, in full (``amount`` None) or in part. PayPal refuses more than what
    is left (``ProviderRefused``, code ``REFUND_AMOUNT_EXCEEDED`` or
    ``CAPTURE_FULLY_REFUNDED``). ``idempotency_key``: the domain's refund reference."""
    body: dict[str, Any] = {}
    if amount is not None:
        if to_value(amount) == "0.00" or amount < 0:
            raise ValueError(f"amount={amount}: a refund is positive.")
        body["amount"] = {"currency_code": CURRENCY, "value": to_value(amount)}
    if link is not None:
        body["custom_id"] = link.custom_id()
    if note:
        body["note_to_payer"] = note[:255]
    refund = paypal_client().request(
        "POST",
        f"/v2/payments/captures/{payment_reference}/refund",
        json=body,
        request_id=idempotency_key,
    )
    amount_data = refund.get("amount") or {}
    return Refund(
        provider=Provider.PAYPAL,
        reference=refund["id"],
        payment_reference=payment_reference,
        amount=from_value(amount_data["value"]) if amount_data else (amount or Decimal(0)),
        currency=amount_data.get("currency_code", CURRENCY),
        status=refund.get("status") or "",
        succeeded=refund.get("status") == "COMPLETED",
    )


def approve_link(order: dict[str, Any]) -> str:
    """Where the client approves: ``payer-action`` (orders made with a payment_source, as
    here) or ``approve`` (older integrations)."""
    links = {item.get("rel"): item.get("href", "") for item in order.get("links") or []}
    return links.get("payer-action") or links.get("approve") or ""


def capture_of(unit: dict[str, Any]) -> dict[str, Any]:
    captures = (unit.get("payments") or {}).get("captures") or []
    return captures[-1] if captures else {}


def checkout_of(order: dict[str, Any]) -> Checkout:
    units = order.get("purchase_units") or [{}]
    unit = units[0]
    capture = capture_of(unit)
    amount = unit.get("amount") or capture.get("amount") or {}
    link = PaymentLink.from_custom_id(unit.get("custom_id") or capture.get("custom_id"))
    return Checkout(
        provider=Provider.PAYPAL,
        reference=order["id"],
        status=order.get("status") or "",
        paid=order.get("status") == "COMPLETED" and capture.get("status") == "COMPLETED",
        amount=from_value(amount["value"]) if amount.get("value") else Decimal("0.00"),
        currency=amount.get("currency_code", ""),
        redirect_url=approve_link(order),
        payment_reference=capture.get("id", ""),
        metadata=link.metadata() if link else {},
    )
