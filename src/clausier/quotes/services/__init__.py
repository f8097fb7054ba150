"""Writes on quotes: drafting, sending, revising, the three ways of accepting, refusal,
withdrawal and expiry. Keyword-only, atomic, row-locked, audited.

A quote is editable while it is a draft. Sending takes its number (gapless, in the
transaction), names the seller's terms version in force and copies into the quote everything
it shows: payment and deposit clauses with their parameters, VAT regime, line amounts and
totals with their explanation, the parties. From then on nothing on it changes: a change is a
new revision (:func:`revise_quote`).

Acceptance (art. 3 of the agency's terms) records two pieces of evidence in one transaction:
a terms :class:`~clausier.terms.models.Acceptance` of the version the quote names (the
:class:`~clausier.quotes.events.QuoteTermsAccepted` fact, which ``terms.handlers`` answers),
and the :class:`~clausier.quotes.models.QuoteAcceptance` of the quote pointing at it; then the
quote becomes an order (the :class:`~clausier.quotes.events.QuoteAccepted` fact, which
``orders.handlers.open_from_quote`` answers).

Every service takes ``now`` (an aware datetime, default: the current time) so the boundary of
a validity day is testable without freezing the clock.
"""

from clausier.quotes.services.acceptance import (
    ParsedEmail,
    accept_quote_online,
    parse_consent_email,
    record_email_acceptance,
    record_postal_acceptance,
)
from clausier.quotes.services.confidentiality import set_confidentiality
from clausier.quotes.services.drafts import (
    add_attachment,
    add_line,
    create_quote,
    delete_draft,
    delete_line,
    remove_attachment,
    set_lines,
    update_line,
    update_quote,
)
from clausier.quotes.services.sending import (
    expire_overdue_quotes,
    expire_quote,
    refuse_quote,
    revise_quote,
    send_quote,
    withdraw_quote,
)
from clausier.quotes.services.support import (
    LINE_FIELDS,
    NUMBER_SERIES,
    QUOTE_FIELDS,
    SHA256_RE,
    AcceptedQuote,
    IncompleteEvidence,
    QuoteFrozen,
    QuoteNotAcceptable,
)

__all__ = [
    "LINE_FIELDS",
    "NUMBER_SERIES",
    "QUOTE_FIELDS",
    "SHA256_RE",
    "AcceptedQuote",
    "IncompleteEvidence",
    "ParsedEmail",
    "QuoteFrozen",
    "QuoteNotAcceptable",
    "accept_quote_online",
    "add_attachment",
    "add_line",
    "create_quote",
    "delete_draft",
    "delete_line",
    "expire_overdue_quotes",
    "expire_quote",
    "parse_consent_email",
    "record_email_acceptance",
    "record_postal_acceptance",
    "refuse_quote",
    "remove_attachment",
    "revise_quote",
    "send_quote",
    "set_confidentiality",
    "set_lines",
    "update_line",
    "update_quote",
    "withdraw_quote",
]
