"""How contracts answer other domains' facts (wired in ``clausier/reactions.py``)."""

from __future__ import annotations

from django.utils import timezone

from clausier.audit.triggers import Trigger
from clausier.contracts import services
from clausier.orders.models import Order


def open_for_activated_order(fact) -> None:
    """``orders.events.ServiceActivated``: a paid online order's service started (seed 000
    art. 8); its recurring lines (by the month or the year) are a contract from that day."""
    order = Order.objects.select_related("seller", "client", "terms_version").get(pk=fact.order_id)
    services.open_for_order(
        order=order,
        start_on=timezone.localdate(fact.at),
        by=None,
        trigger=Trigger.SERVICE_ACTIVATED,
    )


def open_for_accepted_quote(fact) -> None:
    """``quotes.events.QuoteAccepted``: the order opened from the accepted quote (the
    reaction before this one) is a contract for its recurring lines (seed 002 art. 7: the
    period is the quote's), from the acceptance."""
    order = (
        Order.objects.select_related("seller", "client", "terms_version")
        .filter(quote_id=fact.quote_id)
        .first()
    )
    if order is None:
        return
    services.open_for_order(
        order=order,
        start_on=timezone.localdate(fact.at),
        by=fact.by,
        trigger=Trigger.QUOTE_ACCEPTED,
    )
