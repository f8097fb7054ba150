"""Pure rating of metered usage: a meter's quantity over a period (:mod:`.aggregation`), its
price under a scheme (:func:`price`, :mod:`.pricing`) and a period rated under the price
versions in force during it (:func:`rate_period`, :mod:`.versions`). No ORM: the services pass
events and price versions in as plain values.
"""

from __future__ import annotations

from clausier.metering.domain.aggregation import (
    AGGREGATIONS,
    COUNT,
    MAX,
    SUM,
    TIME_WEIGHTED,
    UNIQUE_COUNT,
    Event,
    Period,
    aggregate,
)
from clausier.metering.domain.pricing import (
    GRADUATED,
    PACKAGE,
    PER_UNIT,
    SCHEMES,
    VOLUME,
    Scheme,
    Tier,
    price,
    scheme_of,
)
from clausier.metering.domain.versions import (
    PARIS,
    Part,
    PriceVersion,
    Rated,
    rate_period,
    split,
)

__all__ = [
    "AGGREGATIONS",
    "COUNT",
    "GRADUATED",
    "MAX",
    "PACKAGE",
    "PARIS",
    "PER_UNIT",
    "SCHEMES",
    "SUM",
    "TIME_WEIGHTED",
    "UNIQUE_COUNT",
    "VOLUME",
    "Event",
    "Part",
    "Period",
    "PriceVersion",
    "Rated",
    "Scheme",
    "Tier",
    "aggregate",
    "price",
    "rate_period",
    "scheme_of",
    "split",
]
