"""The seed sellers' catalogs, as data in ``catalog/seeds/<slug>.json``, installed through the
services (validated and audited like any other write). Idempotent: a product whose code
already exists at the seller is left as it is (staff may have edited it or changed its price).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from django.db import transaction

from clausier.catalog import services
from clausier.catalog.models import Product
from clausier.sellers.models import Seller

SEED_SLUGS = ("clever-cloud", "neo7-studio-web")
# A product of a seed file: the fields it is created with (``active`` left to its default),
# then its price.
PRODUCT_KEYS = (services.CREATE_FIELDS - {"active"}) | {"price_ht", "effective_from", "demo_price"}
FILE_KEYS = frozenset({"source", "notes", "products"})


@dataclass(frozen=True)
class SeedProduct:
    fields: dict[str, Any]
    price_ht: Decimal
    effective_from: date
    demo_price: bool


def load_catalog_seed(slug: str) -> list[SeedProduct]:
    """The products of the seed ``slug``, checked for shape; ValueError naming the file and
    the product at fault. The services check the values when installing."""
    if slug not in SEED_SLUGS:
        raise ValueError(f"no catalog seed for {slug!r}; expected one of {', '.join(SEED_SLUGS)}")
    name = f"{slug}.json"
    data = json.loads(
        resources.files("clausier.catalog").joinpath("seeds", name).read_text(encoding="utf-8")
    )
    if not isinstance(data, dict) or set(data) != FILE_KEYS:
        raise ValueError(f"{name}: expected an object with keys {sorted(FILE_KEYS)}")
    products = []
    for position, item in enumerate(data["products"]):
        where = f"{name}: product {item.get('code', position)!r}"
        if not isinstance(item, dict) or set(item) != PRODUCT_KEYS:
            raise ValueError(f"{where}: expected the keys {sorted(PRODUCT_KEYS)}")
        try:
            price, rate = Decimal(item["price_ht"]), Decimal(item["vat_rate"])
            effective_from = date.fromisoformat(item["effective_from"])
        except (InvalidOperation, TypeError, ValueError) as exc:
            raise ValueError(f"{where}: {exc}") from None
        if not isinstance(item["demo_price"], bool):
            raise ValueError(f"{where}: demo_price must be true or false")
        fields = {k: v for k, v in item.items() if k in services.CREATE_FIELDS}
        products.append(
            SeedProduct(
                fields=fields | {"vat_rate": rate},
                price_ht=price,
                effective_from=effective_from,
                demo_price=item["demo_price"],
            )
        )
    codes = [p.fields["code"] for p in products]
    if len(set(codes)) != len(codes):
        raise ValueError(f"{name}: duplicate product codes")
    return products


@transaction.atomic
def install_catalog_seed(*, seller: Seller, by) -> list[Product]:
    """Create the products of ``seller``'s seed catalog that it does not have yet; returns
    the seed's products (created or already there), in the file's order."""
    seed = load_catalog_seed(seller.slug)
    existing = {p.code: p for p in Product.objects.filter(seller=seller)}
    products = []
    for item in seed:
        product = existing.get(item.fields["code"])
        if product is None:
            product = services.create_product(
                seller=seller,
                fields=item.fields,
                price_ht=item.price_ht,
                effective_from=item.effective_from,
                by=by,
            )
        products.append(product)
    return products
