"""Staff screens of contracts: the list (each with its next term and notice deadline), the
renewals coming (with the consumer's Chatel clock: window, letter sent or not), and a
contract's page (its services, timeline of notices and renewal letters, the final sums of a
terminated one) where a notice received by registered letter is recorded.

Thin: reads through ``contracts.selectors``, writes through ``contracts.services``."""

from __future__ import annotations

from datetime import timedelta

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from clausier.contracts import presenters, selectors, services
from clausier.contracts.models import ContractStatus
from clausier.contracts.ui.forms import NewContractForm, NoticeForm
from clausier.customers import selectors as client_selectors
from clausier.customers.selectors import ClientFilters
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.terms.selectors import current_version
from clausier.web.forms import submit

PER_PAGE = 50
# How far ahead "renewals coming" looks: the Chatel window opens three months before a
# deadline that is itself at least a month before the term.
RENEWALS_AHEAD = timedelta(days=183)


@staff_view("orders.view")
def contracts(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in ContractStatus.values else ""
    page = Paginator(selectors.for_seller(seller=scope.seller, status=status), PER_PAGE)
    current = page.get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render_staff(
        request,
        scope,
        "contracts/backoffice/list.html",
        {
            "page": current,
            "rows": [(c, presenters.clock(c, today=today)) for c in current],
            "status": status,
            "statuses": ContractStatus.choices,
        },
    )


@staff_view("orders.view")
def contract_renewals(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    today = timezone.localdate()
    coming = selectors.renewals_coming(seller=scope.seller, until=today + RENEWALS_AHEAD)
    return render_staff(
        request,
        scope,
        "contracts/backoffice/renewals.html",
        {"rows": [(c, presenters.clock(c, today=today)) for c in coming[:200]]},
    )


@staff_view("orders.view")
def contract(request: HttpRequest, scope: StaffScope, contract_id: int) -> HttpResponse:
    found = selectors.contract_for_seller(seller=scope.seller, contract_id=contract_id)
    return _page(request, scope, found, NoticeForm())


def _page(request, scope, found, form, *, status: int = 200) -> HttpResponse:
    return render_staff(
        request,
        scope,
        "contracts/backoffice/detail.html",
        {
            "contract": found,
            "clock": presenters.clock(found, today=timezone.localdate()),
            "lines": selectors.lines_of(contract=found),
            "notices": selectors.notices_of(contract=found),
            "letters": selectors.letters_of(contract=found),
            "may_record_notice": presenters.may_terminate_online(found),
            "form": form,
        },
        status=status,
    )


@staff_action("orders.edit")
def contract_notice(request: HttpRequest, scope: StaffScope, contract_id: int) -> HttpResponse:
    """A notice received by the seller recorded with its evidence (audited)."""
    found = selectors.contract_for_seller(seller=scope.seller, contract_id=contract_id)
    form = NoticeForm(request.POST)

    def write(data):
        return services.record_notice(contract=found, by=request.user, **data)

    done = submit(form, write)
    if done.ok:
        return redirect("backoffice:contract", slug=scope.seller.slug, contract_id=found.pk)
    return _page(request, scope, found, form, status=done.status)


@staff_view("orders.edit")
def contract_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """A contract opened by staff (« Nouveau contrat »): client, lines, start, period; its
    renewal read from the seller's current terms."""
    clients = list(client_selectors.client_list(scope=scope, filters=ClientFilters()))
    form = NewContractForm(request.POST if request.method == "POST" else None, clients=clients)

    def write(data):
        return services.open_contract(
            seller=scope.seller,
            client=client_selectors.client_for_scope(scope=scope, client_id=data["client"]),
            reference=data["reference"].strip(),
            start_on=data["start_on"],
            period_months=data["period_months"],
            lines=form.lines(),
            terms_version=current_version(seller=scope.seller),
            by=request.user,
        )

    done = submit(form, write)
    if done.ok:
        return redirect("backoffice:contract", slug=scope.seller.slug, contract_id=done.result.pk)
    return render_staff(
        request, scope, "contracts/backoffice/new.html", {"form": form}, status=done.status
    )
