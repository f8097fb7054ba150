"""Builders for metering, through the real services: a PaaS subscription born from a paid
online order whose service was activated, and the meters of the PaaS host."""

from __future__ import annotations

from datetime import datetime

from clausier.metering import services
from clausier.metering.models import Meter, Subscription
from clausier.orders import services as order_services
from tests.factories.orders import paid
from tests.factories.quotes import paris

ACTIVATED_AT = paris(2026, 5, 12, 9, 0)


def active_subscription(
    seller, client, *, reference: str = "ch_sub", at: datetime = ACTIVATED_AT
) -> Subscription:
    """A paid online order of ``client``, its service activated (a professional, or a
    consumer who asked the service to start at once): its subscription."""
    order = paid(
        seller,
        client,
        received_at=paris(2026, 5, 8, 14, 30),
        reference=reference,
        express_start=not client.is_professional,
    )
    order = order_services.activate_service(order=order, by=None, now=at)
    return Subscription.objects.get(order=order)


def meter(seller, code: str = "requests", **kwargs) -> Meter:
    fields = {"name": code.capitalize(), "unit": "requête", "aggregation": "sum"} | kwargs
    return services.create_meter(seller=seller, code=code, by=None, **fields)
