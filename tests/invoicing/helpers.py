"""Builders for invoicing tests on the two real seeds: the web agency of seed 002 (CGV v3.0,
293 B franchise, 14 jours ouvrés, 3 × the legal rate) and the PaaS host of seed 000 (CGV
v1.1, 20 % VAT, invoice issued after the online payment)."""

from __future__ import annotations

from decimal import Decimal

from clausier.invoicing.models import Invoice, InvoiceKind
from clausier.quotes import services as quote_services
from clausier.sellers.models import Seller
from clausier.sellers.services import upsert_seller
from tests.factories import make_contact
from tests.quotes.helpers import install_agency, paris, sent_quote

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
