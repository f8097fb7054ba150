"""The token's seller's catalog: products and services with dated price versions.

Prices are HT with 4 decimals at most (metered offers cost fractions of a cent); the TTC
figure is HT × (1 + VAT rate) rounded half up to the cent (4 decimals for a sub-cent price).
A price is never edited: ``POST /catalog/products/{id}/prices`` adds a version taking effect
on a date, today or later, after the latest one.
"""

from __future__ import annotations

from ninja import Query, Router, Status

from clausier.catalog import selectors, services
from clausier.catalog.schemas import (
    PriceIn,
    PriceVersionOut,
    ProductDetailOut,
    ProductIn,
    ProductPage,
    ProductPatch,
)
from clausier.rules.money import VatRegime
from clausier.web.api import Paging, Text, responses, today_in_paris, token_of

router = Router(tags=["catalog"])


def _detail(request, product_id: int):
    seller = token_of(request).seller
    product = selectors.product_for_seller(seller=seller, product_id=product_id)
    product.prices = list(product.price_versions.all())
    for version in product.prices:
        version.product = product  # TTC of each version uses the product's rate, no query
    product.shows_ttc = selectors.shows_ttc(seller=seller)
    product.vat_mention = VatRegime(seller.vat_regime).mention
    return product


# --- routes ---------------------------------------------------------------------------------


@router.get(
    "/products",
    response=responses({200: ProductPage}, 422),
    summary="List products (paginated)",
    description="`active`: true for the catalog in force, false for archived products; "
    "both when absent. `q` searches code, name and description.",
)
def list_products(
    request,
    paging: Query[Paging],
    active: bool | None = None,
    q: Text = "",
):
    products = selectors.products_for_seller(
        seller=token_of(request).seller,
        active_only=active is True,
        archived_only=active is False,
        q=q.strip(),
        on=today_in_paris(),
    )
    return paging.page(products)


@router.post(
    "/products",
    response=responses({201: ProductDetailOut}, 400, 422),
    summary="Create a product with its first price",
    description="`effective_from` (of the first price) defaults to today in Europe/Paris; "
    "`vat_rate` defaults to 0 under the 293 B franchise, 0.20 otherwise.",
)
def create_product(request, payload: ProductIn):
    token = token_of(request)
    fields = payload.model_dump(exclude_unset=True)
    price = fields.pop("unit_price_ht")
    effective_from = fields.pop("effective_from", None) or today_in_paris()
    product = services.create_product(
        seller=token.seller, fields=fields, price_ht=price, effective_from=effective_from, by=token
    )
    return Status(201, _detail(request, product.pk))


@router.get(
    "/products/{product_id}",
    response=responses({200: ProductDetailOut}, 404),
    summary="A product, its price history and its current price HT and TTC",
)
def get_product(request, product_id: int):
    return _detail(request, product_id)


@router.patch(
    "/products/{product_id}",
    response=responses({200: ProductDetailOut}, 400, 404, 422),
    summary="Update some fields of a product (not its price)",
)
def update_product(request, product_id: int, payload: ProductPatch):
    product = selectors.product_for_seller(seller=token_of(request).seller, product_id=product_id)
    services.update_product(
        product=product, fields=payload.model_dump(exclude_unset=True), by=token_of(request)
    )
    return _detail(request, product_id)


@router.post(
    "/products/{product_id}/prices",
    response=responses({201: PriceVersionOut}, 400, 404, 422),
    summary="Change the price: a new price version from a date on",
    description="The date is today or later, after the latest version's; a version is never "
    "edited, so documents that used an earlier price keep it.",
)
def add_price(request, product_id: int, payload: PriceIn):
    product = selectors.product_for_seller(seller=token_of(request).seller, product_id=product_id)
    version = services.change_price(
        product=product,
        unit_price_ht=payload.unit_price_ht,
        effective_from=payload.effective_from,
        by=token_of(request),
    )
    return Status(201, version)
