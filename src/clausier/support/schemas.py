"""The support API's bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from clausier.web.api import Input


class ClockOut(Schema):
    target: str = Field(description="`intervention` (GTI) or `repair` (GTR)")
    deadline: datetime
    met_at: datetime | None
    share: str = Field(description="The share of the target's time used, a decimal string")
    warning: int = Field(description="The highest warning reached: 0, 50, 80 or 100")
    breached: bool


class TicketOut(Schema):
    id: int
    reference: str = Field(description="The public reference, `T-2026-000123`")
    client_id: int
    subscription_id: int | None
    subject: str
    description: str
    channel: str
    severity: str
    suggested_severity: str
    kind: str
    status: str
    opened_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    email_confirmation_expected: bool
    excluded: bool
    clocks: list[ClockOut]


class TicketPage(Schema):
    count: int
    items: list[TicketOut]


class TicketIn(Input):
    client_id: int
    subscription_id: int | None = None
    subject: str = Field(max_length=200)
    description: str = ""
    channel: Literal["email", "phone", "portal", "api", "probe"] = "api"
    severity: Literal["standard", "critical"] = "standard"
    suggested_severity: Literal["", "standard", "critical"] = ""
    kind: Literal["corrective", "evolutive"] = "corrective"


class TransitionIn(Input):
    action: Literal["acknowledge", "start", "wait_client", "resume", "resolve", "close", "reopen"]


class MessageOut(Schema):
    id: int
    author: str
    channel: str
    body: str
    created_at: datetime
    attachments: list[str]


class MessageIn(Input):
    body: str
    author: Literal["agent", "client"] = "agent"
    channel: Literal["email", "phone", "portal", "api"] = "api"
