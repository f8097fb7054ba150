"""The client space. Every view starts from ``portal_contact`` (404 for anyone who is not a
client's contact) and shows only that contact's client and its seller's published terms."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clausier.customers import selectors as customer_selectors
from clausier.customers import services as customer_services
from clausier.customers.access import portal_view, render_portal
from clausier.customers.models import Contact
from clausier.portal import forms
from clausier.quotes import selectors as quote_selectors
from clausier.quotes.models import QuoteStatus
from clausier.terms import selectors as terms_selectors
from clausier.terms import services as terms_services
from clausier.terms.models import AcceptanceMethod, TermsStatus
from clausier.web.forms import add_service_errors


def _accept_form(contact: Contact, version) -> forms.AcceptTermsForm:
    return forms.AcceptTermsForm(
        version=version, initial={"version": version.pk, "accepted_by_name": contact.name}
    )


def _home(
    request: HttpRequest, contact: Contact, *, form: forms.AcceptTermsForm | None = None
) -> HttpResponse:
    client = contact.client
    pending = terms_selectors.pending_version_for_client(client=client)
    if pending is not None and form is None:
        form = _accept_form(contact, pending)
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
    return _home(request, contact)


@require_POST
@portal_view
def accept(request: HttpRequest, contact: Contact) -> HttpResponse:
    client = contact.client
    pending = terms_selectors.pending_version_for_client(client=client)
    if pending is None or str(pending.pk) != request.POST.get("version"):
        # Accepted meanwhile, or a newer version was published while the page was open.
        messages.info(request, _("Les conditions ont changé depuis l'affichage : relisez-les."))
        return redirect("portal:home")
    form = forms.AcceptTermsForm(request.POST, version=pending)
    if not form.is_valid():
        return _home(request, contact, form=form)
    try:
        terms_services.record_acceptance(
            client=client,
            version=pending,
            method=AcceptanceMethod.CHECKBOX,
            accepted_by=request.user,
            accepted_by_name=form.cleaned_data["accepted_by_name"],
            by=request.user,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _home(request, contact, form=form)
    messages.success(
        request,
        _("Merci : vous avez accepté les conditions générales de vente %(label)s.")
        % {"label": pending.label},
    )
    return redirect("portal:home")


@portal_view
def terms(request: HttpRequest, contact: Contact, version_id: int) -> HttpResponse:
    version = terms_selectors.version_for_seller(
        seller=contact.client.seller, version_id=version_id
    )
    if version.status == TermsStatus.DRAFT:
        raise Http404
    acceptance = (
        terms_selectors.acceptances_for_client(client=contact.client)
        .filter(version=version)
        .first()
    )
    pending = terms_selectors.pending_version_for_client(client=contact.client)
    is_pending = pending is not None and pending.pk == version.pk
    return render_portal(
        request,
        contact,
        "portal/terms.html",
        {
            "version": version,
            "acceptance": acceptance,
            "is_pending": is_pending,
            "accept_form": _accept_form(contact, pending) if is_pending else None,
        },
    )


@portal_view
def profile(request: HttpRequest, contact: Contact) -> HttpResponse:
    initial = {"name": contact.name, "email": contact.email, "phone": contact.phone}
    form = forms.OwnContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            customer_services.update_contact(contact=contact, fields=changed, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Vos coordonnées sont enregistrées."))
            return redirect("portal:profile")
    return render_portal(
        request,
        contact,
        "portal/profile.html",
        {"form": form, "contacts": customer_selectors.contacts_for_client(client=contact.client)},
        status=400 if form.errors else 200,
    )


@portal_view
def logo(request: HttpRequest, contact: Contact) -> FileResponse:
    seller = contact.client.seller
    if not seller.logo:
        raise Http404
    response = FileResponse(seller.logo.open("rb"), filename=Path(seller.logo.name).name)
    # An uploaded logo may be an SVG: shown as an image, never run as a document.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
