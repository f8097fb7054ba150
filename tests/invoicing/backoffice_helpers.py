"""A VAT-charging seller whose invoices can be issued today (complete identity, terms with
"paiement à 30 jours", no penalty clause: no legal rate needed whatever the date), and its
documents made through the real services."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from clausier.invoicing import services as invoicing_services
from tests.factories import make_draft_invoice, make_published_terms, make_seller

SELLER_VAT = "FR87524172699"


def invoicing_seller(slug: str = "facturier"):
    seller = make_seller(slug, vat_number=SELLER_VAT)
    make_published_terms(seller)
    return seller


def days_ago(n: int):
    return timezone.now() - timedelta(days=n)


def line(description="Audit de performance", quantity="1", unit_price="500", vat="0.20"):
    return {
        "description": description,
        "quantity": Decimal(quantity),
        "unit": "flat",
        "unit_price": Decimal(unit_price),
        "vat_rate": Decimal(vat),
    }


def issued(seller, client, *, days: int = 0, lines=None):
    """An invoice issued ``days`` ago (issue them oldest first: numbers are chronological)."""
    now = days_ago(days)
    draft = make_draft_invoice(seller, client, lines=lines or [line()], now=now)
    return invoicing_services.issue_invoice(invoice=draft, by=None, now=now)
