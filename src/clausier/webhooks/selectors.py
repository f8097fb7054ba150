"""Reads of outgoing webhooks, scoped to a seller (and the due deliveries, for the worker)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from clausier.sellers.models import Seller
from clausier.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


def endpoints_for_seller(*, seller: Seller) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(seller=seller)


def endpoints_with_stats(*, seller: Seller) -> QuerySet[WebhookEndpoint]:
    """The seller's endpoints with, in the same query, how many deliveries each has
    (``sent``), pending (``pending``) and failed (``failed``), and the last one's time
    (``last_delivery_at``)."""
    return endpoints_for_seller(seller=seller).annotate(
        sent=Count("deliveries"),
        pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        last_delivery_at=Max("deliveries__created_at"),
    )


def subscribed_endpoints(*, seller: Seller, event_type: str) -> list[WebhookEndpoint]:
    """The seller's active endpoints that receive ``event_type`` (what :func:`emit` sends
    it to)."""
    return [
        endpoint
        for endpoint in endpoints_for_seller(seller=seller).filter(active=True).order_by("id")
        if event_type in endpoint.events
    ]


def endpoint_for_seller(*, seller: Seller, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint.objects.filter(seller=seller, pk=endpoint_id))


def deliveries_for_seller(
    *,
    seller: Seller,
    status: str | None = None,
    subject: str | None = None,
    endpoint_id: int | None = None,
    event_type: str | None = None,
) -> QuerySet[WebhookDelivery]:
    """The delivery log of ``seller``, newest first; ``subject`` ("order:42") narrows it to
    one object's events, ``endpoint_id`` to one endpoint, ``event_type`` to one event."""
    qs = WebhookDelivery.objects.filter(seller=seller).select_related("endpoint")
    if status:
        qs = qs.filter(status=status)
    if subject:
        qs = qs.filter(subject=subject)
    if endpoint_id:
        qs = qs.filter(endpoint_id=endpoint_id)
    if event_type:
        qs = qs.filter(event_type=event_type)
    return qs


def delivery_for_seller(*, seller: Seller, delivery_id: int) -> WebhookDelivery:
    """One delivery with its attempts (``attempt_log``, in order); 404 for anyone else's."""
    return get_object_or_404(
        WebhookDelivery.objects.filter(seller=seller, pk=delivery_id)
        .select_related("endpoint")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
        )
    )


def due_delivery_ids(*, now: datetime | None = None) -> list[int]:
    """Pending deliveries whose next attempt is due, every seller (the worker's read)."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
