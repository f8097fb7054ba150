"""Mail in: mailboxes and received messages, through the inbox's services."""

from __future__ import annotations

from pathlib import Path

from clausier.inbox import services
from clausier.inbox.models import Mailbox
from clausier.sellers.models import Seller

FIXTURES = Path(__file__).resolve().parents[1] / "inbox" / "fixtures"


def eml(name: str) -> bytes:
    """The bytes of ``tests/inbox/fixtures/<name>.eml``."""
    return (FIXTURES / f"{name}.eml").read_bytes()


def make_mailbox(seller: Seller, address: str = "support@hebergeur.test", **fields) -> Mailbox:
    return services.create_mailbox(seller=seller, address=address, by=None, **fields)


def receive(name: str, *, to: str = "support@hebergeur.test", source: str = "pipe"):
    """A fixture message received for ``to``: its :class:`~clausier.inbox.services.Receipt`."""
    return services.receive(raw=eml(name), source=source, recipients=[to], by=None)
