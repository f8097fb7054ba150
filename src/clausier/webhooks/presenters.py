"""What the screens show of a delivery besides its fields (the webhook log, the order page)."""

from __future__ import annotations

from clausier.webhooks import transitions
from clausier.webhooks.models import DeliveryStatus

STATUS_BADGES = {
    DeliveryStatus.PENDING: "soon",
    DeliveryStatus.SUCCEEDED: "ok",
    DeliveryStatus.FAILED: "late",
}


def decorated(delivery):
    """What the log shows of a delivery besides its fields: its badge, whether staff may send
    it again (the state table's ``allowed_actions``), and the order it is about (``subject``
    "order:42") for a link."""
    delivery.badge = STATUS_BADGES.get(delivery.status, "neutral")
    delivery.can_retry = transitions.RETRY in transitions.allowed_actions(delivery)
    kind, _sep, pk = delivery.subject.partition(":")
    delivery.order_id = int(pk) if kind == "order" and pk.isdigit() else None
    return delivery
