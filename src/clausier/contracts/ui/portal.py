"""The client's contracts in the portal: "Mes contrats" (each with its term, next renewal and
the last day to give notice), a contract's page (its services, notices, and "Résilier"), and
the online termination in three clicks (C. conso. L215-1-1; décret n° 2023-417): "Résilier"
on the contract, a page stating the effective date and its consequences with one confirm
button, then the acknowledgement (also e-mailed).

Every view starts from ``portal_contact`` (``portal_view``) and reads the contact's client's
contracts only (another client's is a 404)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from clausier.contracts import presenters, selectors, services
from clausier.contracts.ui.forms import ConfirmForm
from clausier.customers.access import portal_view, render_portal
from clausier.customers.models import Contact
from clausier.web.forms import posted, submit


@portal_view
def contracts(request: HttpRequest, contact: Contact) -> HttpResponse:
    today = timezone.localdate()
    rows = [
        (c, presenters.clock(c, today=today)) for c in selectors.for_client(client=contact.client)
    ]
    return render_portal(request, contact, "contracts/portal/list.html", {"rows": rows})


@portal_view
def contract(request: HttpRequest, contact: Contact, contract_id: int) -> HttpResponse:
    found = selectors.contract_for_client(client=contact.client, contract_id=contract_id)
    return render_portal(
        request,
        contact,
        "contracts/portal/detail.html",
        {
            "contract": found,
            "clock": presenters.clock(found, today=timezone.localdate()),
            "lines": selectors.lines_of(contract=found),
            "notices": selectors.notices_of(contract=found),
            "may_terminate": presenters.may_terminate_online(found),
            "domains": selectors.domains_of(contract=found),
            "restores": selectors.restores_of(contract=found),
            "has_backup": selectors.has_backup_option(contract=found),
        },
    )


@portal_view
def contract_terminate(request: HttpRequest, contact: Contact, contract_id: int) -> HttpResponse:
    found = selectors.contract_for_client(client=contact.client, contract_id=contract_id)
    preview = presenters.termination_preview(found, today=timezone.localdate())
    if preview is None:
        return redirect("portal:contract", contract_id=found.pk)
    form = ConfirmForm(posted(request))
    done = submit(form, lambda _data: services.give_notice_online(contract=found, by=request.user))
    if done.ok:
        return redirect("portal:contract_terminated", contract_id=found.pk)
    return render_portal(
        request,
        contact,
        "contracts/portal/terminate.html",
        {"contract": found, "preview": preview, "form": form},
        status=done.status,
    )


@portal_view
def contract_terminated(request: HttpRequest, contact: Contact, contract_id: int) -> HttpResponse:
    found = selectors.contract_for_client(client=contact.client, contract_id=contract_id)
    notice = selectors.notices_of(contract=found).first()
    if notice is None:
        return redirect("portal:contract", contract_id=found.pk)
    return render_portal(
        request,
        contact,
        "contracts/portal/terminated.html",
        {"contract": found, "notice": notice},
    )
