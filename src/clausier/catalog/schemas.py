"""The API's bodies for the catalog (django-ninja schemas)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from clausier.catalog import domain
from clausier.catalog.models import PriceUnit, ProductKind
from clausier.web.api import Input

ProductKindName = Literal[tuple(ProductKind.values)]  # type: ignore[valid-type]
PriceUnitName = Literal[tuple(PriceUnit.values)]  # type: ignore[valid-type]


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
        # The unit in the answer's language (a document freezes the French label).
        return domain.unit_words(obj.unit, obj.metered_unit)

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
