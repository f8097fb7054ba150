"""The client's contracts in the portal: "Mes contrats" (each with its term, next renewal and
the last day to give notice), a contract's page (its services, notices, and "Résilier"), and
the online termination in three clicks (C. conso. L215-1-1; décret n° 2023-417): "Résilier"
on the contract, a page stating the effective date and its consequences with one confirm
button, then the acknowledgement (also e-mailed).

Every view starts from ``portal_contact`` (``portal_view``) and reads the contact's client's
contracts only (another client's is a 404)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.contracts import presenters, selectors, services
from clausier.contracts.ui.forms import ConfirmForm, NdaRequestForm
from clausier.customers.access import portal_view, render_portal
from clausier.customers.models import Contact
from clausier.web.forms import attempt, posted, submit
from clausier.web.responses import stored_file


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
            "pending_revision": selectors.pending_revision_of(contract=found),
            "revisions": selectors.revisions_of(contract=found),
            "archives": selectors.archives_of(contract=found),
            "may_request_archive": not selectors.archive_refusal(found)
            and selectors.open_archive_of(contract=found) is None,
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


def _answer(request, contact, contract_id: int, *, accept: bool) -> HttpResponse:
    """The confirmation step of an answer to the pending revised price (seed 002 art. 12b):
    the page says what it does (accepted, the contract goes on at the new price; refused, it
    ends at term with the refund), then one button."""
    found = selectors.contract_for_client(client=contact.client, contract_id=contract_id)
    revision = selectors.pending_revision_of(contract=found)
    if revision is None:
        return redirect("portal:contract", contract_id=found.pk)
    form = ConfirmForm(posted(request))
    done = submit(
        form,
        lambda _data: services.answer_price_revision(
            revision=revision, accept=accept, by=request.user
        ),
    )
    if done.ok:
        return redirect("portal:contract", contract_id=found.pk)
    return render_portal(
        request,
        contact,
        "contracts/portal/price_answer.html",
        {"contract": found, "revision": revision, "accept": accept, "form": form},
        status=done.status,
    )


@portal_view
def contract_price_accept(request: HttpRequest, contact: Contact, contract_id: int) -> HttpResponse:
    return _answer(request, contact, contract_id, accept=True)


@portal_view
def contract_price_refuse(request: HttpRequest, contact: Contact, contract_id: int) -> HttpResponse:
    return _answer(request, contact, contract_id, accept=False)


@portal_view
def contract_archive(request: HttpRequest, contact: Contact, contract_id: int) -> HttpResponse:
    """The client asks for its site's archive (a written request, seed 002 art. 7), from the
    contract's page; acknowledged by e-mail."""
    found = selectors.contract_for_client(client=contact.client, contract_id=contract_id)
    if request.method != "POST":
        return redirect("portal:contract", contract_id=found.pk)
    attempt(
        request,
        lambda: services.request_archive_online(contract=found, by=request.user),
        _("Votre demande d'archive est enregistrée ; un accusé de réception vous est envoyé."),
    )
    return redirect("portal:contract", contract_id=found.pk)


# --- confidentiality agreements (seed 002 art. 9) -------------------------------------------


def _ndas_page(request, contact: Contact, form, *, status: int = 200) -> HttpResponse:
    client = contact.client
    return render_portal(
        request,
        contact,
        "contracts/portal/ndas.html",
        {
            "ndas": selectors.ndas_for_client(client=client),
            "offers": services.offers_nda(client=client),
            "form": form,
        },
        status=status,
    )


@portal_view
def ndas(request: HttpRequest, contact: Contact) -> HttpResponse:
    """« Mes accords de confidentialité »: each with its state and signed PDF, and the
    request for one while the terms offer it (clause confidentiality.nda_on_request)."""
    return _ndas_page(request, contact, NdaRequestForm())


@portal_view
def ndas_request(request: HttpRequest, contact: Contact) -> HttpResponse:
    if request.method != "POST":
        return redirect("portal:ndas")
    form = NdaRequestForm(request.POST)
    done = submit(
        form,
        lambda data: services.request_nda(
            client=contact.client,
            title=data["title"],
            scope=data["scope"],
            by_client=True,
            by=request.user,
        ),
    )
    if done.ok:
        return redirect("portal:ndas")
    return _ndas_page(request, contact, form, status=done.status)


@portal_view
def nda_file(request: HttpRequest, contact: Contact, nda_id: int) -> FileResponse:
    found = selectors.nda_for_client(client=contact.client, nda_id=nda_id)
    if not found.file:
        raise Http404
    return stored_file(found.file)
