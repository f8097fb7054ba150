"""The bodies of the metering API."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class RejectedOut(Schema):
    index: int
    id: str | None
    reason: str


class IngestOut(Schema):
    accepted: int
    duplicates: int
    rejected: list[RejectedOut]


class SubscriptionOut(Schema):
    id: int
    external_id: str
    client_id: int
    order_id: int
    order_reference: str
    offer: str | None
    started_at: datetime
    billing_period: str
    status: str
    terms_version: str
    allowed_actions: list[str]


class SubscriptionPage(Schema):
    count: int
    items: list[SubscriptionOut]


# The request body of ``POST /events``, as documented (the router reads the body itself so
# that each event is checked on its own).
EVENTS_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "array",
                    "maxItems": 10_000,
                    "items": {
                        "type": "object",
                        "required": ["id", "meter", "timestamp"],
                        "properties": {
                            "id": {"type": "string"},
                            "subscription": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                            "client": {"type": "integer"},
                            "meter": {"type": "string"},
                            "timestamp": {"type": "string", "format": "date-time"},
                            "value": {"oneOf": [{"type": "number"}, {"type": "string"}]},
                            "properties": {"type": "object"},
                        },
                    },
                }
            }
        },
    }
}
