"""Meters and their dated prices, validated before they are written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from clausier.audit.services import record_on
from clausier.catalog.models import Product
from clausier.kernel.actor import Actor
from clausier.metering.models import Meter, MeterPrice
from clausier.sellers.models import Seller


@transaction.atomic
def create_meter(
    *,
    seller: Seller,
    code: str,
    name: str,
    unit: str,
    aggregation: str,
    by: Actor,
    unique_property: str = "",
    filters: dict | None = None,
    allow_negative: bool = False,
) -> Meter:
    meter = Meter(
        seller=seller,
        code=code,
        name=name,
        unit=unit,
        aggregation=aggregation,
        unique_property=unique_property,
        filters=filters or {},
        allow_negative=allow_negative,
    )
    meter.full_clean()
    meter.save(force_insert=True)
    record_on(
        obj=meter,
        actor=by,
        verb="meter.created",
        after={"code": code, "unit": unit, "aggregation": aggregation},
    )
    return meter


def _as_json(tiers):
    """``(up_to, unit_price)`` pairs as JSON keeps them exactly: decimals as text."""
    if not isinstance(tiers, list | tuple):
        return tiers
    return [
        [None if tier[0] is None else str(tier[0]), str(tier[1])]
        if isinstance(tier, list | tuple) and len(tier) == 2
        else tier
        for tier in tiers
    ]


@transaction.atomic
def add_meter_price(
    *,
    meter: Meter,
    effective_from: date,
    scheme: str,
    tiers: list,
    by: Actor,
    offer: Product | None = None,
    package_size: int | None = None,
    free_allowance: Decimal = Decimal(0),
    minimum: Decimal = Decimal(0),
) -> MeterPrice:
    """A new price version of ``meter`` from ``effective_from`` (a revision never edits an
    earlier version)."""
    price = MeterPrice(
        meter=meter,
        offer=offer,
        effective_from=effective_from,
        scheme=scheme,
        tiers=_as_json(tiers),
        package_size=package_size,
        free_allowance=free_allowance,
        minimum=minimum,
    )
    price.full_clean()
    price.save(force_insert=True)
    record_on(
        obj=meter,
        actor=by,
        verb="meter.price_added",
        after={"effective_from": effective_from.isoformat(), "scheme": scheme},
    )
    return price
