"""The collections API's shapes. Amounts are decimal strings; ``explanation`` is the usual
``Explained`` JSON, its sentences worded in the request's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Schema

from clausier.kernel.wording import worded_explanation


class PenaltiesOut(Schema):
    """What an invoice owes for its lateness on ``on``."""

    invoice_id: int
    number: str
    on: date
    due_date: date
    days_late: int
    base_ht: Decimal
    annual_rate: Decimal | None
    interest: Decimal
    indemnity: Decimal
    total: Decimal
    explanation: dict[str, Any]

    @staticmethod
    def build(*, invoice, owed, due_date: date) -> PenaltiesOut:
        return PenaltiesOut(
            invoice_id=invoice.pk,
            number=invoice.number or "",
            on=owed.on,
            due_date=due_date,
            days_late=owed.days_late,
            base_ht=owed.base_ht,
            annual_rate=owed.annual_rate,
            interest=owed.interest.value,
            indemnity=owed.indemnity.value,
            total=owed.total,
            explanation=worded_explanation(owed.explanation.as_dict()),
        )
