"""Staff screens of liability claims (seed 002 art. 10) and site archives (art. 7): the
claims register, a claim's page (its cap and why: the payments counted, each with its date
and HT; its decision; « Recalculer »), and the archives to deliver by deadline.

Thin: reads through ``contracts.selectors``, writes through ``contracts.services``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from clausier.contracts import selectors, services
from clausier.contracts import transitions as t
from clausier.contracts.models import ClaimStatus
from clausier.contracts.ui.forms import ArchiveDeliveryForm, ClaimDecisionForm
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import attempt, submit

PER_PAGE = 50


@staff_view("orders.view")
def claims(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """The claims register: client, contract, claim date, amount claimed, cap, status."""
    status = request.GET.get("status", "")
    status = status if status in ClaimStatus.values else ""
    page = Paginator(selectors.claims_for_seller(scope=scope, status=status), PER_PAGE)
    return render_staff(
        request,
        scope,
        "contracts/backoffice/claims.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "status": status,
            "statuses": ClaimStatus.choices,
        },
    )


def _claim_page(request, scope, found, *, form=None, status: int = 200) -> HttpResponse:
    actions = t.claim_actions(found)
    if form is None and actions:
        form = ClaimDecisionForm(initial={"exclusions": found.exclusions})
        form.fields["status"].choices = [
            (value, label) for value, label in ClaimStatus.choices if value in actions
        ]
    return render_staff(
        request,
        scope,
        "contracts/backoffice/claim.html",
        {
            "claim": found,
            "contract": found.contract,
            "form": form,
            "may_recalculate": found.status in t.CLAIM_OPEN,
        },
        status=status,
    )


@staff_view("orders.view")
def claim(request: HttpRequest, scope: StaffScope, claim_id: int) -> HttpResponse:
    found = selectors.claim_for_seller(scope=scope, claim_id=claim_id)
    return _claim_page(request, scope, found)


@staff_action("orders.edit")
def claim_decide(request: HttpRequest, scope: StaffScope, claim_id: int) -> HttpResponse:
    """The claim moved along its state table (audited)."""
    found = selectors.claim_for_seller(scope=scope, claim_id=claim_id)
    form = ClaimDecisionForm(request.POST)
    done = submit(form, lambda data: services.decide_claim(claim=found, by=request.user, **data))
    if done.ok:
        return redirect("backoffice:claim", slug=scope.seller.slug, claim_id=found.pk)
    return _claim_page(request, scope, found, form=form, status=done.status)


@staff_action("orders.edit")
def claim_recalculate(request: HttpRequest, scope: StaffScope, claim_id: int) -> HttpResponse:
    """« Recalculer » : the HT paid by the claim date measured again (audited)."""
    found = selectors.claim_for_seller(scope=scope, claim_id=claim_id)
    attempt(
        request,
        lambda: services.remeasure_claim(claim=found, by=request.user),
        _("Plafond recalculé."),
    )
    return redirect("backoffice:claim", slug=scope.seller.slug, claim_id=found.pk)


@staff_view("orders.view")
def archives_due(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """« Archives à livrer » : the requests not yet delivered, the nearest deadline first,
    the overdue flagged."""
    today = timezone.localdate()
    due = selectors.archives_to_deliver(scope=scope)[:200]
    return render_staff(
        request,
        scope,
        "contracts/backoffice/archives.html",
        {"rows": [(r, r.overdue_on(today)) for r in due], "form": ArchiveDeliveryForm()},
    )


@staff_action("orders.edit")
def archive_deliver(request: HttpRequest, scope: StaffScope, request_id: int) -> HttpResponse:
    """The archive delivered, with its evidence (audited)."""
    found = selectors.archive_for_seller(scope=scope, request_id=request_id)
    form = ArchiveDeliveryForm(request.POST, request.FILES)
    done = submit(
        form, lambda data: services.deliver_archive(request=found, by=request.user, **data)
    )
    if done.ok:
        return redirect(
            "backoffice:contract", slug=scope.seller.slug, contract_id=found.contract_id
        )
    today = timezone.localdate()
    return render_staff(
        request,
        scope,
        "contracts/backoffice/archives.html",
        {
            "rows": [
                (r, r.overdue_on(today)) for r in selectors.archives_to_deliver(scope=scope)[:200]
            ],
            "form": form,
            "failed": found,
        },
        status=done.status,
    )
