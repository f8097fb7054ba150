"""Writes on the catalog: validated, atomic, locked, audited.

A price is never edited: :func:`change_price` adds a :class:`PriceVersion` taking effect on a
date, so that what was in force on any past day stays what it was, and the documents that
froze a version keep pointing at an unchanged row.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.audit.services import diff, record_on
from clausier.catalog import domain
from clausier.catalog.models import PriceVersion, Product
from clausier.kernel.actor import Actor
from clausier.kernel.errors import only_fields
from clausier.kernel.inputs import vat_rate_error
from clausier.sellers.models import Seller

CREATE_FIELDS = frozenset(
    {
        "code",
        "name",
        "description",
        "kind",
        "unit",
        "metered_unit",
        "is_fee",
        "vat_rate",
        "active",
        "guarantees",
        "options",
    }
)
# The code identifies the product to integrations and meters, the unit gives its prices their
# meaning: neither changes once prices exist (a new unit is a new product). Prices change
# through change_price only.
UPDATE_FIELDS = CREATE_FIELDS
FROZEN_FIELDS = frozenset({"code", "unit"})


def today() -> date:
    """Today in the project's time zone (Europe/Paris): price dates are French dates."""
    return timezone.localdate()


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(domain.tidy(value))
    if isinstance(value, date):
        return value.isoformat()
    return value


def _validate(product: Product, *, exclude_unique: bool = False) -> None:
    """``full_clean`` plus the catalog's own rules, every error named by its field.

    Constraints are checked here by field (a unique (seller, code) pair reported on ``code``)
    and kept in the database as a backstop.
    """
    errors: dict[str, list[str]] = {}
    try:
        product.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    if "vat_rate" not in errors and product.vat_rate is not None:
        problem = domain.vat_rate_for_regime_problem(
            regime=product.seller.vat_regime, rate=Decimal(product.vat_rate)
        )
        if problem or (
            problem := vat_rate_error(
                Decimal(product.vat_rate), postal_code=product.seller.postal_code
            )
        ):
            errors["vat_rate"] = [problem]
    if "unit" not in errors and "metered_unit" not in errors:
        problem = domain.metered_unit_problem(unit=product.unit, metered_unit=product.metered_unit)
        if problem:
            errors["metered_unit"] = [problem]
    if not exclude_unique and "code" not in errors:
        taken = Product.objects.filter(seller_id=product.seller_id, code=product.code)
        if product.pk:
            taken = taken.exclude(pk=product.pk)
        if taken.exists():
            errors["code"] = [
                _("Le code « %(code)s » est déjà utilisé par un autre produit.")
                % {"code": product.code}
            ]
    if errors:
        raise ValidationError(errors)


def _price_version(
    *, product: Product, unit_price_ht: Any, effective_from: Any, by
) -> tuple[PriceVersion, dict[str, list[str]]]:
    """An unsaved price version and the errors of its own fields (none when valid)."""
    is_user = getattr(by, "is_authenticated", False)
    version = PriceVersion(
        product=product,
        unit_price_ht=unit_price_ht,
        effective_from=effective_from,
        created_by=by if is_user else None,
        created_by_label=(by.get_username() if is_user else str(by or "système"))[:200],
    )
    errors: dict[str, list[str]] = {}
    try:
        version.full_clean(exclude={"product"}, validate_constraints=False)
    except ValidationError as exc:
        errors = exc.message_dict
    if "unit_price_ht" not in errors and (
        problem := domain.unit_price_problem(version.unit_price_ht)
    ):
        errors["unit_price_ht"] = [problem]
    return version, errors


@transaction.atomic
def create_product(
    *, seller: Seller, fields: dict[str, Any], price_ht: Any, effective_from: date, by: Actor
) -> Product:
    """A new product of ``seller`` with its first price version.

    Without ``vat_rate`` the product gets the seller's default: 0 under the 293 B franchise,
    20 % otherwise. The first price may take effect on any date (a product sold before it was
    entered in clausier); later ones go through :func:`change_price`.
    """
    fields = only_fields(fields, CREATE_FIELDS)
    product = Product(seller=seller, **fields)
    if "vat_rate" not in fields:
        product.vat_rate = domain.default_vat_rate(seller.vat_regime)
    version, errors = _price_version(
        product=product, unit_price_ht=price_ht, effective_from=effective_from, by=by
    )
    try:
        _validate(product)
    except ValidationError as exc:
        errors = exc.message_dict | errors
    if errors:
        raise ValidationError(errors)
    product.save()
    version.product = product
    version.save()
    record_on(
        obj=product,
        actor=by,
        verb="product.created",
        after={name: _jsonable(getattr(product, name)) for name in sorted(CREATE_FIELDS)}
        | {
            "unit_price_ht": _jsonable(version.unit_price_ht),
            "effective_from": _jsonable(version.effective_from),
            "price_version_id": version.pk,
        },
    )
    return product


def _lock(product: Product) -> Product:
    return Product.objects.select_for_update().select_related("seller").get(pk=product.pk)


@transaction.atomic
def update_product(*, product: Product, fields: dict[str, Any], by: Actor) -> Product:
    """Change the description of a product (not its prices: :func:`change_price`)."""
    product = _lock(product)
    before, after = diff(instance=product, fields=only_fields(fields, UPDATE_FIELDS))
    frozen = sorted(FROZEN_FIELDS & set(after))
    if frozen:
        raise ValidationError(
            {
                name: _(
                    "Ne change pas une fois le produit créé (il identifie le produit et donne "
                    "leur sens à ses prix) : créez un nouveau produit."
                )
                for name in frozen
            }
        )
    if not after:
        return product
    for name in after:
        setattr(product, name, fields[name])
    _validate(product, exclude_unique=True)
    product.save()
    verb = "product.updated"
    if set(after) == {"active"}:
        verb = "product.restored" if product.active else "product.archived"
    record_on(obj=product, actor=by, verb=verb, before=before, after=after)
    return product


def archive_product(*, product: Product, by: Actor) -> Product:
    """Withdraw a product from the catalog; its prices and the documents using them stay."""
    return update_product(product=product, fields={"active": False}, by=by)


def restore_product(*, product: Product, by: Actor) -> Product:
    return update_product(product=product, fields={"active": True}, by=by)


@transaction.atomic
def change_price(
    *, product: Product, unit_price_ht: Any, effective_from: date, by: Actor
) -> PriceVersion:
    """A new price version of ``product`` from ``effective_from`` on.

    Refused (ValidationError naming ``effective_from``) on a date an existing version starts,
    before the latest version, or in the past: a price change never rewrites what was in
    force. The product row is locked so that two changes cannot interleave.
    """
    product = _lock(product)
    version, errors = _price_version(
        product=product, unit_price_ht=unit_price_ht, effective_from=effective_from, by=by
    )
    if "effective_from" not in errors:
        problem = domain.new_price_date_problem(
            effective_from=version.effective_from,
            existing=product.price_versions.values_list("effective_from", flat=True),
            today=today(),
        )
        if problem:
            errors["effective_from"] = [problem]
    if errors:
        raise ValidationError(errors)
    previous = product.price_versions.order_by("-effective_from").first()
    version.save()
    record_on(
        obj=product,
        actor=by,
        verb="product.price_changed",
        before={
            "unit_price_ht": _jsonable(previous.unit_price_ht),
            "effective_from": _jsonable(previous.effective_from),
            "price_version_id": previous.pk,
        }
        if previous
        else None,
        after={
            "unit_price_ht": _jsonable(version.unit_price_ht),
            "effective_from": _jsonable(version.effective_from),
            "price_version_id": version.pk,
        },
    )
    return version
