"""Facts collections publishes about a client's standing (seed 002 art. 6): suspended for
non-payment, and resumed. Customers keeps the state (quotes and orders read it there), the
webhooks tell the running services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from clausier.kernel.actor import Actor


@dataclass(frozen=True)
class ClientSuspended:
    """Staff suspended ``client_id`` for non-payment: work suspended, new orders deferred;
    ``clause_cited`` names the clause (« art. 6 CGV v3.0 »); ``services``: the payload of each
    running service, told ``service.suspend``."""

    client_id: int
    seller_id: int
    suspension_id: int
    clause_cited: str
    at: datetime
    by: Actor
    services: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class ClientResumed:
    """The suspension of ``client_id`` was lifted (``reason``: settled, or staff); each
    running service is told ``service.resume``."""

    client_id: int
    seller_id: int
    suspension_id: int
    reason: str
    at: datetime
    by: Actor
    services: tuple[dict[str, Any], ...] = ()
