"""Which online payment methods are on, read from the settings at call time.

The settings module refuses to start on half a configuration (a Stripe secret key without its
webhook secret...); here a provider is on when its keys are set, off otherwise, and the
gateways raise :class:`ProviderNotConfigured` when called while off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from clausier.payments.providers.base import Provider, ProviderNotConfigured

# Said where card and PayPal would be offered, when neither is configured.
TEST_KEYS_HELP = _(
    "Le paiement par carte et par PayPal est désactivé : aucune clé n'est configurée. Pour "
    "l'essayer, renseignez STRIPE_SECRET_KEY et STRIPE_WEBHOOK_SECRET (clés de test du "
    "tableau de bord Stripe) ou PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET et PAYPAL_WEBHOOK_ID "
    "(application sandbox de PayPal), comme l'indique le README."
)


@dataclass(frozen=True)
class StripeConfig:
    secret_key: str
    webhook_secret: str
    api_base: str


@dataclass(frozen=True)
class PayPalConfig:
    client_id: str
    client_secret: str
    webhook_id: str
    api_base: str
    cert_hosts: tuple[str, ...]


def stripe_config() -> StripeConfig:
    config = StripeConfig(
        secret_key=settings.STRIPE_SECRET_KEY,
        webhook_secret=settings.STRIPE_WEBHOOK_SECRET,
        api_base=settings.STRIPE_API_BASE.rstrip("/"),
    )
    if not (config.secret_key and config.webhook_secret):
        raise ProviderNotConfigured(
            Provider.STRIPE, "Stripe is off: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET."
        )
    return config


def paypal_config() -> PayPalConfig:
    config = PayPalConfig(
        client_id=settings.PAYPAL_CLIENT_ID,
        client_secret=settings.PAYPAL_CLIENT_SECRET,
        webhook_id=settings.PAYPAL_WEBHOOK_ID,
        api_base=settings.PAYPAL_API_BASE.rstrip("/"),
        cert_hosts=tuple(host.lower() for host in settings.PAYPAL_CERT_HOSTS),
    )
    if not (config.client_id and config.client_secret and config.webhook_id):
        raise ProviderNotConfigured(
            Provider.PAYPAL,
            "PayPal is off: set PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID.",
        )
    return config


def is_configured(provider: Provider) -> bool:
    try:
        (stripe_config if provider == Provider.STRIPE else paypal_config)()
    except ProviderNotConfigured:
        return False
    return True


def available_methods() -> tuple[Provider, ...]:
    """The online methods clausier may offer now, in the order shown: card (Stripe), then
    PayPal; empty without keys (then show :data:`TEST_KEYS_HELP`)."""
    return tuple(provider for provider in Provider if is_configured(provider))
