"""Facts the orders domain publishes (:func:`clausier.kernel.events.publish`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clausier.kernel.actor import Actor


@dataclass(frozen=True)
class DepositRequested:
    """An order opened from a quote asks for a deposit (seed 002 art. 5): it is invoiced at
    once; an invoice that must wait stays a draft and the acceptance holds."""

    order_id: int
    deposit_request_id: int
    seller_id: int
    at: datetime
    by: Actor


@dataclass(frozen=True)
class OrderCancelled:
    """An order was cancelled: what remains of its issued invoices must be credited (an
    issued invoice is never deleted), or the cancellation is refused."""

    order_id: int
    seller_id: int
    reference: str
    reason: str
    at: datetime
    by: Actor


@dataclass(frozen=True)
class OrderPaid:
    """The payment of an online order was received (seed 000 art. 4: the invoice is then
    issued automatically)."""

    order_id: int
    seller_id: int
    at: datetime
    by: Actor


@dataclass(frozen=True)
class ServiceActivated:
    """A paid online order's service started (seed 000 art. 8); ``payload`` is the order as
    the ``service.activate`` webhook announces it."""

    order_id: int
    seller_id: int
    at: datetime
    payload: dict[str, Any]


@dataclass(frozen=True)
class OrderConfirmedOnline:
    """A client's contact confirmed an order from the portal (seed 000 art. 11: confirming
    accepts the terms of the order); ``by`` is that contact's login, with the request's IP and
    user agent as evidence. The terms domain records the acceptance once per client and
    version."""

    order_id: int
    client_id: int
    version_id: int
    contact_name: str
    at: datetime
    by: Actor
    ip_address: str | None
    user_agent: str
