"""The withdrawal API's bodies."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema

from clausier.web.api import Input


class WithdrawalOut(Schema):
    """A withdrawal and its decision, every figure with its explanation (``Explained`` JSON:
    value, rule, law, clause, terms, inputs, steps), amounts as decimal strings."""

    id: int
    order_id: int
    order_reference: str
    client_id: int
    channel: str
    received_on: date
    status: str = Field(description="`accepted` or `refused`")
    reason_code: str = Field(description="`in_time`, `early_start`, `late`, `fully_performed`")
    reasons: list[str]
    period_end: date
    period_explanation: dict[str, Any]
    amount_owed: str = Field(description="What the consumer owes after an early start (L221-25)")
    amount_explanation: dict[str, Any] | None
    received_total: str
    refund_amount: str
    refund_status: str = Field(
        description="`none`, `owed`, `sent` or `settled`: payments' refunds of the order"
    )
    refund_due_on: date | None
    refund_explanation: dict[str, Any] | None
    refund_sent_on: date | None
    refund_days_late: int
    acknowledged_at: datetime | None


class WithdrawalPage(Schema):
    count: int
    items: list[WithdrawalOut]


class WithdrawalIn(Input):
    """A withdrawal the seller received by e-mail or by post, on ``received_on``."""

    order_id: int
    channel: Literal["email", "post"]
    received_on: date
    statement: str = ""
    consumer_name: str = ""
    consumer_address: str = ""
