"""Facts the quotes domain publishes (:func:`clausier.kernel.events.publish`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clausier.kernel.actor import Actor


@dataclass(frozen=True)
class QuoteAccepted:
    """A quote was accepted (online, by e-mail or by a postal copy), in the transaction
    that recorded the acceptance: the order it becomes is opened in it too."""

    quote_id: int
    seller_id: int
    at: datetime
    by: Actor
