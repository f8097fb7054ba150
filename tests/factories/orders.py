"""Builders for online orders on the real Clever Cloud seed (the PaaS host of seed 000, CGV
v1.1, and its catalog: demo prices, 20 % VAT).

Also, for any test seller: terms that provide for online orders (the ``order.flow`` clause
of the PaaS host's real seed, art. 4), an offer in the catalog and a recap.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from clausier.catalog.seeding import install_catalog_seed
from clausier.demo.seeding import install_seed
from clausier.orders import services
from clausier.orders import services as order_services
from clausier.orders.domain import EXPRESS_START
from clausier.orders.models import Order
from clausier.payments import services as payment_services
from clausier.sellers.models import Seller
from clausier.terms import services as terms_services
from clausier.terms.models import TermsVersion
from clausier.terms.seeds import load_seed
from tests.factories import make_published_terms
from tests.factories.catalog import make_product
from tests.factories.quotes import paris

PAAS = "clever-cloud"

# instance-app 720 h × 0,035 € = 25,20 €; addon-postgresql 1 × 10,00 € = 10,00 €
# HT 35,20 €; TVA 20 % 7,04 €; TTC 42,24 €.
FIRST_LINES = [
    {"product_code": "instance-app", "quantity": "720"},
    {"product_code": "addon-postgresql", "quantity": 1},
]
FIRST_TTC = Decimal("42.24")
# instance-app 1 440 h × 0,035 € = 50,40 €; stockage 100 Go·mois × 0,015 € = 1,50 €;
# addon-postgresql 2 × 10,00 € = 20,00 €: HT 71,90 €; TVA 20 % 14,38 €; TTC 86,28 €.
EDITED_LINES = [
    {"product_code": "instance-app", "quantity": "1440"},
    {"product_code": "stockage", "quantity": Decimal("100")},
    {"product_code": "addon-postgresql", "quantity": "2"},
]
EDITED_TTC = Decimal("86.28")

ORDERED_AT = paris(2026, 5, 4, 10, 0)  # Monday
CONFIRMED_AT = paris(2026, 5, 4, 10, 10)


def install_paas() -> Seller:
    seller = install_seed(slug=PAAS, by=None)
    install_catalog_seed(seller=seller, by=None)
    return seller


def recap(seller: Seller, client, *, by=None, lines=None, now: datetime = ORDERED_AT) -> Order:
    return services.create_online_order(
        seller=seller,
        client=client,
        lines=FIRST_LINES if lines is None else lines,
        by=by,
        now=now,
    )


def awaiting_payment(
    seller: Seller, client, *, by=None, express_start: bool = False, **kwargs
) -> Order:
    """Confirmed; ``express_start``: a consumer asked the service to start during its
    withdrawal period (C. conso. L221-25)."""
    order = recap(seller, client, by=by, **kwargs)
    return services.confirm_order(
        order=order,
        by=by,
        now=CONFIRMED_AT,
        express_start=express_start,
        express_start_text=EXPRESS_START.value if express_start else "",
    )


def paid(seller: Seller, client, *, received_at: datetime, reference: str, **kwargs) -> Order:
    order = awaiting_payment(seller, client, **kwargs)
    return payment_services.record_payment(
        order=order,
        received_at=received_at,
        provider="stripe",
        reference=reference,
        amount=order.total_ttc,
        by=None,
        now=received_at + timedelta(minutes=1),
    ).order


# --- online orders for any seller ---
OFFER_CODE = "offre-en-ligne"


def _seed_clause(kind: str, slug: str = "clever-cloud") -> dict:
    version = load_seed(slug).versions[0]
    clause = next(c for c in version.clauses if c["kind"] == kind)
    return {k: clause[k] for k in terms_services.CLAUSE_FIELDS if k in clause}


def publish_terms_with_online_orders(
    seller: Seller, label: str = "v1", *, agency_clauses: tuple[str, ...] = ()
) -> TermsVersion:
    """Like ``tests.factories.make_published_terms`` (payment at 30 days), plus online
    orders: a recap the client corrects, then validated automatically at confirmation; plus
    the web agency's clauses of ``agency_clauses`` kinds (seed 002)."""
    flow = _seed_clause("order.flow") | {"article": "art. 2"}
    more = tuple(_seed_clause(kind, "neo7-studio-web") for kind in agency_clauses)
    return make_published_terms(
        seller,
        label,
        text="# CGV\n\nArticle 1 : paiement à 30 jours.\n\nArticle 2 : commande en ligne.\n",
        more_clauses=(flow, *more),
    )


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
