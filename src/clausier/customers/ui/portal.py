"""The contact's own details and the seller's logo, in the client space."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from clausier.customers import selectors as customer_selectors
from clausier.customers import services as customer_services
from clausier.customers.access import portal_view, render_portal
from clausier.customers.models import Contact
from clausier.customers.ui import forms
from clausier.web.forms import changed_fields, posted, submit
from clausier.web.responses import stored_file


@portal_view
def profile(request: HttpRequest, contact: Contact) -> HttpResponse:
    initial = {"name": contact.name, "email": contact.email, "phone": contact.phone}
    form = forms.OwnContactForm(posted(request), initial=initial)
    done = submit(
        form,
        lambda _data: customer_services.update_contact(
            contact=contact, fields=changed_fields(form), by=request.user
        ),
    )
    if done.ok:
        messages.success(request, _("Vos coordonnées sont enregistrées."))
        return redirect("portal:profile")
    return render_portal(
        request,
        contact,
        "customers/portal/profile.html",
        {"form": form, "contacts": customer_selectors.contacts_for_client(client=contact.client)},
        status=done.status,
    )


@portal_view
def logo(request: HttpRequest, contact: Contact) -> FileResponse:
    seller = contact.client.seller
    if not seller.logo:
        raise Http404
    return stored_file(seller.logo, inline=True)
