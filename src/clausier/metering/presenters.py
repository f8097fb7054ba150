"""Subscriptions as the API and the screens show them."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from clausier.metering import transitions
from clausier.metering.models import Subscription


def as_api(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": subscription.pk,
        "external_id": subscription.external_id,
        "client_id": subscription.client_id,
        "order_id": subscription.order_id,
        "order_reference": subscription.order.reference,
        "offer": subscription.offer.code if subscription.offer else None,
        "started_at": subscription.started_at.astimezone(UTC),
        "billing_period": subscription.billing_period,
        "status": subscription.status,
        "terms_version": subscription.terms_label,
        "allowed_actions": transitions.allowed_actions(subscription),
    }
