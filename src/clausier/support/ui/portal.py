"""The client's tickets in the portal: my tickets, a new ticket (subject, description, the
application, a suggested severity, an attachment), a ticket's page with its clocks, the
conversation and a reply form; the support line and its hours from the terms.

Every view starts from ``portal_contact`` (``portal_view``) and reads the contact's client's
tickets only (another client's is a 404)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from clausier.customers.access import portal_view, render_portal
from clausier.customers.models import Contact
from clausier.metering import selectors as metering_selectors
from clausier.support import presenters, selectors, services
from clausier.support.models import Author, Channel
from clausier.support.ui.forms import ReplyForm, TicketForm
from clausier.web.forms import posted, submit


def _line(client) -> dict:
    version = selectors.terms_for(client=client, subscription=None)
    return {
        "contacts": selectors.contacts_of(version=version),
        "hours": selectors.hours_of(version=version),
    }


@portal_view
def tickets(request: HttpRequest, contact: Contact) -> HttpResponse:
    return render_portal(
        request,
        contact,
        "support/portal/list.html",
        {"tickets": selectors.tickets_for_client(client=contact.client)} | _line(contact.client),
    )


def _files(request: HttpRequest) -> list:
    return [f for f in request.FILES.getlist("attachment") if f]


@portal_view
def ticket_new(request: HttpRequest, contact: Contact) -> HttpResponse:
    client = contact.client
    subscriptions = list(metering_selectors.subscriptions_of_client(client=client))
    form = TicketForm(posted(request), request.FILES or None, subscriptions=subscriptions)

    def write(data):
        return services.open_ticket(
            seller=client.seller,
            client=client,
            subscription=next((s for s in subscriptions if s.pk == data["subscription"]), None),
            subject=data["subject"],
            description=data["description"],
            suggested_severity=data["suggested_severity"],
            channel=Channel.PORTAL,
            attachments=_files(request),
            by=request.user,
        )

    done = submit(form, write)
    if done.ok:
        return redirect("portal:ticket", ticket_id=done.result.pk)
    return render_portal(
        request,
        contact,
        "support/portal/new.html",
        {"form": form} | _line(client),
        status=done.status,
    )


def _page(request, contact, ticket, form, *, status: int = 200) -> HttpResponse:
    now = timezone.now()
    return render_portal(
        request,
        contact,
        "support/portal/detail.html",
        {
            "ticket": ticket,
            "clocks": presenters.clock_rows(selectors.clocks_of(ticket, now=now), now=now),
            "messages": selectors.messages_of(ticket=ticket),
            "form": form,
        }
        | _line(contact.client),
        status=status,
    )


@portal_view
def ticket(request: HttpRequest, contact: Contact, ticket_id: int) -> HttpResponse:
    found = selectors.ticket_for_client(client=contact.client, pk=ticket_id)
    return _page(request, contact, found, ReplyForm())


@portal_view
def ticket_reply(request: HttpRequest, contact: Contact, ticket_id: int) -> HttpResponse:
    found = selectors.ticket_for_client(client=contact.client, pk=ticket_id)
    form = ReplyForm(posted(request), request.FILES or None)

    def write(data):
        return services.post_message(
            ticket=found,
            author=Author.CLIENT,
            body=data["body"],
            attachments=_files(request),
            by=request.user,
        )

    done = submit(form, write)
    if done.ok:
        return redirect("portal:ticket", ticket_id=found.pk)
    return _page(request, contact, found, form, status=done.status)
