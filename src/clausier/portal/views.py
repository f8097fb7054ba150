"""The client space. Every view starts from ``portal_contact`` (404 for anyone who is not a
client's contact) and shows only that contact's client and its seller's published terms."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from clausier.customers.access import portal_view, render_portal
from clausier.customers.models import Contact
from clausier.invoicing import selectors as invoice_selectors
from clausier.quotes import selectors as quote_selectors
from clausier.quotes.models import QuoteStatus
from clausier.terms import selectors as terms_selectors
from clausier.terms.ui.forms import accept_form


@portal_view
def home(request: HttpRequest, contact: Contact) -> HttpResponse:
    """The client's home: what it owes, what is late and the next due date (each with the
    invoices behind it), the terms to accept (their form posts to the terms' own page, which
    answers its errors), the acceptances, the quotes waiting for an answer."""
    client = contact.client
    pending = terms_selectors.pending_version_for_client(client=client)
    today = timezone.localdate()
    return render_portal(
        request,
        contact,
        "portal/home.html",
        {
            "acceptances": terms_selectors.acceptances_for_client(client=client),
            "pending": pending,
            "today": today,
            "money": invoice_selectors.client_figures(client=client, today=today),
            "open_quotes": quote_selectors.quotes_for_client(client=client)
            .filter(status=QuoteStatus.SENT)
            .order_by("valid_until", "id"),
            "form": accept_form(contact, pending) if pending is not None else None,
        },
    )
