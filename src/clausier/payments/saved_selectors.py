"""Reads of the clients' saved cards (:class:`SavedPaymentMethod`) and of what they paid."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from clausier.payments.models import Payment
from clausier.payments.saved_models import SavedPaymentMethod

STRIPE = "stripe"


def active_saved_method(*, client, provider: str = STRIPE) -> SavedPaymentMethod | None:
    """The card ``client`` keeps at ``provider`` for its next invoices, or None."""
    return (
        SavedPaymentMethod.objects.filter(client=client, provider=provider, revoked_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )


def saved_method_for_client(*, client, method_id: int) -> SavedPaymentMethod:
    """One of ``client``'s own saved cards (404 for another's)."""
    return get_object_or_404(SavedPaymentMethod, pk=method_id, client=client)


def saved_card_charges(*, client, limit: int = 10) -> QuerySet[Payment]:
    """The last invoices charged to ``client``'s saved cards, newest first."""
    return (
        Payment.objects.filter(client=client, saved_method__isnull=False)
        .select_related("saved_method", "checkout_invoice")
        .order_by("-created_at", "-id")[:limit]
    )
