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
    Charge,
    Checkout,
    EventKind,
    PaymentLink,
    Provider,
    ProviderEvent,
    ProviderRefused,
    ProviderUnavailable,
    Refund,
    SavedCard,
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
    except stripe.StripeError as exc:
        raise translated(exc) from exc


def translated(exc: stripe.StripeError) -> ProviderUnavailable | ProviderRefused:
    if isinstance(exc, (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)):
        return ProviderUnavailable(Provider.STRIPE, f"Stripe unavailable: {message_of(exc)}")
    return ProviderRefused(
        Provider.STRIPE, message_of(exc), status=exc.http_status or 400, code=exc.code or ""
    )


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
    save_card: str = "",
    customer: str = "",
) -> Checkout:
    """A Checkout Session charging exactly ``amount`` EUR once.

    ``success_url`` may contain ``{CHECKOUT_SESSION_ID}``, which Stripe replaces with the
    session's id. ``idempotency_key`` defaults to the payment's reference: the same call
    repeated (a retry after a timeout) returns the same session instead of a second one.

    ``save_card``: the version of the consent text the client accepted to have the card kept
    for merchant-initiated payments (empty: not kept). The PaymentIntent is then made with
    ``setup_future_usage=off_session`` (Stripe asks for the authentication that later
    off-session charges rely on), for ``customer`` (the client's Stripe customer) or a
    customer created with the session (``customer_creation=always``); the version travels
    in the metadata (``save_card``)."""
    cents = checked_amount(amount)
    if not description.strip():
        raise ValueError("description: the line the client sees on Stripe's page is required.")
    metadata = link.metadata() | ({SAVE_CARD_KEY: save_card} if save_card else {})
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
    if save_card:
        params["payment_intent_data"]["setup_future_usage"] = "off_session"
        if customer:
            params["customer"] = customer
        else:
            params["customer_creation"] = "always"
    if customer_email and not (save_card and customer):
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


def saved_card_of(intent: dict[str, Any]) -> SavedCard | None:
    """The card a PaymentIntent (``payment_method`` expanded) was paid with, kept for its
    customer; None when it has no customer or no card."""
    method = intent.get("payment_method") or {}
    customer = intent.get("customer") or ""
    if isinstance(customer, dict):
        customer = customer.get("id", "")
    if not isinstance(method, dict) or not method.get("id") or not customer:
        return None
    card = method.get("card") or {}
    brand = str(card.get("display_brand") or card.get("brand") or "carte").replace("_", " ")
    last4 = card.get("last4") or "????"
    return SavedCard(
        provider=Provider.STRIPE,
        customer_reference=customer,
        method_reference=method["id"],
        label=f"{brand.title()} •••• {last4}",
        exp_month=card.get("exp_month"),
        exp_year=card.get("exp_year"),
    )


def retrieve_saved_card(payment_reference: str) -> SavedCard | None:
    """The card kept by the PaymentIntent ``payment_reference`` of a checkout made with
    ``save_card`` (its payment method expanded)."""
    intent = call(
        stripe_client().v1.payment_intents.retrieve,
        payment_reference,
        {"expand": ["payment_method"]},
    )
    return saved_card_of(intent.to_dict())


def charge_of(intent: dict[str, Any], *, code: str = "", message: str = "") -> Charge:
    return Charge(
        provider=Provider.STRIPE,
        reference=intent.get("id") or "",
        status=intent.get("status") or "",
        succeeded=intent.get("status") == "succeeded",
        amount=from_cents(intent.get("amount") or 0),
        code=code,
        message=message,
    )


def charge_saved_card(
    *,
    amount: Decimal,
    customer: str,
    payment_method: str,
    link: PaymentLink,
    description: str,
    idempotency_key: str,
) -> Charge:
    """Charge a saved card without the client (a merchant-initiated transaction): a
    PaymentIntent created and confirmed ``off_session``. A refused card is not an error but a
    :class:`Charge` that did not succeed, with Stripe's code (``card_declined``,
    ``authentication_required``: Stripe answers 402 with the PaymentIntent in the error).
    ``idempotency_key``: the payment's own, so that a retried call charges once."""
    params: dict[str, Any] = {
        "amount": checked_amount(amount),
        "currency": CURRENCY.lower(),
        "customer": customer,
        "payment_method": payment_method,
        "off_session": True,
        "confirm": True,
        "description": description[:1000],
        "metadata": link.metadata() | {OFF_SESSION_KEY: "1"},
    }
    try:
        intent = stripe_client().v1.payment_intents.create(
            params, {"idempotency_key": idempotency_key}
        )
    except stripe.CardError as exc:
        error = (exc.json_body or {}).get("error") or {}
        return charge_of(
            error.get("payment_intent") or {"amount": params["amount"]},
            code=error.get("code") or exc.code or "card_declined",
            message=error.get("message") or message_of(exc),
        )
    except stripe.StripeError as exc:
        raise translated(exc) from exc
    return charge_of(intent.to_dict())


def detach_payment_method(method_reference: str) -> None:
    """Forget a saved card at Stripe (the client removed it): no charge can use it any more."""
    call(stripe_client().v1.payment_methods.detach, method_reference)


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
# The metadata that marks a checkout keeping the card (the consent's version), and a
# PaymentIntent clausier made off-session (a saved card charged for an invoice).
SAVE_CARD_KEY = "save_card"
OFF_SESSION_KEY = "off_session"
OFF_SESSION_KINDS = {
    "payment_intent.succeeded": EventKind.SUCCEEDED,
    "payment_intent.payment_failed": EventKind.FAILED,
}


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
    if event_type in OFF_SESSION_KINDS and common["metadata"].get(OFF_SESSION_KEY):
        return off_session_event(event_type, obj, common)
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


def off_session_event(event_type: str, intent: dict[str, Any], common: dict) -> ProviderEvent:
    """A PaymentIntent clausier confirmed off-session: its own id is the payment's reference
    (there is no session), so it stands as the ``checkout_reference``. A failure's reason is
    Stripe's ``code: message``, as the charge's own answer is recorded."""
    error = intent.get("last_payment_error") or {}
    return ProviderEvent(
        kind=OFF_SESSION_KINDS[event_type],
        checkout_reference=intent["id"],
        payment_reference=intent["id"],
        amount=from_cents(intent.get("amount") or 0),
        currency=(intent.get("currency") or CURRENCY).upper(),
        reason=": ".join(part for part in (error.get("code"), error.get("message")) if part),
        **common,
    )


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
