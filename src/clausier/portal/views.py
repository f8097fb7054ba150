"""The client space. Every view starts from ``portal_contact`` (404 for anyone who is not a
client's contact) and shows only that contact's client and its seller's published terms."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from clausier.customers.access import portal_view, render_portal
from clausier.customers.models import Contact
from clausier.quotes import selectors as quote_selectors
from clausier.quotes.models import QuoteStatus
from clausier.terms import selectors as terms_selectors
from clausier.terms.ui.forms import AcceptTermsForm, accept_form


def home_page(
    request: HttpRequest, contact: Contact, *, form: AcceptTermsForm | None = None
) -> HttpResponse:
    """The home page; the terms' acceptance form on it comes back here with its errors."""
    client = contact.client
    pending = terms_selectors.pending_version_for_client(client=client)
    if pending is not None and form is None:
        form = accept_form(contact, pending)
    return render_portal(
        request,
        contact,
        "portal/home.html",
        {
            "acceptances": terms_selectors.acceptances_for_client(client=client),
            "pending": pending,
            "today": timezone.localdate(),
            "open_quotes": quote_selectors.quotes_for_client(client=client)
            .filter(status=QuoteStatus.SENT)
            .order_by("valid_until", "id"),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@portal_view
def home(request: HttpRequest, contact: Contact) -> HttpResponse:
    return home_page(request, contact)
