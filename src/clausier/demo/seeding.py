"""Installs a seed seller and its terms from the data in ``terms/seeds/``: the seller through
the sellers' services, its terms through the terms' own seeding. Idempotent."""

from __future__ import annotations

from django.db import transaction

from clausier.kernel.actor import Actor
from clausier.sellers.models import Seller
from clausier.sellers.services import upsert_seller
from clausier.terms.seeding import publish_seed_terms
from clausier.terms.seeds import load_seed

SELLER_FIELDS = frozenset(
    f.name
    for f in Seller._meta.get_fields()
    if getattr(f, "editable", False) and f.name not in {"id", "slug", "created_at", "updated_at"}
)


@transaction.atomic
def install_seed(*, slug: str, by: Actor, overrides: dict | None = None) -> Seller:
    """Create or refresh the seller ``slug`` and publish each terms version of its seed
    (:func:`clausier.terms.seeding.publish_seed_terms` says which versions it leaves alone)."""
    seed = load_seed(slug)
    fields = {k: v for k, v in seed.seller.items() if k in SELLER_FIELDS} | (overrides or {})
    seller = upsert_seller(slug=seed.slug, fields=fields, by=by)
    publish_seed_terms(seller=seller, seed=seed, by=by)
    return seller
