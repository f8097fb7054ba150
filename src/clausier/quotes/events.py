"""Facts the quotes domain publishes (:func:`clausier.kernel.events.publish`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files import File

from clausier.kernel.actor import Actor


@dataclass(frozen=True)
class QuoteAccepted:
    """A quote was accepted (online, by e-mail or by a postal copy), in the transaction
    that recorded the acceptance: the order it becomes is opened in it too."""

    quote_id: int
    seller_id: int
    at: datetime
    by: Actor


@dataclass(frozen=True)
class QuoteTermsAccepted:
    """Accepting a quote accepts the terms version it was made under, with the same evidence:
    the terms domain records that acceptance in the quote's transaction, before the quote's own
    acceptance points at it (a refusal there, e.g. a withdrawn version, refuses the quote's)."""

    quote_id: int
    client_id: int
    version_id: int
    method: str
    signatory_name: str
    at: datetime
    by: Actor
    accepted_by: Any = None
    ip_address: str | None = None
    user_agent: str = ""
    message_id: str = ""
    evidence_file: File | None = None
