"""Reads of metering, scoped to a seller (the back-office) or to a client (the portal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Max, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clausier.customers.models import Client
from clausier.metering.domain import PARIS
from clausier.metering.models import Meter, Subscription, UsageEvent
from clausier.sellers.models import Seller


@dataclass(frozen=True)
class SubscriptionFilters:
    status: str = ""
    client_id: int | None = None


def subscription_list(
    *, seller: Seller, filters: SubscriptionFilters = SubscriptionFilters()
) -> QuerySet[Subscription]:
    """The seller's subscriptions, latest started first, with their client, order and offer."""
    qs = Subscription.objects.filter(seller=seller).select_related(
        "client", "order", "offer", "seller"
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.client_id is not None:
        qs = qs.filter(client_id=filters.client_id)
    return qs.order_by("-started_at", "-id")


def subscription_for_seller(*, seller: Seller, subscription_id: int) -> Subscription:
    return get_object_or_404(subscription_list(seller=seller), pk=subscription_id)


def meters_for_seller(*, seller: Seller) -> QuerySet[Meter]:
    return Meter.objects.filter(seller=seller).order_by("code")


def late_months(
    *, subscription_ids: set[int], start: datetime, end: datetime, received_after: datetime
) -> dict[tuple[int, date], datetime]:
    """``(subscription, month) -> last received_at`` of the events dated in ``[start, end)``
    and received after ``received_after``: the months that may have late events (one grouped
    query; the caller compares each month's time with when it was billed)."""
    rows = (
        UsageEvent.objects.filter(
            subscription_id__in=subscription_ids,
            timestamp__gte=start,
            timestamp__lt=end,
            received_at__gt=received_after,
        )
        .annotate(month=TruncMonth("timestamp", tzinfo=PARIS))
        .values("subscription_id", "month")
        .annotate(last=Max("received_at"))
        .order_by()
    )
    return {
        (row["subscription_id"], timezone.localtime(row["month"], PARIS).date()): row["last"]
        for row in rows
    }


def subscriptions_of_client(*, client: Client) -> QuerySet[Subscription]:
    """The client's subscriptions (its seller's only), active first, latest started first."""
    return (
        Subscription.objects.filter(client=client, seller_id=client.seller_id)
        .select_related("offer", "order", "seller")
        .order_by("status", "-started_at", "-id")
    )


def subscription_for_client(*, client: Client, subscription_id: int) -> Subscription:
    """One of the client's subscriptions; another client's is a 404."""
    return get_object_or_404(subscriptions_of_client(client=client), pk=subscription_id)
