"""The client's payment screens in the portal: its payments (history), a payment's receipt,
its credit and the refunds it is owed (reads, through ``payments.selectors``); its saved card
("Moyens de paiement"), which it may remove."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from clausier.customers.access import portal_action, portal_view, render_portal
from clausier.payments import saved_selectors, selectors
from clausier.payments.services import revoke_saved_method
from clausier.payments.services.saved_cards import CONSENT_TEXT


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


@portal_view
def payment_methods(request: HttpRequest, contact) -> HttpResponse:
    """The card the client keeps for its next invoices (if any), the consent it gave, the
    last invoices charged to it, and the button that removes it."""
    client = contact.client
    return render_portal(
        request,
        contact,
        "payments/portal/methods.html",
        {
            "method": saved_selectors.active_saved_method(client=client),
            "charges": saved_selectors.saved_card_charges(client=client),
            "consent_text": CONSENT_TEXT % {"seller": client.seller},
        },
    )


@portal_action
def payment_method_remove(request: HttpRequest, contact, method_id: int) -> HttpResponse:
    method = saved_selectors.saved_method_for_client(client=contact.client, method_id=method_id)
    revoke_saved_method(method=method, by=request.user)
    messages.success(
        request,
        _("La carte %(card)s est retirée : vos prochaines factures ne seront plus débitées.")
        % {"card": method.label},
    )
    return redirect("portal:payment_methods")
