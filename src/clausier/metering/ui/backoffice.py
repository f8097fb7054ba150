"""Staff screens of metering: the subscriptions (list, filtered by status) and a
subscription's page (its order, offer, start, billing period, terms, status, its current
period's consumption with the chart per day, the client's prepaid credits, the meters).

Thin: reads through ``metering.selectors``."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from clausier.metering import credits, selectors, services, usage
from clausier.metering import transitions as t
from clausier.metering.models import SubscriptionStatus
from clausier.metering.ui.forms import CreditForm
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.web.forms import submit

PER_PAGE = 50


@staff_view("orders.view")
def subscriptions(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    status = request.GET.get("status", "")
    filters = selectors.SubscriptionFilters(
        status=status if status in SubscriptionStatus.values else ""
    )
    page = Paginator(selectors.subscription_list(seller=scope.seller, filters=filters), PER_PAGE)
    return render_staff(
        request,
        scope,
        "metering/backoffice/list.html",
        {
            "page": page.get_page(request.GET.get("page")),
            "status": filters.status,
            "statuses": SubscriptionStatus.choices,
        },
    )


@staff_view("orders.view")
def subscription(request: HttpRequest, scope: StaffScope, subscription_id: int) -> HttpResponse:
    found = selectors.subscription_for_seller(seller=scope.seller, subscription_id=subscription_id)
    return _page(request, scope, found, CreditForm())


def _page(request, scope, found, form, *, status: int = 200) -> HttpResponse:
    now = timezone.now()
    return render_staff(
        request,
        scope,
        "metering/backoffice/detail.html",
        {
            "subscription": found,
            "actions": t.allowed_actions(found),
            "meters": selectors.meters_for_seller(seller=scope.seller),
            "consumption": (
                usage.current_consumption(subscription=found, now=now)
                if found.status == SubscriptionStatus.ACTIVE
                else None
            ),
            "credit": credits.balance_of(client=found.client, on=now),
            "credit_form": form,
        },
        status=status,
    )


@staff_action("invoices.edit")
def subscription_credit(
    request: HttpRequest, scope: StaffScope, subscription_id: int
) -> HttpResponse:
    """Prepaid credits bought or granted to the subscription's client (audited)."""
    found = selectors.subscription_for_seller(seller=scope.seller, subscription_id=subscription_id)
    form = CreditForm(request.POST)

    def write(data):
        return services.grant_credit(
            client=found.client,
            amount=data["amount"],
            reason=data["reason"],
            kind=data["kind"],
            by=request.user,
        )

    done = submit(form, write)
    if done.ok:
        return redirect("backoffice:subscription", slug=scope.seller.slug, subscription_id=found.pk)
    return _page(request, scope, found, form, status=done.status)
