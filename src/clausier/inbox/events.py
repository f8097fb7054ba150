"""The facts the inbox publishes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MessageReceived:
    """A message to one of the seller's mailboxes was received and parsed. Automatic ones
    too (``InboundMessage.automatic``): the consumer never answers those."""

    seller_id: int
    message_id: int
