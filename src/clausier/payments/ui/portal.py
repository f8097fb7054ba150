"""The client's payment screens in the portal: its payments (history), a payment's receipt,
its credit and the refunds it is owed. Reads only, through ``payments.selectors``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from clausier.customers.access import portal_view, render_portal
from clausier.payments import selectors


@portal_view
def payments(request: HttpRequest, contact) -> HttpResponse:
    client = contact.client
    return render_portal(
        request,
        contact,
        "payments/portal/list.html",
        {
            "payments": selectors.payments_of_client(client=client)[:200],
            "credit": selectors.client_credit(client=client),
            "refunds": selectors.refunds_of_client(client=client),
        },
    )


@portal_view
def payment(request: HttpRequest, contact, payment_id: int) -> HttpResponse:
    """The receipt of a payment: what was received, when, how, and what it paid."""
    found = selectors.payment_for_client(client=contact.client, payment_id=payment_id)
    return render_portal(
        request,
        contact,
        "payments/portal/receipt.html",
        {"payment": found, "allocations": selectors.allocations_of_payment(payment=found)},
    )
