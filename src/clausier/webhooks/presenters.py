"""What the screens show of a delivery besides its fields (the webhook log, the order page)."""

from __future__ import annotations

from clausier.webhooks.models import DeliveryStatus

STATUS_BADGES = {
    DeliveryStatus.PENDING: "soon",
    DeliveryStatus.SUCCEEDED: "ok",
    DeliveryStatus.FAILED: "late",
}


def decorated(delivery):
    """What the log shows of a delivery besides its fields: its badge, and the order it is
    about (``subject`` "order:42") for a link."""
    delivery.badge = STATUS_BADGES.get(delivery.status, "neutral")
    kind, _sep, pk = delivery.subject.partition(":")
    delivery.order_id = int(pk) if kind == "order" and pk.isdigit() else None
    return delivery
