"""What the quote services share: the field lists, the errors, the lock, the draft check."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.kernel.errors import Conflict, DomainError, Incomplete
from clausier.quotes.models import (
    Quote,
    QuoteAcceptance,
    QuoteStatus,
)

QUOTE_FIELDS = frozenset({"nature", "notes", "requires_deposit", "valid_until"})
LINE_FIELDS = frozenset(
    {"product_code", "description", "quantity", "unit", "unit_price", "vat_rate", "discount"}
)
NUMBER_SERIES = "quote"
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class QuoteFrozen(Conflict):
    """A sent quote never changes: a change is a new revision."""


class QuoteNotAcceptable(DomainError):
    """The quote cannot be accepted (expired, superseded, withdrawn, terms replaced...)."""


class IncompleteEvidence(Incomplete):
    """The evidence of acceptance lacks what the terms require; ``missing`` names it."""


@dataclass(frozen=True)
class AcceptedQuote:
    """What an acceptance produced: the quote (now accepted), its evidence and the order."""

    quote: Quote
    acceptance: QuoteAcceptance

    @property
    def order(self):
        """The order the acceptance opened (``orders.handlers.open_from_quote``)."""
        return self.quote.order


# --- helpers ----------------------------------------------------------------------------


def quote_tz():
    # Validity days end at midnight in the seller's zone, Europe/Paris by default.
    return timezone.get_default_timezone()


def locked_quote(*, quote: Quote) -> Quote:
    return (
        Quote.objects.select_for_update(of=("self",))
        .select_related("seller", "client", "terms_version")
        .get(pk=quote.pk)
    )


def require_draft(*, quote: Quote) -> None:
    if quote.status != QuoteStatus.DRAFT:
        raise QuoteFrozen(
            _(
                "%(quote)s est %(status)s : il ne peut plus être modifié. Pour le changer, créez "
                "une révision du devis."
            )
            % {"quote": quote, "status": quote.get_status_display().lower()}
        )


def locked_draft(*, quote: Quote) -> Quote:
    """``quote`` locked, once it is known to be a draft that may still change."""
    quote = locked_quote(quote=quote)
    require_draft(quote=quote)
    return quote


def file_sha256(*, file: File) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
