"""Reads of the catalog, scoped to a seller. Another seller's product is a 404."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from clausier.catalog import domain, services
from clausier.catalog.models import PriceVersion, Product
from clausier.rules.money import VatRegime
from clausier.sellers.models import Seller
from clausier.terms.models import Clause, TermsStatus
from clausier.terms.schemas import ClauseKind


def with_current_price(products: QuerySet[Product], *, on: date | None = None) -> QuerySet:
    """``products`` annotated with the version in force on ``on`` (today by default):
    ``current_price_ht``, ``current_price_from``, ``current_price_version_id`` (all None when
    no version is in force yet). One subquery per column, in the same query: no N+1."""
    in_force = PriceVersion.objects.filter(
        product=OuterRef("pk"), effective_from__lte=on or services.today()
    ).order_by("-effective_from")
    return products.annotate(
        current_price_ht=Subquery(in_force.values("unit_price_ht")[:1]),
        current_price_from=Subquery(in_force.values("effective_from")[:1]),
        current_price_version_id=Subquery(in_force.values("pk")[:1]),
    )


def products_for_seller(
    *,
    seller: Seller,
    active_only: bool = True,
    archived_only: bool = False,
    q: str = "",
    on: date | None = None,
) -> QuerySet[Product]:
    """The seller's products with their current price (see :func:`with_current_price`).

    ``active_only`` hides archived products; ``archived_only`` shows only them; ``q`` searches
    the code, the name and the description.
    """
    products = Product.objects.filter(seller=seller)
    if archived_only:
        products = products.filter(active=False)
    elif active_only:
        products = products.filter(active=True)
    if q:
        products = products.filter(
            Q(code__icontains=q) | Q(name__icontains=q) | Q(description__icontains=q)
        )
    return with_current_price(products, on=on)


def product_for_seller(*, seller: Seller, product_id: int, on: date | None = None) -> Product:
    """One product of ``seller``, archived or not, with its current price and its price
    history (``price_versions``, oldest first); 404 for anyone else's."""
    return get_object_or_404(
        with_current_price(Product.objects.filter(seller=seller, pk=product_id), on=on)
        .select_related("seller")
        .prefetch_related(
            Prefetch(
                "price_versions",
                queryset=PriceVersion.objects.select_related("created_by").order_by(
                    "effective_from"
                ),
            )
        )
    )


def products_by_code(
    *, seller: Seller, codes: Iterable[Any], active_only: bool = False
) -> dict[str, Product]:
    """The seller's products whose code is among ``codes`` (other values ignored), by code,
    with their price versions loaded for :func:`price_in_force`: two queries, whatever the
    number of lines. ``active_only`` leaves out archived products (no longer sold online)."""
    products = Product.objects.filter(
        seller=seller, code__in={code for code in codes if isinstance(code, str)}
    )
    if active_only:
        products = products.filter(active=True)
    return {product.code: product for product in products.prefetch_related("price_versions")}


def price_in_force(*, product: Product, on: date) -> domain.PriceQuote:
    """The price of ``product`` on ``on``, as a document freezes it.

    Raises :class:`~clausier.catalog.domain.NoPriceInForce` naming the date when no version
    has taken effect yet.
    """
    version = domain.price_on(product.price_versions.all(), on)
    return domain.quote_price(product=product, version=version)


def shows_ttc(*, seller: Seller) -> bool:
    """Whether the seller states its prices TTC too: its published terms say so in the
    ``pricing`` clause (``"shown": ["HT", "TTC"]``, seed 000 art. 3). Without such a clause,
    a seller that charges VAT shows TTC; under the 293 B franchise TTC is the HT price."""
    clause = (
        Clause.objects.filter(
            version__seller=seller,
            version__status=TermsStatus.PUBLISHED,
            kind=ClauseKind.PRICING,
        )
        .order_by("-version__effective_date", "-version__id")
        .values_list("parameters", flat=True)
        .first()
    )
    if isinstance(clause, dict) and isinstance(clause.get("shown"), list):
        return "TTC" in clause["shown"]
    return VatRegime(seller.vat_regime).charges_vat
