"""Invoice lines: read, priced from the catalogue or typed freely, totalled and saved."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clausier.catalog import pricing
from clausier.catalog import selectors as catalog_selectors
from clausier.catalog.models import ProductKind
from clausier.catalog.units import Unit
from clausier.invoicing import domain
from clausier.invoicing.models import (
    Invoice,
    InvoiceLine,
)
from clausier.kernel.inputs import exact_decimal, negative_price_error, vat_rate_error
from clausier.rules.money import ZERO, VatRegime
from clausier.sellers.models import Seller

# --- lines ------------------------------------------------------------------------------------

FREE_LINE_KEYS = frozenset(
    {"description", "quantity", "unit", "unit_label", "unit_price", "vat_rate", "discount", "goods"}
)
CATALOG_LINE_KEYS = frozenset({"product_code", "quantity", "description", "discount"})


def _read_line(position: int, item: Any, errors: dict[str, str]) -> dict[str, Any] | None:
    """The quantity and discount of one line, read exactly; None when it is no object."""
    key = f"lines[{position}]"
    if not isinstance(item, dict):
        errors[key] = _("une ligne est un objet")
        return None
    allowed = CATALOG_LINE_KEYS if "product_code" in item else FREE_LINE_KEYS
    pricing.refuse_unknown_fields(item, allowed=allowed, key=key, errors=errors)
    values: dict[str, Any] = {"quantity": pricing.read_quantity(item, key=key, errors=errors)}
    try:
        values["discount"] = exact_decimal(item.get("discount", ZERO), what=_("remise"))
    except ValueError as exc:
        errors[f"{key}.discount"] = str(exc)
    return values


def _catalog_line(priced: pricing.Priced, item: dict[str, Any]) -> InvoiceLine:
    price = priced.price
    return InvoiceLine(
        position=priced.position,
        product_code=price.product_code,
        description=(item.get("description") or price.label),
        unit=price.unit,
        unit_label=price.unit_label,
        unit_price=price.unit_price_ht,
        vat_rate=price.vat_rate,
        is_goods=priced.product.kind == ProductKind.GOODS,
        price_version_id=price.price_version_id,
    )


def _free_line(
    position: int,
    item: dict[str, Any],
    *,
    charges_vat: bool,
    errors: dict[str, str],
    postal_code: str = "",
) -> InvoiceLine:
    key = f"lines[{position}]"
    values: dict[str, Any] = {}
    for name, what in (("unit_price", _("prix unitaire HT")), ("vat_rate", _("TVA"))):
        if name == "vat_rate" and name not in item and not charges_vat:
            values[name] = ZERO
            continue
        if name == "vat_rate" and name not in item:
            errors[f"{key}.vat_rate"] = _("indiquez le taux de TVA de la ligne (0.20 pour 20 %)")
            continue
        try:
            values[name] = exact_decimal(item.get(name), what=what)
        except ValueError as exc:
            errors[f"{key}.{name}"] = str(exc)
    if values.get("unit_price", ZERO) < 0:
        errors[f"{key}.unit_price"] = negative_price_error()
    if "vat_rate" in values and (
        problem := vat_rate_error(values["vat_rate"], postal_code=postal_code)
    ):
        errors[f"{key}.vat_rate"] = problem
    return InvoiceLine(
        position=position,
        description=str(item.get("description") or "").strip(),
        unit=item.get("unit") or Unit.UNIT,
        unit_label=str(item.get("unit_label") or ""),
        unit_price=values.get("unit_price", ZERO),
        vat_rate=values.get("vat_rate", ZERO),
        is_goods=bool(item.get("goods", False)),
    )


def build_lines(*, seller: Seller, lines: Any, on: date, charges_vat: bool) -> list[InvoiceLine]:
    """Unsaved lines from ``lines``: ``{"product_code", "quantity"}`` priced from the catalog
    on ``on`` (label, unit, unit price HT, VAT rate, price version; ``catalog.pricing``), or
    free lines ``{"description", "quantity", "unit", "unit_price", "vat_rate"}``. Every problem
    is collected into one ValidationError keyed ``lines[i].<field>``."""
    if not isinstance(lines, list) or not lines:
        raise ValidationError({"lines": _("une facture compte au moins une ligne")})
    errors: dict[str, str] = {}
    read = [_read_line(position, item, errors) for position, item in enumerate(lines)]
    wanted = [
        pricing.Wanted(position=position, code=item["product_code"], quantity=values["quantity"])
        for position, (item, values) in enumerate(zip(lines, read, strict=True))
        if values is not None and "product_code" in item
    ]
    priced = {
        line.position: line
        for line in pricing.price_lines(
            wanted,
            products=catalog_selectors.products_by_code(
                seller=seller, codes=[line.code for line in wanted]
            ),
            on=on,
            unknown_product=lambda code: (
                _("aucun produit « %(code)s » au catalogue") % {"code": code}
            ),
            errors=errors,
        )
    }
    built: list[InvoiceLine] = []
    for position, (item, values) in enumerate(zip(lines, read, strict=True)):
        if values is None or ("product_code" in item and position not in priced):
            continue
        if "product_code" in item:
            line = _catalog_line(priced[position], item)
        else:
            line = _free_line(
                position,
                item,
                charges_vat=charges_vat,
                errors=errors,
                postal_code=seller.postal_code if seller.country == "FR" else "",
            )
        line.quantity = values["quantity"] or ZERO
        line.discount = values.get("discount", ZERO)
        key = f"lines[{position}]"
        if pricing.model_errors(line, key=key, exclude=["invoice", "price_version"], errors=errors):
            built.append(line)
    if errors:
        raise ValidationError(pricing.line_order(errors))
    return built


def priced_totals(*, lines: list[InvoiceLine], regime: VatRegime) -> domain.Totals:
    try:
        figures = domain.totals([line.facts() for line in lines], regime)
    except domain.InvoiceRuleError as exc:
        raise ValidationError({"lines": str(exc)}) from None
    for line, document_line in zip(lines, figures.lines, strict=True):
        line.amount_ht = document_line.total_ht
    return figures


def set_draft_totals(*, invoice: Invoice, figures: domain.Totals) -> None:
    invoice.total_ht = figures.total_ht
    invoice.total_vat = figures.total_vat
    invoice.total_ttc = figures.total_ttc
    invoice.amount_due = figures.total_ttc


def save_lines(*, invoice: Invoice, lines: list[InvoiceLine]) -> None:
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)


def line_summary(*, line: InvoiceLine) -> dict[str, str]:
    return {
        "description": line.description[:200],
        "quantity": str(line.quantity),
        "unit_price": str(line.unit_price),
        "vat_rate": str(line.vat_rate),
        "amount_ht": str(line.amount_ht),
    }
