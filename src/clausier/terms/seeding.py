"""Publishes a seed's terms versions (the data in ``terms/seeds/``) for its seller through the
services, so that seeds are validated and audited like any other write. Idempotent.

The seller itself is created by :func:`clausier.demo.seeding.install_seed`, which calls this."""

from __future__ import annotations

from django.db import transaction

from clausier.kernel.actor import Actor
from clausier.kernel.errors import Conflict
from clausier.sellers.models import Seller
from clausier.terms import services
from clausier.terms.models import TermsStatus, TermsVersion
from clausier.terms.seeds import SeedData


@transaction.atomic
def publish_seed_terms(*, seller: Seller, seed: SeedData, by: Actor) -> None:
    """Publish each terms version of ``seed`` for ``seller``.

    A version already published with the same text is left alone; one published with a
    different text is a conflict (published terms never change: the seed needs a new label).
    """
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
