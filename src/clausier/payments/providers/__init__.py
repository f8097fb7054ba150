"""The payment providers' gateways: Stripe (card) and PayPal, called by the payments domain.

Pure gateway code, no model and no view: each call takes and returns neutral objects
(:class:`Checkout`, :class:`Refund`, :class:`ProviderEvent`), so the domain never touches a
provider's library. The keys are settings (``STRIPE_*``, ``PAYPAL_*``, README's table);
:func:`available_methods` says which methods may be offered.

    from clausier.payments.providers import stripe_gateway, paypal_gateway, paypal_webhook

- ``stripe_gateway.create_checkout_session / retrieve_checkout_session /
  expire_checkout_session / refund_payment / parse_webhook``
- ``paypal_gateway.create_order / get_order / capture_order / refund_capture``
- ``paypal_webhook.parse_webhook``
"""

from clausier.payments.providers.base import (
    CENTS_ROUNDING,
    CURRENCY,
    Checkout,
    EventKind,
    PaymentLink,
    Provider,
    ProviderError,
    ProviderEvent,
    ProviderNotConfigured,
    ProviderRefused,
    ProviderUnavailable,
    Refund,
    WebhookRejected,
    from_cents,
    to_cents,
)
from clausier.payments.providers.config import TEST_KEYS_HELP, available_methods, is_configured

__all__ = [
    "CENTS_ROUNDING",
    "CURRENCY",
    "TEST_KEYS_HELP",
    "Checkout",
    "EventKind",
    "PaymentLink",
    "Provider",
    "ProviderError",
    "ProviderEvent",
    "ProviderNotConfigured",
    "ProviderRefused",
    "ProviderUnavailable",
    "Refund",
    "WebhookRejected",
    "available_methods",
    "from_cents",
    "is_configured",
    "to_cents",
]
