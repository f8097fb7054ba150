"""The providers' webhooks: ``/webhooks/stripe/`` and ``/webhooks/paypal/`` (no language
prefix, no CSRF token: the provider's signature stands for it; POST only).

The signature is verified by the gateway (Stripe-Signature with its tolerance window;
PayPal's transmission signature with its certificate); a delivery that fails it is refused
with 400 and a JSON error, and logged (logger ``clausier.payments``). A verified event is
stored and processed once (:func:`receive_provider_event`): a replay answers 200 and changes
nothing. A provider unreachable while processing (a PayPal capture) answers 503: the provider
delivers the event again later.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from clausier.payments.providers import paypal_webhook, stripe_gateway
from clausier.payments.providers.base import (
    ProviderEvent,
    ProviderNotConfigured,
    ProviderUnavailable,
    WebhookRejected,
)
from clausier.payments.services.provider_events import receive_provider_event

logger = logging.getLogger("clausier.payments")


def _receive(request: HttpRequest, provider: str, parse: Callable[[], ProviderEvent]):
    try:
        event = parse()
    except ProviderNotConfigured:
        logger.warning("%s webhook received while %s is not configured", provider, provider)
        return JsonResponse({"error": f"{provider} is not configured here"}, status=503)
    except WebhookRejected as exc:
        logger.warning(
            "%s webhook refused: %s (from %s)",
            provider,
            exc.reason,
            request.META.get("REMOTE_ADDR", "?"),
        )
        return JsonResponse({"error": f"invalid {provider} webhook: {exc.reason}"}, status=400)
    try:
        stored, processed = receive_provider_event(event=event, payload=request.body)
    except ProviderUnavailable as exc:
        logger.warning("%s event %s not processed: %s", provider, event.event_id, exc.message)
        return JsonResponse({"error": exc.message, "retry": True}, status=503)
    logger.info(
        "%s event %s (%s): %s",
        provider,
        event.event_id,
        event.event_type,
        stored.outcome if processed else "already received",
    )
    return JsonResponse(
        {"received": event.event_id, "duplicate": not processed, "outcome": stored.outcome}
    )


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    return _receive(
        request,
        "stripe",
        lambda: stripe_gateway.parse_webhook(request.body, request.headers.get("Stripe-Signature")),
    )


@csrf_exempt
@require_POST
def paypal_webhook_view(request: HttpRequest) -> JsonResponse:
    return _receive(
        request, "paypal", lambda: paypal_webhook.parse_webhook(request.body, request.headers)
    )
