"""The units a price or a document line is counted in: one enum for every document.

A catalog price, a quote line, an order line and an invoice line all store one of
:class:`Unit`'s values; each model accepts the ones that make sense for it (as its own
subset, below, or all of them). The catalog is the first document stage, so the enum lives
here and the later stages import it.

The labels are the choices' (translated on screen, ``catalog.domain.unit_words``). What a
frozen document prints is the French label ``catalog.domain.unit_label`` gives, whatever the
language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    FLAT = "flat", _("forfait")
    HOUR = "hour", _("heure")
    DAY = "day", _("jour")
    MONTH = "month", _("mois")
    YEAR = "year", _("an")
    UNIT = "unit", _("unité")
    METERED = "metered", _("à la consommation")


# What a catalog price is counted in: a yearly price or a price per unit is not offered (a
# product's unit gives its price versions their meaning, and the document label of each is
# in ``catalog.domain.UNIT_LABELS``).
PRICE_UNITS: Final = (Unit.FLAT, Unit.HOUR, Unit.DAY, Unit.MONTH, Unit.METERED)

# What a quote line is counted in: every unit but metered, as quotes have always accepted
# (the agency's terms, art. 4, price by forfait, heure, journée).
QUOTE_UNITS: Final = (Unit.FLAT, Unit.HOUR, Unit.DAY, Unit.MONTH, Unit.YEAR, Unit.UNIT)


def subset(name: str, members: Iterable[Unit]) -> type[models.TextChoices]:
    """Choices made of some of :class:`Unit`'s members, with their values and labels: a
    model field (and a form or an API schema) that accepts only those. Members compare
    equal to :class:`Unit`'s (``subset(...).FLAT == Unit.FLAT == "flat"``)."""
    return models.TextChoices(
        name, [(unit.name, (unit.value, unit.label)) for unit in members], module=__name__
    )


PriceUnit = subset("PriceUnit", PRICE_UNITS)
QuoteUnit = subset("QuoteUnit", QUOTE_UNITS)
