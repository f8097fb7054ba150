"""Paying online from the portal: the "Payer" buttons of an unpaid invoice and of an online
order awaiting its payment send the client to the provider's page (Stripe Checkout for a card,
PayPal), and the pages the provider sends the client back to.

The return page says "paiement reçu, confirmation en cours" until the provider's webhook
confirms the payment (it reloads itself meanwhile), then that it is paid, with the receipt.
The cancel page cancels the pending payment and, for an online order, the order (seed 000
art. 5), saying why.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from clausier.customers.access import portal_action, portal_view, render_portal
from clausier.invoicing import selectors as invoicing_selectors
from clausier.kernel.errors import Conflict
from clausier.orders import selectors as order_selectors
from clausier.payments import selectors
from clausier.payments import transitions as t
from clausier.payments.models import Payment
from clausier.payments.providers.base import ProviderError
from clausier.payments.services import checkout

# The return page reloads itself every few seconds while the payment awaits its confirmation.
REFRESH_SECONDS = 3


def cancel_token(payment) -> str:
    """The secret part of a payment's cancel address, given to its provider only: a page of
    another site cannot make a client's browser cancel the client's payment (and order)."""
    key = "clausier.payments.checkout-cancel"
    return salted_hmac(key, str(payment.pk), algorithm="sha256").hexdigest()[:32]


def _urls(request: HttpRequest):
    def urls(payment: Payment) -> tuple[str, str]:
        cancel = reverse("portal:checkout_cancel", args=[payment.pk, cancel_token(payment)])
        return (
            request.build_absolute_uri(reverse("portal:checkout_return", args=[payment.pk])),
            request.build_absolute_uri(cancel),
        )

    return urls


def _go(request: HttpRequest, contact, started: checkout.Started, back: str) -> HttpResponse:
    """On to the provider's page. Not an HTTP redirect: the pages' Content-Security-Policy
    lets forms post to clausier only (``form-action 'self'``), which browsers apply to the
    redirects that follow a form too; a page that moves on by itself (and its link) is a
    navigation, which the policy leaves free."""
    if started.error:
        messages.error(request, started.error)
        return redirect(back)
    return render_portal(
        request,
        contact,
        "payments/portal/checkout_go.html",
        {"payment": started.payment, "redirect_url": started.redirect_url},
    )


@portal_action
def invoice_pay(request: HttpRequest, contact, invoice_id: int) -> HttpResponse:
    invoice = invoicing_selectors.invoice_for_client(client=contact.client, invoice_id=invoice_id)
    back = reverse("portal:invoice", args=[invoice.pk])
    try:
        started = checkout.start_invoice_checkout(
            invoice=invoice,
            provider=request.POST.get("provider", ""),
            urls=_urls(request),
            by=request.user,
            save_card=request.POST.get("save_card") == "1",
        )
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect(back)
    return _go(request, contact, started, back)


@portal_action
def order_pay(request: HttpRequest, contact, order_id: int) -> HttpResponse:
    order = order_selectors.order_for_client(client=contact.client, order_id=order_id)
    back = reverse("portal:order", args=[order.pk])
    try:
        started = checkout.start_order_checkout(
            order=order,
            provider=request.POST.get("provider", ""),
            urls=_urls(request),
            by=request.user,
        )
    except Conflict as exc:
        messages.error(request, str(exc))
        return redirect(back)
    return _go(request, contact, started, back)


def _page(request: HttpRequest, contact, payment: Payment, **extra) -> HttpResponse:
    payment = selectors.payment_for_client(client=contact.client, payment_id=payment.pk)
    allocations = list(selectors.allocations_of_payment(payment=payment))
    pending = payment.status == t.PENDING and not extra.get("cancelled_page")
    return render_portal(
        request,
        contact,
        "payments/portal/checkout.html",
        {
            "payment": payment,
            "allocations": allocations,
            "pending": pending,
            "refresh": REFRESH_SECONDS if pending else 0,
            **extra,
        },
    )


@portal_view
def checkout_return(request: HttpRequest, contact, payment_id: int) -> HttpResponse:
    """Where the provider sends the client after paying (PayPal: after approving, the
    order is captured here; its capture's event then confirms the payment)."""
    payment = selectors.payment_for_client(client=contact.client, payment_id=payment_id)
    error = ""
    if request.GET.get("token") and payment.provider_reference == request.GET["token"]:
        try:
            checkout.capture_approved(payment=payment)
        except ProviderError as exc:
            error = exc.message
    return _page(request, contact, payment, capture_error=error)


@portal_view
def checkout_cancel(request: HttpRequest, contact, payment_id: int, token: str) -> HttpResponse:
    """Where the provider sends the client who gave up: the payment is cancelled (and an
    online order with it, art. 5). Only through the address given to the provider."""
    payment = selectors.payment_for_client(client=contact.client, payment_id=payment_id)
    if not constant_time_compare(token, cancel_token(payment)):
        raise Http404
    payment = checkout.cancel_checkout(payment=payment, by=request.user)
    return _page(request, contact, payment, cancelled_page=True)
