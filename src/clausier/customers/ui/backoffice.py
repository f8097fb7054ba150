"""Staff screens of clients and their contacts. Thin: resolve the scope
(``access.staff_view``), read through selectors, write through ``customers.services``."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from clausier.audit.selectors import events_for_object
from clausier.customers import selectors as customer_selectors
from clausier.customers import services as customer_services
from clausier.customers.domain import client_warnings
from clausier.customers.ui import forms
from clausier.kernel.errors import DomainError
from clausier.kernel.replica import report
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import add_service_errors, changed_fields, posted, submit

CLIENTS_PER_PAGE = 25


@staff_view("clients.view")
def clients(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    filters = forms.ClientFilterForm(request.GET)
    values = filters.values()
    rows = customer_selectors.clients_for_scope(
        scope=scope, q=values["q"], kind=values["kind"]
    ).order_by(*forms.ClientFilterForm.SORTS[values["sort"]])
    if request.GET.get("format") == "csv":
        return _clients_csv(scope, rows)
    page = Paginator(rows, CLIENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        **values,
        "page": page,
        "filtered": bool(values["q"] or values["kind"]),
    }
    # Live search swaps the results only; the full page otherwise.
    partial = request.htmx and not request.htmx.history_restore_request
    template = (
        "customers/backoffice/_clients_results.html"
        if partial
        else "customers/backoffice/clients.html"
    )
    response = render_staff(request, scope, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@report  # an export: read from the replica when there is one
def _clients_csv(scope: StaffScope, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="clients-{scope.seller.slug}.csv"'
    response.write("\ufeff")  # lets spreadsheet software read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Nom"),
            _("Type"),
            "SIREN",
            _("TVA intracommunautaire"),
            _("E-mail"),
            _("Téléphone"),
            _("Code postal"),
            _("Ville"),
            _("Pays"),
            _("Créé le"),
        ]
    )
    for c in rows.iterator():
        writer.writerow(
            [
                c.name,
                c.get_kind_display(),
                c.siren,
                c.vat_number,
                c.email,
                c.phone,
                c.billing_postal_code,
                c.billing_city,
                c.billing_country,
                timezone.localtime(c.created_at).strftime("%d/%m/%Y"),
            ]
        )
    return response


@staff_view("clients.edit")
def client_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    form = forms.ClientForm(
        posted(request), initial={"preferred_language": scope.seller.default_language}
    )
    done = submit(
        form,
        lambda data: customer_services.create_client(
            seller=scope.seller, fields=data, by=request.user
        ),
    )
    if done.ok:
        client = done.result
        messages.success(request, _("Client « %(name)s » créé.") % {"name": client.name})
        return redirect("backoffice:client", slug=scope.seller.slug, client_id=client.pk)
    return render_staff(
        request,
        scope,
        "customers/backoffice/client_form.html",
        {"form": form},
        status=done.status,
    )


@staff_view("clients.edit")
def client_edit(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    client = customer_selectors.client_for_scope(scope=scope, client_id=client_id)
    form = forms.ClientForm(posted(request), instance=client)
    done = submit(
        form,
        lambda _data: customer_services.update_client(
            client=client, fields=changed_fields(form), by=request.user
        ),
    )
    if done.ok:
        messages.success(request, _("Client mis à jour."))
        return redirect("backoffice:client", slug=scope.seller.slug, client_id=client.pk)
    return render_staff(
        request,
        scope,
        "customers/backoffice/client_form.html",
        {"form": form, "client": client},
        status=done.status,
    )


def client_page(
    request: HttpRequest,
    scope: StaffScope,
    client,
    *,
    contact_form: forms.ContactForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The client page; a contact refused on it is shown again there. Its terms panels (the
    version in force, the acceptances and the form recording one) are the terms domain's
    template tags (``terms_panels``)."""
    return render_staff(
        request,
        scope,
        "customers/backoffice/client_detail.html",
        {
            "client": client,
            "warnings": client_warnings(
                kind=client.kind, siren=client.siren, on=timezone.localdate()
            ),
            "contacts": customer_selectors.contacts_for_client(client=client),
            "contact_form": contact_form or forms.ContactForm(),
            "events": events_for_object(obj=client)[:50],
        },
        status=status,
    )


@staff_view("clients.view")
def client(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    client = customer_selectors.client_for_scope(scope=scope, client_id=client_id)
    return client_page(request, scope, client)


@staff_action("clients.edit")
def contact_add(request: HttpRequest, scope: StaffScope, client_id: int) -> HttpResponse:
    client = customer_selectors.client_for_scope(scope=scope, client_id=client_id)
    form = forms.ContactForm(request.POST)
    if form.is_valid():
        try:
            contact = customer_services.add_contact(
                client=client,
                fields=form.contact_fields(),
                by=request.user,
                portal_access=form.cleaned_data["portal_access"],
                password=form.cleaned_data["password"] or None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact « %(name)s » ajouté.") % {"name": contact.name})
            return redirect("backoffice:client", slug=scope.seller.slug, client_id=client.pk)
    return client_page(request, scope, client, contact_form=form, status=400)


@staff_action("clients.edit")
def contact_portal_access(
    request: HttpRequest, scope: StaffScope, client_id: int, contact_id: int
) -> HttpResponse:
    client = customer_selectors.client_for_scope(scope=scope, client_id=client_id)
    contact = customer_selectors.contact_for_client(client=client, contact_id=contact_id)
    try:
        customer_services.grant_portal_access(contact=contact, by=request.user)
    except (ValidationError, DomainError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _("Accès à l'espace client créé pour %(name)s (identifiant : %(email)s).")
            % {"name": contact.name, "email": contact.email.lower()},
        )
    return redirect("backoffice:client", slug=scope.seller.slug, client_id=client.pk)
