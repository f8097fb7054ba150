"""Collections' pure rules: no ORM, inputs as frozen values, results as ``Explained``."""

from clausier.collections.domain.penalties import (
    LateTerms,
    PenaltiesOwed,
    Settlement,
    annual_rate,
    interest_base,
    penalties_on,
)

__all__ = [
    "LateTerms",
    "PenaltiesOwed",
    "Settlement",
    "annual_rate",
    "interest_base",
    "penalties_on",
]
