"""The token's seller's catalog: products and services with dated price versions.

Prices are HT with 4 decimals at most (metered offers cost fractions of a cent); the TTC
figure is HT × (1 + VAT rate) rounded half up to the cent (4 decimals for a sub-cent price).
A price is never edited: ``POST /catalog/products/{id}/prices`` adds a version taking effect
on a date, today or later, after the latest one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import P, Query, Router, Schema, Status
from pydantic import Field

from clausier.catalog import domain, selectors, services
from clausier.catalog.models import PriceUnit, ProductKind
from clausier.rules.money import VatRegime
from clausier.web.api import Input, responses, today_in_paris, token_of

router = Router(tags=["catalog"])

MAX_LIMIT = 100

ProductKindName = Literal[tuple(ProductKind.values)]  # type: ignore[valid-type]
PriceUnitName = Literal[tuple(PriceUnit.values)]  # type: ignore[valid-type]


# --- bodies ---------------------------------------------------------------------------------


class OptionSchema(Schema):
    code: str
    label: str


class CurrentPriceOut(Schema):
    """The price version in force today (Europe/Paris)."""

    version_id: int
    unit_price_ht: Decimal
    unit_price_ttc: Decimal
    effective_from: date


class ProductOut(Schema):
    id: int
    code: str
    name: str
    description: str
    kind: str
    unit: str
    metered_unit: str
    unit_label: str
    is_fee: bool
    vat_rate: Decimal
    active: bool
    guarantees: list[str]
    options: list[OptionSchema]
    current_price: CurrentPriceOut | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_unit_label(obj) -> str:
        return domain.unit_label(obj.unit, obj.metered_unit)

    @staticmethod
    def resolve_vat_rate(obj) -> Decimal:
        return domain.tidy(obj.vat_rate)

    @staticmethod
    def resolve_current_price(obj) -> dict[str, Any] | None:
        # Annotated by catalog.selectors.with_current_price: no query per product.
        if obj.current_price_version_id is None:
            return None
        ht = domain.tidy(Decimal(obj.current_price_ht))
        return {
            "version_id": obj.current_price_version_id,
            "unit_price_ht": ht,
            "unit_price_ttc": domain.price_ttc(unit_price_ht=ht, vat_rate=obj.vat_rate).value,
            "effective_from": obj.current_price_from,
        }


class ProductPage(Schema):
    count: int
    items: list[ProductOut]


class PriceVersionOut(Schema):
    id: int
    unit_price_ht: Decimal
    unit_price_ttc: Decimal
    effective_from: date
    created_at: datetime
    created_by: str

    @staticmethod
    def resolve_unit_price_ht(obj) -> Decimal:
        return domain.tidy(obj.unit_price_ht)

    @staticmethod
    def resolve_unit_price_ttc(obj) -> Decimal:
        return domain.price_ttc(
            unit_price_ht=domain.tidy(obj.unit_price_ht), vat_rate=obj.product.vat_rate
        ).value

    @staticmethod
    def resolve_created_by(obj) -> str:
        return obj.created_by.get_username() if obj.created_by else obj.created_by_label


class ProductDetailOut(ProductOut):
    """A product with its whole price history (oldest first), whether the seller states its
    prices TTC (its terms' ``pricing`` clause), and the VAT mention documents carry."""

    prices: list[PriceVersionOut]
    shows_ttc: bool
    vat_mention: str


class ProductIn(Input):
    code: str
    name: str
    unit: PriceUnitName
    unit_price_ht: Decimal
    effective_from: date | None = None
    description: str = ""
    kind: ProductKindName = "service"
    metered_unit: str = ""
    is_fee: bool = False
    vat_rate: Decimal | None = None
    active: bool = True
    guarantees: list[str] = Field(default_factory=list)
    options: list[OptionSchema] = Field(default_factory=list)


class ProductPatch(Input):
    """Only the fields sent change; ``null`` is refused. Prices change through
    ``POST /catalog/products/{id}/prices``; ``code`` and ``unit`` never change."""

    code: str = None
    name: str = None
    description: str = None
    kind: ProductKindName = None
    unit: PriceUnitName = None
    metered_unit: str = None
    is_fee: bool = None
    vat_rate: Decimal = None
    active: bool = None
    guarantees: list[str] = None
    options: list[OptionSchema] = None


class PriceIn(Input):
    unit_price_ht: Decimal
    effective_from: date


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
    limit: Query[int, P(ge=1, le=MAX_LIMIT)] = 50,
    offset: Query[int, P(ge=0)] = 0,
    active: bool | None = None,
    q: str = "",
):
    products = selectors.products_for_seller(
        seller=token_of(request).seller,
        active_only=active is True,
        archived_only=active is False,
        q=q.strip(),
        on=today_in_paris(),
    )
    return {"count": products.count(), "items": list(products[offset : offset + limit])}


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
