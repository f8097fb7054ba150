"""Online ordering for any test seller: terms that provide for it (the ``order.flow`` clause
of the PaaS host's real seed, art. 4), an offer in the catalog, and a recap (a draft online
order), all through the real services."""

from __future__ import annotations

from datetime import date

from clausier.orders import services as order_services
from clausier.orders.models import Order
from clausier.sellers.models import Seller
from clausier.terms import services as terms_services
from clausier.terms.models import TermsVersion
from clausier.terms.seeds import load_seed
from tests.catalog.helpers import make_product

OFFER_CODE = "offre-en-ligne"


def _seed_clause(kind: str) -> dict:
    version = load_seed("clever-cloud").versions[0]
    clause = next(c for c in version.clauses if c["kind"] == kind)
    return {k: clause[k] for k in terms_services.CLAUSE_FIELDS if k in clause}


def publish_terms_with_online_orders(seller: Seller, label: str = "v1") -> TermsVersion:
    """Like ``tests.factories.make_published_terms`` (payment at 30 days), plus online
    orders: a recap the client corrects, then validated automatically at confirmation."""
    version = terms_services.create_draft(
        seller=seller,
        label=label,
        effective_date=date(2026, 1, 1),
        text="# CGV\n\nArticle 1 : paiement à 30 jours.\n\nArticle 2 : commande en ligne.\n",
        by=None,
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
    flow = _seed_clause("order.flow") | {"article": "art. 2"}
    terms_services.add_clause(version=version, fields=flow, by=None)
    return terms_services.publish_version(version=version, by=None)


def draft_online_order(seller: Seller, client, *, by=None) -> Order:
    """A recap of one offer (created in the catalog on first use) for ``client``."""
    product = seller.products.filter(code=OFFER_CODE).first()
    if product is None:
        make_product(seller, code=OFFER_CODE, name="Offre en ligne", price_ht="50.00")
    return order_services.create_online_order(
        seller=seller,
        client=client,
        lines=[{"product_code": OFFER_CODE, "quantity": "2"}],
        by=by,
    )
