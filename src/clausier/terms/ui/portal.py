"""The client space's terms: a published version to read, and its acceptance (the form sits
on the portal's home page and on the pending version's page; refused, it comes back with its
errors on the version's page, under the text the client accepts)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.customers.access import portal_action, portal_view, render_portal
from clausier.customers.models import ClientKind, Contact
from clausier.terms import selectors as terms_selectors
from clausier.terms import services as terms_services
from clausier.terms.models import AcceptanceMethod, TermsStatus, TermsVersion
from clausier.terms.ui import forms
from clausier.web.forms import add_service_errors

# Which findings of the legal lint the client reads next to its terms: what the law
# guarantees it whatever the text says (a consumer's withdrawal, refund, renewal notice,
# mediator; a professional's recovery indemnity, late penalties, payment term).
_GUARANTEES_FOR = {
    True: frozenset({"withdrawal", "refund", "renewal", "mediator"}),
    False: frozenset({"indemnity", "late_penalty", "payment_term"}),
}


@portal_action
def accept(request: HttpRequest, contact: Contact) -> HttpResponse:
    client = contact.client
    pending = terms_selectors.pending_version_for_client(client=client)
    if pending is None or str(pending.pk) != request.POST.get("version"):
        # Accepted meanwhile, or a newer version was published while the page was open.
        messages.info(request, _("Les conditions ont changé depuis l'affichage : relisez-les."))
        return redirect("portal:home")
    form = forms.AcceptTermsForm(request.POST, version=pending)
    if not form.is_valid():
        return _terms_page(request, contact, pending, accept_form=form, status=400)
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
        return _terms_page(request, contact, pending, accept_form=form, status=400)
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
    return _terms_page(request, contact, version)


def _terms_page(
    request: HttpRequest,
    contact: Contact,
    version: TermsVersion,
    *,
    accept_form: forms.AcceptTermsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """A version to read; the pending one with its acceptance form (refused: with its
    errors)."""
    acceptance = (
        terms_selectors.acceptances_for_client(client=contact.client)
        .filter(version=version)
        .first()
    )
    pending = terms_selectors.pending_version_for_client(client=contact.client)
    is_pending = pending is not None and pending.pk == version.pk
    concerns = _GUARANTEES_FOR[contact.client.kind == ClientKind.CONSUMER]
    guarantees = [
        f
        for f in terms_selectors.lint_version(version=version, on=timezone.localdate())
        if f.applied and f.code.split(".")[0] in concerns
    ]
    if is_pending and accept_form is None:
        accept_form = forms.accept_form(contact, pending)
    return render_portal(
        request,
        contact,
        "terms/portal/terms.html",
        {
            "version": version,
            "acceptance": acceptance,
            "is_pending": is_pending,
            "accept_form": accept_form if is_pending else None,
            "guarantees": guarantees,
        },
        status=status,
    )
