"""View-model helpers several screens share, nothing domain-specific."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

SEVERITIES = ("error", "warning", "info")


def finding_counts(findings) -> dict[str, int]:
    """How many findings of each severity (``error``, ``warning``, ``info``), and in all."""
    counts = Counter(f.severity for f in findings)
    return {**{s: counts.get(s, 0) for s in SEVERITIES}, "total": len(findings)}


@dataclass(frozen=True)
class DocumentLine:
    """One row of a document's lines as ``web/_document_lines.html`` shows it, whatever the
    document (quote, order, draft or issued invoice): each screen builds its rows from its own
    lines, the partial lays them out."""

    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal | None  # None: not computed yet (shown "—")
    code: str = ""  # the catalog product code, if any
    vat: str = ""  # the VAT rate as shown ("20 %"), or "—"
    vat_category: str = ""  # a category shown instead of a rate (an issued line not at "S")
    discount_rate: Decimal | None = None  # in percent (10 = 10 %)
    unit_price_ttc: Decimal | None = None

    @property
    def discount_fraction(self) -> Decimal | None:
        return None if self.discount_rate is None else self.discount_rate / 100
