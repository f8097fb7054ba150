"""Reads of metering, scoped to a seller."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from clausier.metering.models import Meter, Subscription
from clausier.sellers.models import Seller


@dataclass(frozen=True)
class SubscriptionFilters:
    status: str = ""
    client_id: int | None = None


def subscription_list(
    *, seller: Seller, filters: SubscriptionFilters = SubscriptionFilters()
) -> QuerySet[Subscription]:
    """The seller's subscriptions, latest started first, with their client, order and offer."""
    qs = Subscription.objects.filter(seller=seller).select_related("client", "order", "offer")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.client_id is not None:
        qs = qs.filter(client_id=filters.client_id)
    return qs.order_by("-started_at", "-id")


def subscription_for_seller(*, seller: Seller, subscription_id: int) -> Subscription:
    return get_object_or_404(subscription_list(seller=seller), pk=subscription_id)


def meters_for_seller(*, seller: Seller) -> QuerySet[Meter]:
    return Meter.objects.filter(seller=seller).order_by("code")
