"""Test data through the real services (so every factory write is validated and audited)."""

from __future__ import annotations

import itertools
from datetime import date

from clausier.customers import services as customer_services
from clausier.customers.models import Client, Contact
from clausier.kernel.accounts import ensure_user
from clausier.sellers import services as seller_services
from clausier.sellers.models import Role, Seller
from clausier.terms import services as terms_services
from clausier.terms.models import TermsVersion

_seq = itertools.count(1)
PASSWORD = "test-pass-123"


def make_user(username: str | None = None, **extra):
    username = username or f"user{next(_seq)}"
    return ensure_user(
        username=username, email=f"{username}@example.test", password=PASSWORD, **extra
    )


def make_seller(slug: str | None = None, **fields) -> Seller:
    slug = slug or f"seller-{next(_seq)}"
    defaults = {
        "legal_name": f"{slug.title()} SAS",
        "legal_form": "SAS",
        "siren": "524172699",
        "address_line1": "1 rue de la Paix",
        "postal_code": "44000",
        "city": "Nantes",
    }
    return seller_services.upsert_seller(slug=slug, fields=defaults | fields, by=None)


def make_staff(seller: Seller, role: str = Role.OWNER, username: str | None = None):
    user = make_user(username)
    seller_services.set_staff_role(seller=seller, user=user, role=role, by=None)
    return user


def make_client(seller: Seller, kind: str = "company", **fields) -> Client:
    n = next(_seq)
    defaults = {
        "kind": kind,
        "name": f"Client {n}",
        "email": f"client{n}@example.test",
        "billing_line1": f"{n} avenue de la République",
        "billing_postal_code": "75011",
        "billing_city": "Paris",
    }
    return customer_services.create_client(seller=seller, fields=defaults | fields, by=None)


def make_contact(client: Client, *, with_login: bool = True, **fields) -> Contact:
    n = next(_seq)
    user = make_user(f"contact{n}") if with_login else None
    defaults = {"name": f"Contact {n}", "email": f"contact{n}@example.test", "is_billing": True}
    return customer_services.add_contact(
        client=client, fields=defaults | fields, by=None, user=user
    )


def make_published_terms(
    seller: Seller,
    label: str = "v1",
    text: str = "# CGV\n\nArticle 1 : paiement à 30 jours.\n",
    more_clauses: tuple[dict, ...] = (),
) -> TermsVersion:
    """Terms whose art. 1 says "paiement à 30 jours" (a ``payment.due`` clause), and
    ``more_clauses``, published."""
    version = terms_services.create_draft(
        seller=seller, label=label, effective_date=date(2026, 1, 1), text=text, by=None
    )
    terms_services.add_clause(
        version=version,
        fields={
            "clause_id": "payment.due",
            "kind": "payment.due",
            "article": "art. 1",
            "title": "Échéance",
            "excerpt": "paiement à 30 jours",
            "parameters": {"n": 30, "unit": "jours_calendaires", "from": "invoice_date"},
        },
        by=None,
    )
    for fields in more_clauses:
        terms_services.add_clause(version=version, fields=fields, by=None)
    return terms_services.publish_version(version=version, by=None)


def make_draft_invoice(seller: Seller, client: Client, *, lines=None, by=None, now=None):
    """A draft invoice of free lines (one 500 € HT line at 20 % VAT by default)."""
    from decimal import Decimal

    from clausier.invoicing import services as invoicing_services

    default = {
        "description": "Audit de performance",
        "quantity": Decimal("1"),
        "unit": "flat",
        "unit_price": Decimal("500"),
        "vat_rate": Decimal("0.20"),
    }
    return invoicing_services.create_draft(
        seller=seller, client=client, lines=lines or [default], by=by, now=now
    )


def make_issued_invoice(seller: Seller, client: Client, *, now, lines=None, by=None):
    """An issued invoice (the seller needs published terms with a ``payment.due`` clause,
    see :func:`make_published_terms`, and a complete identity)."""
    from clausier.invoicing import services as invoicing_services

    draft = make_draft_invoice(seller, client, lines=lines, by=by, now=now)
    return invoicing_services.issue_invoice(invoice=draft, by=by, now=now)
