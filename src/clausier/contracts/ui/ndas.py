"""Staff screens of confidentiality agreements (seed 002 art. 9, « Accords de
confidentialité »): the list, recording one (signed with its PDF, or asked for by the
client), an agreement's page where a request is signed or declined, the signed PDF's
download (confidential: staff who may read the clients).

Thin: reads through ``contracts.selectors``, writes through ``contracts.services``."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from clausier.contracts import selectors, services
from clausier.contracts import transitions as t
from clausier.contracts.models import NdaStatus
from clausier.contracts.ui.forms import NdaDeclineForm, NdaNewForm, NdaSignedForm
from clausier.customers import selectors as client_selectors
from clausier.customers.selectors import ClientFilters
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import posted, submit
from clausier.web.responses import stored_file


def _to_nda(scope: StaffScope, nda) -> HttpResponse:
    return redirect("backoffice:nda", slug=scope.seller.slug, nda_id=nda.pk)


@staff_view("clients.view")
def ndas(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in NdaStatus.values else ""
    rows = selectors.ndas_for_seller(seller=scope.seller, status=status)[:200]
    return render_staff(
        request,
        scope,
        "contracts/backoffice/ndas.html",
        {"rows": rows, "status": status, "statuses": NdaStatus.choices},
    )


@staff_view("clients.edit")
def nda_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    clients = list(client_selectors.client_list(scope=scope, filters=ClientFilters()))
    initial = {"client": request.GET.get("client")} if request.method == "GET" else {}
    form = NdaNewForm(posted(request), request.FILES or None, clients=clients, initial=initial)

    def write(data):
        client = client_selectors.client_for_scope(scope=scope, client_id=data["client"])
        if data["requested_only"]:
            return services.request_nda(
                client=client, title=data["title"], scope=data["scope"], by=request.user
            )
        return services.record_signed_nda(
            client=client,
            title=data["title"],
            scope=data["scope"],
            file=data["file"],
            signed_on=data["signed_on"],
            effective_from=data["effective_from"],
            effective_until=data["effective_until"],
            by=request.user,
        )

    done = submit(form, write)
    if done.ok:
        return _to_nda(scope, done.result)
    return render_staff(
        request, scope, "contracts/backoffice/nda_new.html", {"form": form}, status=done.status
    )


def _nda_page(request, scope, nda, *, status: int = 200, **forms) -> HttpResponse:
    actions = t.nda_allowed_actions(nda)
    return render_staff(
        request,
        scope,
        "contracts/backoffice/nda.html",
        {
            "nda": nda,
            "sign_form": forms.get("sign_form") or (NdaSignedForm() if "sign" in actions else None),
            "decline_form": forms.get("decline_form")
            or (NdaDeclineForm() if "decline" in actions else None),
        },
        status=status,
    )


@staff_view("clients.view")
def nda(request: HttpRequest, scope: StaffScope, nda_id: int) -> HttpResponse:
    return _nda_page(request, scope, selectors.nda_for_seller(seller=scope.seller, nda_id=nda_id))


@staff_action("clients.edit")
def nda_sign(request: HttpRequest, scope: StaffScope, nda_id: int) -> HttpResponse:
    found = selectors.nda_for_seller(seller=scope.seller, nda_id=nda_id)
    form = NdaSignedForm(request.POST, request.FILES)
    done = submit(form, lambda data: services.sign_nda(nda=found, by=request.user, **data))
    if done.ok:
        return _to_nda(scope, found)
    return _nda_page(request, scope, found, status=done.status, sign_form=form)


@staff_action("clients.edit")
def nda_decline(request: HttpRequest, scope: StaffScope, nda_id: int) -> HttpResponse:
    found = selectors.nda_for_seller(seller=scope.seller, nda_id=nda_id)
    form = NdaDeclineForm(request.POST)
    done = submit(
        form,
        lambda data: services.decline_nda(
            nda=found, reason=data["decline_reason"], by=request.user
        ),
    )
    if done.ok:
        return _to_nda(scope, found)
    return _nda_page(request, scope, found, status=done.status, decline_form=form)


@staff_view("clients.view")
def nda_file(request: HttpRequest, scope: StaffScope, nda_id: int) -> FileResponse:
    found = selectors.nda_for_seller(seller=scope.seller, nda_id=nda_id)
    if not found.file:
        raise Http404
    return stored_file(found.file)
