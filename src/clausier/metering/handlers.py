"""How metering answers other domains' facts (wired in ``clausier/reactions.py``)."""

from __future__ import annotations

from clausier.metering import services
from clausier.orders.models import Order


def start_subscription(fact) -> None:
    """``orders.events.ServiceActivated``: the paid online order's service started (seed 000
    art. 8): its subscription starts metering, under the order's terms."""
    order = Order.objects.select_related("terms_version").get(pk=fact.order_id)
    services.start_subscription(order=order, at=fact.at, by=None)
