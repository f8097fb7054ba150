"""Facts the collections domain publishes (:func:`clausier.kernel.events.publish`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clausier.kernel.actor import Actor


@dataclass(frozen=True)
class PenaltiesBilled:
    """The penalties of a late invoice are to be billed: invoicing issues a penalty invoice
    with one line per item (``lines``: dicts of ``description`` and ``amount``, a decimal
    string), outside the scope of VAT, and answers with ``PenaltyInvoiced``."""

    billing_id: int
    late_invoice_id: int
    invoice_id: int  # the late invoice
    seller_id: int
    client_id: int
    lines: tuple[dict, ...]
    at: datetime
    by: Actor
