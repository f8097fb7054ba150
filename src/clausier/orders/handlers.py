"""How orders answer other domains' facts (wired in ``clausier/reactions.py``).

Each handler calls an orders service, which locks, checks its state table and writes its own
audit event. Facts of later stages (invoicing) are read by their fields only: orders does not
import them.
"""

from __future__ import annotations

from clausier.audit.triggers import Trigger
from clausier.orders import services
from clausier.quotes.events import QuoteAccepted
from clausier.quotes.models import Quote


def open_from_quote(fact: QuoteAccepted) -> None:
    """An accepted quote becomes an order, in the acceptance's transaction."""
    services.create_order_from_quote(
        quote=Quote.objects.get(pk=fact.quote_id),
        accepted_at=fact.at,
        by=fact.by,
        trigger=Trigger.QUOTE_ACCEPTED,
    )


def mark_deposit_invoiced(fact) -> None:
    """``invoicing.events.DepositInvoiced``: the deposit request moves to ``invoiced``
    (unless it was cashed or cancelled meanwhile: the invoice documents it, the state
    stays)."""
    services.mark_deposit_invoiced(
        deposit_request_id=fact.deposit_request_id,
        invoice_number=fact.number,
        by=fact.by,
        now=fact.at,
    )
