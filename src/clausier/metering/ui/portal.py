"""The client's consumption in the portal ("Ma consommation"): its subscriptions with the
current period's estimate so far, and each subscription's page (per meter its quantity,
amounts HT and TTC with their "Pourquoi ?", and a chart per day).

Every view starts from ``portal_contact`` (``portal_view``) and reads the contact's client's
subscriptions only (another client's is a 404)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from clausier.customers.access import portal_view, render_portal
from clausier.customers.models import Contact
from clausier.metering import credits, selectors, usage
from clausier.metering.models import SubscriptionStatus


@portal_view
def consumption(request: HttpRequest, contact: Contact) -> HttpResponse:
    client = contact.client
    subscriptions = list(selectors.subscriptions_of_client(client=client))
    now = timezone.now()
    estimates = usage.estimates(
        subscriptions=[s for s in subscriptions if s.status == SubscriptionStatus.ACTIVE],
        now=now,
    )
    return render_portal(
        request,
        contact,
        "metering/portal/list.html",
        {
            "rows": [(s, estimates.get(s.pk)) for s in subscriptions],
            "period": usage.month_of(now),
            "credit": credits.balance_of(client=client, on=now),
        },
    )


@portal_view
def consumption_subscription(
    request: HttpRequest, contact: Contact, subscription_id: int
) -> HttpResponse:
    found = selectors.subscription_for_client(
        client=contact.client, subscription_id=subscription_id
    )
    now = timezone.now()
    return render_portal(
        request,
        contact,
        "metering/portal/detail.html",
        {
            "subscription": found,
            "consumption": usage.current_consumption(subscription=found, now=now),
            "credit": credits.balance_of(client=contact.client, on=now),
        },
    )
