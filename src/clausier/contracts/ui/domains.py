"""Screens of the domains register and the restore requests (seed 002 art. 11).

Staff: « Noms de domaine » (the register, its expiries, a filter of those expiring soon),
a domain's page (its renewals and their invoices, its transfer out), a domain registered
from the contract's page; « Restaurations » (the requests, marked done or refused) and a
written request recorded from the contract's page. Portal: « Mes noms de domaine »
(read-only) and « Demander une restauration » on a contract are in
:mod:`clausier.contracts.ui.domains_portal`.

Thin: reads through ``contracts.selectors``, writes through ``contracts.services``."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from clausier.contracts import selectors, services
from clausier.contracts import transitions as t
from clausier.contracts.models import DomainStatus, RestoreStatus
from clausier.contracts.ui.forms import (
    ConfirmForm,
    DomainForm,
    RefuseRestoreForm,
    RestoreForm,
    TransferForm,
)
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import submit

# "Expiring soon": what the renewal job will renew within twice its own lead time.
SOON_DAYS = 60
LIST_LIMIT = 500


@staff_view("orders.view")
def domains(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    status = request.GET.get("status", "")
    status = status if status in DomainStatus.values else ""
    soon = request.GET.get("expiring") == "1"
    until = timezone.localdate() + timedelta(days=SOON_DAYS) if soon else None
    rows = selectors.domains_for_seller(scope=scope, status=status, expiring_by=until)
    return render_staff(
        request,
        scope,
        "contracts/backoffice/domains.html",
        {
            "rows": rows[:LIST_LIMIT],
            "status": status,
            "statuses": DomainStatus.choices,
            "soon": soon,
            "soon_days": SOON_DAYS,
            "renewal_days": selectors.renewal_days(),
        },
    )


def _domain_page(request, scope, found, form, *, status: int = 200) -> HttpResponse:
    return render_staff(
        request,
        scope,
        "contracts/backoffice/domain.html",
        {
            "domain": found,
            "renewals": selectors.renewals_of(domain=found),
            "transfer_form": form if "transfer" in t.allowed_domain_actions(found) else None,
            "renewal_days": selectors.renewal_days(),
        },
        status=status,
    )


@staff_view("orders.view")
def domain(request: HttpRequest, scope: StaffScope, domain_id: int) -> HttpResponse:
    found = selectors.domain_for_seller(scope=scope, domain_id=domain_id)
    return _domain_page(request, scope, found, TransferForm())


@staff_action("orders.edit")
def domain_transfer(request: HttpRequest, scope: StaffScope, domain_id: int) -> HttpResponse:
    """The domain transferred out (another registrar or holder), audited."""
    found = selectors.domain_for_seller(scope=scope, domain_id=domain_id)
    form = TransferForm(request.POST)
    done = submit(
        form, lambda data: services.record_transfer(domain=found, by=request.user, **data)
    )
    if done.ok:
        return redirect("backoffice:domain", slug=scope.seller.slug, domain_id=found.pk)
    return _domain_page(request, scope, found, form, status=done.status)


def _back_to_contract(scope, found) -> HttpResponse:
    return redirect("backoffice:contract", slug=scope.seller.slug, contract_id=found.pk)


def _contract_form_page(request, scope, found, form, template: str, status: int) -> HttpResponse:
    return render_staff(
        request,
        scope,
        template,
        {"contract": found, "form": form, "fee": selectors.restore_fee(contract=found)},
        status=status,
    )


@staff_action("orders.edit")
def contract_domain(request: HttpRequest, scope: StaffScope, contract_id: int) -> HttpResponse:
    """A domain name registered for the contract's client, from its page."""
    found = selectors.contract_for_staff(scope=scope, contract_id=contract_id)
    form = DomainForm(request.POST)
    done = submit(
        form, lambda data: services.register_domain(contract=found, by=request.user, **data)
    )
    if done.ok:
        return redirect("backoffice:domain", slug=scope.seller.slug, domain_id=done.result.pk)
    return _contract_form_page(
        request, scope, found, form, "contracts/backoffice/domain_new.html", done.status
    )


@staff_action("orders.edit")
def contract_restore(request: HttpRequest, scope: StaffScope, contract_id: int) -> HttpResponse:
    """A written request of a restore recorded by staff."""
    found = selectors.contract_for_staff(scope=scope, contract_id=contract_id)
    form = RestoreForm(request.POST)
    done = submit(
        form,
        lambda data: services.request_restore(
            contract=found, from_portal=False, by=request.user, **data
        ),
    )
    if done.ok:
        return redirect("backoffice:restores", slug=scope.seller.slug)
    return _contract_form_page(
        request, scope, found, form, "contracts/backoffice/restore_new.html", done.status
    )


def _restores_page(request, scope, *, forms=None, errors=(), status: int = 200) -> HttpResponse:
    state = request.GET.get("status", "")
    state = state if state in RestoreStatus.values else ""
    rows = selectors.restores_for_seller(scope=scope, status=state)[:LIST_LIMIT]
    forms = forms or {}
    return render_staff(
        request,
        scope,
        "contracts/backoffice/restores.html",
        {
            "rows": [
                (r, t.allowed_restore_actions(r), forms.get(r.pk) or RefuseRestoreForm())
                for r in rows
            ],
            "status": state,
            "statuses": RestoreStatus.choices,
            "errors": errors,
        },
        status=status,
    )


@staff_view("orders.view")
def restores(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    return _restores_page(request, scope)


@staff_action("orders.edit")
def restore_done(request: HttpRequest, scope: StaffScope, restore_id: int) -> HttpResponse:
    """The restore done: the clause's flat fee invoiced."""
    found = selectors.restore_for_seller(scope=scope, restore_id=restore_id)
    form = ConfirmForm(request.POST)
    done = submit(form, lambda _data: services.finish_restore(request=found, by=request.user))
    if done.ok:
        return redirect("backoffice:restores", slug=scope.seller.slug)
    return _restores_page(request, scope, errors=form.non_field_errors(), status=done.status)


@staff_action("orders.edit")
def restore_refuse(request: HttpRequest, scope: StaffScope, restore_id: int) -> HttpResponse:
    """The restore refused, with its reason: nothing billed."""
    found = selectors.restore_for_seller(scope=scope, restore_id=restore_id)
    form = RefuseRestoreForm(request.POST)
    done = submit(
        form, lambda data: services.refuse_restore(request=found, by=request.user, **data)
    )
    if done.ok:
        return redirect("backoffice:restores", slug=scope.seller.slug)
    return _restores_page(request, scope, forms={found.pk: form}, status=done.status)
