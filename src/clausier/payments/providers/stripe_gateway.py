"""Card payments through Stripe, with Stripe's official library (``stripe``).

Checkout Sessions, not bare PaymentIntents: Stripe's hosted page collects the card, runs the
3-D Secure authentication the PSD2 requires (SCA) and handles retries, so no card number ever
reaches clausier. A session is made for one exact amount in EUR, with the
:class:`PaymentLink` as metadata on the session and on its PaymentIntent, so that every event
and every refund leads back to the seller, the invoice or order, and the payment.

A card refused on Stripe's page is not final: the client may try another card on the same
session until it expires (24 hours by default, or when :func:`expire_checkout_session` is
called, for instance when the client comes back through the cancel URL). So the final events
are ``checkout.session.completed`` (paid), ``checkout.session.async_payment_succeeded`` /
``_failed`` (delayed methods) and ``checkout.session.expired`` (cancelled);
``payment_intent.payment_failed`` is reported as ignored, with Stripe's reason.

The API's address is the ``STRIPE_API_BASE`` setting (tests point it at a local stub); webhook
signatures are checked by the library's own ``Webhook.construct_event`` (HMAC-SHA256 of
``timestamp.payload`` with the endpoint's secret, and the timestamp within
:data:`WEBHOOK_TOLERANCE_SECONDS`).
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from typing import Any

import stripe

from clausier.payments.providers.base import (
    CURRENCY,
    Checkout,
    EventKind,
    PaymentLink,
    Provider,
    ProviderEvent,
    ProviderRefused,
    ProviderUnavailable,
    Refund,
    WebhookRejected,
    from_cents,
    from_timestamp,
    to_cents,
)
from clausier.payments.providers.config import StripeConfig, stripe_config

# Stripe's own default, kept explicit: an event signed more than 5 minutes ago is refused
# (a replayed delivery). docs.stripe.com/webhooks#replay-attacks
WEBHOOK_TOLERANCE_SECONDS = 300
# The smallest and largest charge in EUR Stripe accepts (docs.stripe.com/currencies,
# "Minimum and maximum charge amounts": 0.50 EUR; amounts up to eight digits in cents).
MINIMUM_CHARGE = Decimal("0.50")
MAXIMUM_CHARGE_CENTS = 99_999_999
NETWORK_RETRIES = 2


@lru_cache(maxsize=8)
def client_for(config: StripeConfig) -> stripe.StripeClient:
    """One ``StripeClient`` per configuration (its HTTP session is reused)."""
    return stripe.StripeClient(
        config.secret_key,
        base_addresses={"api": config.api_base},
        max_network_retries=NETWORK_RETRIES,
    )


def stripe_client() -> stripe.StripeClient:
    return client_for(stripe_config())


def call(operation, *args, **kwargs) -> Any:
    """Run one API call, turning the library's errors into the gateway's."""
    try:
        return operation(*args, **kwargs)
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as exc:
        raise ProviderUnavailable(
            Provider.STRIPE, f"Stripe unavailable: {message_of(exc)}"
        ) from exc
    except stripe.StripeError as exc:
        raise ProviderRefused(
            Provider.STRIPE,
            message_of(exc),
            status=exc.http_status or 400,
            code=exc.code or "",
        ) from exc


def message_of(exc: stripe.StripeError) -> str:
    return exc.user_message or str(exc) or type(exc).__name__


def checkout_of(session: dict[str, Any]) -> Checkout:
    payment_intent = session.get("payment_intent") or ""
    if isinstance(payment_intent, dict):  # expanded
        payment_intent = payment_intent.get("id", "")
    return Checkout(
        provider=Provider.STRIPE,
        reference=session["id"],
        status=session.get("status") or "",
        paid=session.get("payment_status") in ("paid", "no_payment_required"),
        amount=from_cents(session.get("amount_total") or 0),
        currency=(session.get("currency") or "").upper(),
        redirect_url=session.get("url") or "",
        payment_reference=payment_intent,
        metadata=dict(session.get("metadata") or {}),
    )


def checked_amount(amount: Decimal) -> int:
    cents = to_cents(amount)
    if cents < to_cents(MINIMUM_CHARGE):
        raise ValueError(f"amount={amount}: Stripe charges {MINIMUM_CHARGE} EUR at least.")
    if cents > MAXIMUM_CHARGE_CENTS:
        raise ValueError(f"amount={amount}: above the largest charge Stripe accepts.")
    return cents


def create_checkout_session(
    *,
    amount: Decimal,
    link: PaymentLink,
    description: str,
    success_url: str,
    cancel_url: str,
    customer_email: str = "",
    locale: str = "fr",
    idempotency_key: str = "",
) -> Checkout:
    """A Checkout Session charging exactly ``amount`` EUR once.

    ``success_url`` may contain ``{CHECKOUT_SESSION_ID}``, which Stripe replaces with the
    session's id. ``idempotency_key`` defaults to the payment's reference: the same call
    repeated (a retry after a timeout) returns the same session instead of a second one."""
    cents = checked_amount(amount)
    if not description.strip():
        raise ValueError("description: the line the client sees on Stripe's page is required.")
    metadata = link.metadata()
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": CURRENCY.lower(),
                    "unit_amount": cents,
                    "product_data": {"name": description[:250]},
                },
            }
        ],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "client_reference_id": link.payment,
        "metadata": metadata,
        "payment_intent_data": {"metadata": metadata, "description": description[:1000]},
        "locale": locale,
    }
    if customer_email:
        params["customer_email"] = customer_email
    session = call(
        stripe_client().v1.checkout.sessions.create,
        params,
        {"idempotency_key": idempotency_key or f"checkout-{link.payment}"},
    )
    return checkout_of(session.to_dict())


def retrieve_checkout_session(reference: str) -> Checkout:
    session = call(stripe_client().v1.checkout.sessions.retrieve, reference)
    return checkout_of(session.to_dict())


def expire_checkout_session(reference: str) -> Checkout:
    """Close an open session (the client gave up): Stripe then sends
    ``checkout.session.expired``, and no one can pay it any more."""
    session = call(stripe_client().v1.checkout.sessions.expire, reference)
    return checkout_of(session.to_dict())


def refund_payment(
    *,
    payment_reference: str,
    amount: Decimal | None = None,
    link: PaymentLink | None = None,
    idempotency_key: str = "",
) -> Refund:
    """Refund a PaymentIntent: in full (``amount`` None) or in part. Stripe refuses more
    than what is left (``ProviderRefused``, code ``charge_already_refunded`` or
    ``amount_too_large``). ``idempotency_key``: give the domain's refund reference, so that a
    retried call refunds once."""
    params: dict[str, Any] = {"payment_intent": payment_reference}
    if amount is not None:
        params["amount"] = to_cents(amount)
        if params["amount"] <= 0:
            raise ValueError(f"amount={amount}: a refund is positive.")
    if link is not None:
        params["metadata"] = link.metadata()
    options = {"idempotency_key": idempotency_key} if idempotency_key else {}
    refund = call(stripe_client().v1.refunds.create, params, options).to_dict()
    return Refund(
        provider=Provider.STRIPE,
        reference=refund["id"],
        payment_reference=refund.get("payment_intent") or payment_reference,
        amount=from_cents(refund.get("amount") or 0),
        currency=(refund.get("currency") or "").upper(),
        status=refund.get("status") or "",
        succeeded=refund.get("status") == "succeeded",
    )


# --- Webhooks ------------------------------------------------------------------------------

SESSION_KINDS = {
    "checkout.session.async_payment_succeeded": EventKind.SUCCEEDED,
    "checkout.session.async_payment_failed": EventKind.FAILED,
    "checkout.session.expired": EventKind.CANCELLED,
}
REFUND_EVENTS = ("refund.created", "refund.updated", "refund.failed")


def parse_webhook(payload: bytes, signature_header: str | None) -> ProviderEvent:
    """Verify a delivery to ``/webhooks/stripe/`` and say what it means.

    ``payload`` is the request's body exactly as received, ``signature_header`` its
    ``Stripe-Signature``. Raises :class:`WebhookRejected` when the signature is missing, does
    not match the endpoint's secret, or was made more than :data:`WEBHOOK_TOLERANCE_SECONDS`
    ago."""
    config = stripe_config()
    try:
        stripe.Webhook.construct_event(
            payload, signature_header, config.webhook_secret, WEBHOOK_TOLERANCE_SECONDS
        )
        event = json.loads(payload)
    except stripe.SignatureVerificationError as exc:
        raise WebhookRejected(Provider.STRIPE, f"signature: {exc.user_message}") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookRejected(Provider.STRIPE, f"body is not JSON: {exc}") from exc
    try:
        return event_of(event)
    except (KeyError, TypeError, AttributeError) as exc:
        raise WebhookRejected(Provider.STRIPE, f"event without its {exc}") from exc


def event_of(event: dict[str, Any]) -> ProviderEvent:
    event_type = event["type"]
    obj = event["data"]["object"]
    common = {
        "provider": Provider.STRIPE,
        "event_id": event["id"],
        "event_type": event_type,
        "occurred_at": from_timestamp(event["created"]),
        "metadata": {str(k): str(v) for k, v in (obj.get("metadata") or {}).items()},
    }
    if event_type == "checkout.session.completed" or event_type in SESSION_KINDS:
        return session_event(event_type, obj, common)
    if event_type in REFUND_EVENTS:
        return refund_event(obj, common)
    if event_type == "payment_intent.payment_failed":
        error = obj.get("last_payment_error") or {}
        return ProviderEvent(
            kind=EventKind.IGNORED,
            payment_reference=obj["id"],
            amount=from_cents(obj.get("amount") or 0),
            currency=(obj.get("currency") or CURRENCY).upper(),
            reason=error.get("message") or error.get("code") or "",
            **common,
        )
    return ProviderEvent(kind=EventKind.IGNORED, **common)


def session_event(event_type: str, session: dict[str, Any], common: dict) -> ProviderEvent:
    checkout = checkout_of(session)
    kind = SESSION_KINDS.get(event_type)
    reason = ""
    if kind is None:  # checkout.session.completed: paid now, or a delayed method to wait for
        kind = EventKind.SUCCEEDED if checkout.paid else EventKind.IGNORED
        reason = "" if checkout.paid else "payment_status=unpaid: a delayed method, wait"
    elif kind == EventKind.CANCELLED:
        reason = "checkout session expired"
    return ProviderEvent(
        kind=kind,
        checkout_reference=checkout.reference,
        payment_reference=checkout.payment_reference,
        amount=checkout.amount,
        currency=checkout.currency or CURRENCY,
        reason=reason,
        **common,
    )


def refund_event(refund: dict[str, Any], common: dict) -> ProviderEvent:
    status = refund.get("status")
    if status == "succeeded":
        kind, reason = EventKind.REFUNDED, ""
    elif status in ("failed", "canceled"):
        kind, reason = EventKind.REFUND_FAILED, refund.get("failure_reason") or status
    else:
        kind, reason = EventKind.IGNORED, f"refund {status}"
    payment_intent = refund.get("payment_intent") or ""
    return ProviderEvent(
        kind=kind,
        payment_reference=payment_intent if isinstance(payment_intent, str) else "",
        refund_reference=refund["id"],
        amount=from_cents(refund.get("amount") or 0),
        currency=(refund.get("currency") or CURRENCY).upper(),
        reason=reason,
        **common,
    )
