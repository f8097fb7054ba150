"""Installs a seed seller and its terms from the data in ``terms/seeds/`` through the
services, so that seeds are validated and audited like any other write. Idempotent."""

from __future__ import annotations

from django.db import transaction

from clausier.kernel.errors import Conflict
from clausier.sellers.models import Seller
from clausier.sellers.services import upsert_seller
from clausier.terms import services
from clausier.terms.models import TermsStatus, TermsVersion
from clausier.terms.seeds import load_seed

SELLER_FIELDS = frozenset(
    f.name
    for f in Seller._meta.get_fields()
    if getattr(f, "editable", False) and f.name not in {"id", "slug", "created_at", "updated_at"}
)


@transaction.atomic
def install_seed(*, slug: str, by, overrides: dict | None = None) -> Seller:
    """Create or refresh the seller ``slug`` and publish each terms version of its seed.

    A version already published with the same text is left alone; one published with a
    different text is a conflict (published terms never change: the seed needs a new label).
    """
    seed = load_seed(slug)
    fields = {k: v for k, v in seed.seller.items() if k in SELLER_FIELDS} | (overrides or {})
    seller = upsert_seller(slug=seed.slug, fields=fields, by=by)
    for data in seed.versions:
        existing = TermsVersion.objects.filter(seller=seller, label=data.label).first()
        if existing is not None:
            if existing.status == TermsStatus.DRAFT:
                raise Conflict(
                    f"Un brouillon CGV {data.label} existe déjà chez {seller} : publiez-le ou "
                    "renommez-le avant de charger les CGV d'origine."
                )
            if existing.text_sha256 != services.text_hash(text=data.text):
                raise Conflict(
                    f"CGV {data.label} de {seller} est déjà publiée avec un autre texte : "
                    "donnez un nouveau numéro de version au texte modifié."
                )
            continue
        version = services.create_draft(
            seller=seller,
            label=data.label,
            title=data.title,
            effective_date=data.effective_date,
            text=data.text,
            by=by,
        )
        for position, clause in enumerate(data.clauses):
            fields = {k: v for k, v in clause.items() if k in services.CLAUSE_FIELDS}
            services.add_clause(version=version, fields=fields | {"position": position}, by=by)
        services.publish_version(version=version, by=by)
    return seller
