"""The client's domain names and restore requests in the portal (seed 002 art. 11):
« Mes noms de domaine » (read-only: name, expiry, status) and « Demander une restauration »
on a contract (the flat fee and its clause shown before the confirmation; refused without
the backup option). The contact's client's own only (another's is a 404)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from clausier.contracts import selectors, services
from clausier.contracts.ui.forms import RestoreForm
from clausier.customers.access import portal_view, render_portal
from clausier.customers.models import Contact
from clausier.web.forms import posted, submit


@portal_view
def domains(request: HttpRequest, contact: Contact) -> HttpResponse:
    return render_portal(
        request,
        contact,
        "contracts/portal/domains.html",
        {"rows": selectors.domains_for_client(client=contact.client)},
    )


@portal_view
def contract_restore(request: HttpRequest, contact: Contact, contract_id: int) -> HttpResponse:
    """« Demander une restauration »: the fee and its clause, then the request."""
    found = selectors.contract_for_client(client=contact.client, contract_id=contract_id)
    open_to_restore = selectors.has_backup_option(contract=found)
    form = RestoreForm(posted(request))
    done = submit(
        form,
        lambda data: services.request_restore(
            contract=found, from_portal=True, by=request.user, **data
        ),
    )
    if done.ok:
        return redirect("portal:contract", contract_id=found.pk)
    return render_portal(
        request,
        contact,
        "contracts/portal/restore.html",
        {
            "contract": found,
            "form": form,
            "fee": selectors.restore_fee(contract=found),
            "open_to_restore": open_to_restore,
        },
        status=done.status,
    )
