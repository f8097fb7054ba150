"""Writes of collections: accruals (:func:`update_accrual`), waivers (:func:`waive`) and the
penalty invoice (:func:`bill_penalties`, :func:`bill_when_paid`). Each is one transaction
that locks the late invoice's row and records an audit event."""

from clausier.collections.services.accruals import update_accrual
from clausier.collections.services.billing import (
    bill_penalties,
    bill_when_paid,
    penalty_lines,
    record_penalty_invoice,
)
from clausier.collections.services.settings import set_penalty_invoicing
from clausier.collections.services.waivers import net_of, net_owed, waive

__all__ = [
    "bill_penalties",
    "bill_when_paid",
    "net_of",
    "net_owed",
    "penalty_lines",
    "record_penalty_invoice",
    "set_penalty_invoicing",
    "update_accrual",
    "waive",
]
