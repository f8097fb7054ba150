"""Catalog test data, through the real services."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from clausier.catalog import services
from clausier.catalog.models import Product
from clausier.sellers.models import Seller

_seq = itertools.count(1)


def make_product(
    seller: Seller,
    *,
    price_ht: Decimal | str = "100.00",
    effective_from: date = date(2026, 1, 1),
    by=None,
    **fields,
) -> Product:
    n = next(_seq)
    defaults = {"code": f"produit-{n}", "name": f"Produit {n}", "unit": "flat"}
    return services.create_product(
        seller=seller,
        fields=defaults | fields,
        price_ht=Decimal(price_ht),
        effective_from=effective_from,
        by=by,
    )
