"""Builders for invoicing tests on the two real seeds: the web agency of seed 002 (CGV v3.0,
293 B franchise, 14 jours ouvrés, 3 × the legal rate) and the PaaS host of seed 000 (CGV
v1.1, 20 % VAT, invoice issued after the online payment).

Also a VAT-charging seller whose invoices can be issued today (complete identity, terms
with "paiement à 30 jours", no penalty clause: no legal rate needed whatever the date).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from clausier.invoicing import services as invoicing_services
from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.quotes import services as quote_services
from clausier.sellers.models import Seller
from clausier.sellers.services import upsert_seller
from tests.factories import make_contact, make_draft_invoice, make_published_terms, make_seller
from tests.factories.quotes import install_agency, paris, sent_quote

# The agency's seed leaves its identity to complete before it may invoice (no SIREN, address
# "à compléter"): these are example values, as the demo uses example bank details.
AGENCY_IDENTITY = {
    "siren": "443061841",
    "address_line1": "12 rue de Strasbourg",
    "iban": "FR7630006000011234567890189",
    "bic": "AGRIFRPPXXX",
}

# Friday 22 May 2026 + 14 jours ouvrés: 26-29 May (Whit Monday 25 May is a holiday), 1-5 and
# 8-12 June: due Friday 12 June 2026 (seed 002 art. 5).
INVOICE_DAY = paris(2026, 5, 22, 10, 0)


def invoicing_agency() -> Seller:
    agency = install_agency()
    return upsert_seller(slug=agency.slug, fields=AGENCY_IDENTITY, by=None)


def accept(quote, *, now=INVOICE_DAY):
    contact = quote.client.contacts.first() or make_contact(quote.client)
    return quote_services.accept_quote_online(
        quote=quote,
        contact=contact,
        signatory_name=contact.name,
        signatory_role="Gérante",
        consent=True,
        ip_address="203.0.113.7",
        user_agent="test",
        now=now,
    )


def accepted_order(agency: Seller, client, *, now=INVOICE_DAY, **quote_kwargs):
    """An agency order from a quote sent on 4 May 2026 and accepted on ``now``."""
    quote = sent_quote(agency, client, now=paris(2026, 5, 4, 10), **quote_kwargs)
    return accept(quote, now=now).order


def deposit_invoice_of(order) -> Invoice:
    return Invoice.objects.get(order=order, kind=InvoiceKind.DEPOSIT)


def line(description="Audit SEO", quantity="1", unit="flat", unit_price="500", **extra):
    return {
        "description": description,
        "quantity": Decimal(quantity),
        "unit": unit,
        "unit_price": Decimal(unit_price),
        **extra,
    }


# --- a VAT-charging seller, invoices issued days ago ---
SELLER_VAT = "FR87524172699"


def invoicing_seller(slug: str = "facturier"):
    seller = make_seller(slug, vat_number=SELLER_VAT)
    make_published_terms(seller)
    return seller


def days_ago(n: int):
    return timezone.now() - timedelta(days=n)


def vat_line(description="Audit de performance", quantity="1", unit_price="500", vat="0.20"):
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
    draft = make_draft_invoice(seller, client, lines=lines or [vat_line()], now=now)
    return invoicing_services.issue_invoice(invoice=draft, by=None, now=now)
