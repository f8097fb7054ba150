"""The client's quotes in the portal, and the "Bon pour accord" screen (orders:
``orders.ui.portal``).

Every view starts from ``portal_contact`` (through ``portal_view``) and reads through
``quotes_for_client``: another client's quote is a 404, and a draft never reaches the
portal. Accepting online stores the SHA-256 of the very PDF the page
offered: the stored file's (printed once, ``quotes.delivery.ensure_pdf``), carried in the
form and checked again when the form comes back (a different document means the client did
not accept this one).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.customers import selectors as customer_selectors
from clausier.customers.access import portal_action, portal_view, render_portal
from clausier.customers.models import ClientKind, Contact
from clausier.kernel.client_address import client_address
from clausier.kernel.errors import DomainError
from clausier.quotes import domain as quote_domain
from clausier.quotes import presenters as quote_presenters
from clausier.quotes import selectors as quote_selectors
from clausier.quotes import services as quote_services
from clausier.quotes.models import Quote, QuoteStatus
from clausier.quotes.ui import forms
from clausier.quotes.ui.documents import (
    acceptance_of,
    client_pdf_sha256,
    pdf_language,
    pdf_response,
)
from clausier.web.forms import add_service_errors, submit
from clausier.web.responses import row_or_404, stored_file

QUOTES_PER_PAGE = 20


def why_not_acceptable(quote: Quote) -> str | None:
    """Why the quote cannot be accepted now (the rules' own sentence), or None if it can."""
    if quote.status == QuoteStatus.SENT:
        # Seed 002 art. 6: a client suspended for non-payment may not accept (the clause cited).
        suspended = customer_selectors.suspension_refusal(client=quote.client)
        if suspended:
            return suspended
    successor = ""
    if quote.status == QuoteStatus.SUPERSEDED:
        following = [q for q in quote_selectors.revision_history(quote=quote) if q.pk != quote.pk]
        successor = following[-1].display_number if following else ""
    return quote_domain.refusal_to_accept(
        status=quote.status,
        number=quote.display_number,
        valid_until=quote.valid_until,
        at=timezone.now(),
        tz=timezone.get_default_timezone(),
        terms_label=quote.terms_label,
        successor=successor,
    )


def _accept_form(contact: Contact, quote: Quote, data=None, *, sha256: str = ""):
    return forms.AcceptQuoteForm(
        data,
        statement=quote_selectors.consent_statement(quote=quote),
        needs_role=quote.client.kind != ClientKind.CONSUMER,
        initial={
            "document_sha256": sha256,
            "signatory_name": contact.name,
            "signatory_role": contact.role,
        },
    )


def _latest_visible_revision(quote: Quote) -> Quote | None:
    """The revision that replaced ``quote``, once it was sent (a draft is not shown)."""
    history = quote_selectors.revision_history(quote=quote)
    later = [q for q in history if q.revision > quote.revision and q.status != QuoteStatus.DRAFT]
    return later[-1] if later else None


def _quote_page(
    request: HttpRequest,
    contact: Contact,
    quote: Quote,
    *,
    accept_form: forms.AcceptQuoteForm | None = None,
    refuse_form: forms.RefuseQuoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    refusal = why_not_acceptable(quote)
    if refusal is None and accept_form is None:
        accept_form = _accept_form(contact, quote, sha256=client_pdf_sha256(quote))
    acceptance = acceptance_of(quote)
    return render_portal(
        request,
        contact,
        "quotes/portal/detail.html",
        {
            "quote": quote,
            "lines": quote_presenters.line_rows(quote),
            "pdf_language": pdf_language(quote) if quote.number else "",
            "attachments": list(quote.attachments.all()),
            "deadline": quote_selectors.acceptance_deadline(quote=quote),
            "today": timezone.localdate(),
            "refusal": refusal,
            "acceptable": refusal is None,
            "accept_form": accept_form if refusal is None else None,
            "refuse_form": refuse_form or forms.RefuseQuoteForm(),
            "acceptance": acceptance,
            "successor": _latest_visible_revision(quote)
            if quote.status == QuoteStatus.SUPERSEDED
            else None,
        },
        status=status,
    )


@portal_view
def quotes(request: HttpRequest, contact: Contact) -> HttpResponse:
    rows = quote_selectors.quotes_for_client(client=contact.client).order_by("-sent_at", "-id")
    page = Paginator(rows, QUOTES_PER_PAGE).get_page(request.GET.get("page"))
    return render_portal(
        request, contact, "quotes/portal/list.html", {"page": page, "today": timezone.localdate()}
    )


@portal_view
def quote(request: HttpRequest, contact: Contact, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_client(client=contact.client, quote_id=quote_id)
    return _quote_page(request, contact, quote)


@portal_view
def quote_pdf(request: HttpRequest, contact: Contact, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_client(client=contact.client, quote_id=quote_id)
    return pdf_response(quote, translation=request.GET.get("translation", ""))


@portal_view
def quote_attachment(
    request: HttpRequest, contact: Contact, quote_id: int, attachment_id: int
) -> FileResponse:
    quote = quote_selectors.quote_for_client(client=contact.client, quote_id=quote_id)
    return stored_file(row_or_404(quote.attachments.all(), attachment_id).file)


@portal_action
def quote_accept(request: HttpRequest, contact: Contact, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_client(client=contact.client, quote_id=quote_id)
    refusal = why_not_acceptable(quote)
    if refusal is not None:
        return _quote_page(request, contact, quote, status=409)
    form = _accept_form(contact, quote, request.POST)
    if not form.is_valid():
        return _quote_page(request, contact, quote, accept_form=form, status=400)
    shown_sha256 = client_pdf_sha256(quote)
    if form.cleaned_data["document_sha256"] != shown_sha256:
        messages.error(
            request,
            _(
                "Le devis a changé depuis l'affichage de la page : relisez-le, puis acceptez-le "
                "à nouveau."
            ),
        )
        return redirect("portal:quote", quote_id=quote.pk)
    try:
        result = quote_services.accept_quote_online(
            quote=quote,
            contact=contact,
            signatory_name=form.cleaned_data["signatory_name"],
            signatory_role=form.cleaned_data.get("signatory_role", ""),
            consent=form.cleaned_data["consent"],
            ip_address=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            document_sha256=shown_sha256,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _quote_page(request, contact, quote, accept_form=form, status=400)
    except DomainError as exc:  # QuoteNotAcceptable: expired meanwhile, terms replaced...
        form.add_error(None, str(exc))
        return _quote_page(request, contact, quote, accept_form=form, status=409)
    # The order's state is worded by orders, in its template tag (quotes does not import it).
    messages.success(
        request,
        render_to_string(
            "quotes/portal/_accepted_message.txt",
            {"quote": result.quote, "order": result.order},
            request=request,
        ).strip(),
    )
    return redirect("portal:quote", quote_id=quote.pk)


@portal_action
def quote_refuse(request: HttpRequest, contact: Contact, quote_id: int) -> HttpResponse:
    quote = quote_selectors.quote_for_client(client=contact.client, quote_id=quote_id)
    form = forms.RefuseQuoteForm(request.POST)
    done = submit(
        form,
        lambda data: quote_services.refuse_quote(
            quote=quote, reason=data["reason"], by=request.user
        ),
        refused_status=400,
    )
    if done.ok:
        messages.success(
            request,
            _("Vous avez refusé le devis %(number)s ; votre motif est transmis au prestataire.")
            % {"number": quote.display_number},
        )
        return redirect("portal:quote", quote_id=quote.pk)
    return _quote_page(request, contact, quote, refuse_form=form, status=400)
