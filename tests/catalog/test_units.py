"""One unit enum for every document: each model accepts its subset, the old names stay."""

from __future__ import annotations

import pytest

from clausier.catalog import domain
from clausier.catalog.models import PriceUnit, Product
from clausier.catalog.units import PRICE_UNITS, QUOTE_UNITS, Unit, subset
from clausier.invoicing.models import InvoiceLine
from clausier.invoicing.models import LineUnit as InvoiceLineUnit
from clausier.orders.models import OrderLine
from clausier.quotes.models import LineUnit as QuoteLineUnit
from clausier.quotes.models import QuoteLine


def choices(model) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in model._meta.get_field("unit").choices]


def of(units) -> list[tuple[str, str]]:
    return [(unit.value, str(unit.label)) for unit in units]


@pytest.mark.parametrize(
    ("model", "units"),
    [(Product, PRICE_UNITS), (QuoteLine, QUOTE_UNITS), (OrderLine, Unit), (InvoiceLine, Unit)],
    ids=["product", "quote line", "order line", "invoice line"],
)
def test_every_unit_field_takes_its_choices_from_the_one_unit_enum(model, units):
    assert choices(model) == of(units)


def test_the_old_names_stay_importable_with_the_values_they_had():
    assert InvoiceLineUnit is Unit
    assert QuoteLineUnit.values == ["flat", "hour", "day", "month", "year", "unit"]
    assert PriceUnit.values == ["flat", "hour", "day", "month", "metered"]
    assert PriceUnit.METERED == Unit.METERED == "metered"
    assert QuoteLineUnit.FLAT.label == Unit.FLAT.label


def test_a_subset_keeps_the_values_and_labels_of_the_enum():
    hours = subset("Hours", [Unit.HOUR, Unit.DAY])
    assert hours.choices == [("hour", Unit.HOUR.label), ("day", Unit.DAY.label)]
    assert hours("day") == Unit.DAY


def test_every_catalog_price_unit_has_its_document_label():
    assert set(domain.UNIT_LABELS) == set(PRICE_UNITS)
    assert domain.unit_label(Unit.MONTH) == "mois"
