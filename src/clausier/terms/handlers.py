"""How terms answer other domains' facts (wired in ``clausier/reactions.py``).

Accepting a quote or confirming an order online accepts terms: each handler records that
acceptance through :func:`clausier.terms.services.record_acceptance` (locked, checked,
audited). Facts of later stages (quotes, orders) are read by their fields only: terms does
not import them.
"""

from __future__ import annotations

from clausier.customers.models import Client
from clausier.terms import selectors, services
from clausier.terms.models import AcceptanceMethod, TermsVersion


def record_quote_terms(fact) -> None:
    """``quotes.events.QuoteTermsAccepted``: the terms version of the quote is accepted with
    the quote's evidence, in the quote's transaction."""
    _accept(
        fact,
        method=fact.method,
        accepted_by_name=fact.signatory_name,
        accepted_by=fact.accepted_by,
        evidence_file=fact.evidence_file,
        message_id=fact.message_id,
    )


def record_online_order_terms(fact) -> None:
    """``orders.events.OrderConfirmedOnline``: the contact's confirmation is the client's
    online acceptance of the order's terms, recorded once per client and version."""
    if selectors.has_accepted(client_id=fact.client_id, version_id=fact.version_id):
        return
    _accept(
        fact,
        method=AcceptanceMethod.CHECKBOX,
        accepted_by_name=fact.contact_name,
        accepted_by=fact.by,
    )


def _accept(fact, **evidence) -> None:
    services.record_acceptance(
        client=Client.objects.select_related("seller").get(pk=fact.client_id),
        version=TermsVersion.objects.get(pk=fact.version_id),
        by=fact.by,
        accepted_at=fact.at,
        ip_address=fact.ip_address,
        user_agent=fact.user_agent,
        **evidence,
    )
