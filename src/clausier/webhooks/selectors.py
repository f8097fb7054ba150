"""Reads of outgoing webhooks, scoped to a seller (and the due deliveries, for the worker)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
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


def endpoint_for_seller(*, seller: Seller, endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(seller=seller, pk=endpoint_id).first()
    if endpoint is None:
        raise Http404
    return endpoint


def deliveries_for_seller(
    *, seller: Seller, status: str | None = None, subject: str | None = None
) -> QuerySet[WebhookDelivery]:
    """The delivery log of ``seller``, newest first; ``subject`` ("order:42") narrows it to
    one object's events."""
    qs = WebhookDelivery.objects.filter(seller=seller).select_related("endpoint")
    if status:
        qs = qs.filter(status=status)
    if subject:
        qs = qs.filter(subject=subject)
    return qs


def delivery_for_seller(*, seller: Seller, delivery_id: int) -> WebhookDelivery:
    """One delivery with its attempts (``attempt_log``, in order); 404 for anyone else's."""
    delivery = (
        WebhookDelivery.objects.filter(seller=seller, pk=delivery_id)
        .select_related("endpoint")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
        )
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery


def due_delivery_ids(*, now: datetime | None = None) -> list[int]:
    """Pending deliveries whose next attempt is due, every seller (the worker's read)."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)
    )
