"""Paying online from the portal: a pending payment for the exact balance of an invoice, or
the total of an online order awaiting its payment (seed 000 art. 5), and the provider's page
the client is sent to (a Stripe Checkout Session, a PayPal order).

:func:`start_invoice_checkout` / :func:`start_order_checkout` open the payment ``pending``
with its provider, call the provider, then keep the session's (or PayPal order's) id as the
payment's ``provider_reference``: the webhook events of that session find their payment by
it (:mod:`clausier.payments.services.provider_events`). The provider is called outside any
database transaction, so no row stays locked while it answers; a provider that refuses or
cannot be reached leaves the payment ``cancelled`` with the reason.

:func:`cancel_checkout`: the client came back through the cancel page. The session is closed
at the provider (no one can pay it any more), then the payment is ``cancelled``; for an
online order that cancels the order (art. 5, the orders' reaction), the reason kept.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import acting_user, record_on
from clausier.customers.models import Client
from clausier.invoicing.models import Invoice
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.orders.models import Order, OrderStatus
from clausier.payments import selectors
from clausier.payments import transitions as t
from clausier.payments.models import Method, Payment
from clausier.payments.providers import paypal_gateway, stripe_gateway
from clausier.payments.providers.base import (
    Checkout,
    PaymentLink,
    Provider,
    ProviderError,
    ProviderRefused,
)
from clausier.payments.providers.config import available_methods
from clausier.payments.services.online import record_online_payment
from clausier.payments.services.saved_cards import CONSENT_VERSION, customer_of
from clausier.payments.services.support import locked_invoice, locked_payment, require_payable
from clausier.sellers.models import Seller

METHODS = {Provider.STRIPE: Method.CARD, Provider.PAYPAL: Method.PAYPAL}
# Said to the client and staff when the client leaves the provider's page without paying
# (French, as the order's documents are: it becomes the order's cancellation reason).
CANCELLED_BY_CLIENT = "paiement annulé par le client sur la page de paiement"
# A page left open and replaced by a new "Payer" of the same invoice.
REPLACED = "page de paiement remplacée par un nouveau paiement de la facture"

# The success and cancel addresses of a payment (absolute URLs), made by the portal.
ReturnUrls = Callable[[Payment], tuple[str, str]]


@dataclass(frozen=True)
class Started:
    """A checkout opened (``redirect_url``: the provider's page), or refused (``error``: why,
    for the client; the payment then ``cancelled``)."""

    payment: Payment
    redirect_url: str = ""
    error: str = ""


def _link_reference(payment: Payment) -> str:
    """The payment's reference in the :class:`PaymentLink`: its id and a random suffix, so
    that PayPal's invoice_id and Stripe's idempotency key are never reused, even by a
    database started afresh."""
    return f"{payment.pk}-{secrets.token_hex(4)}"


def payment_id_of(*, link: PaymentLink | None) -> int | None:
    """The payment id a link names (see :func:`_link_reference`), or None."""
    if link is None:
        return None
    head = link.payment.split("-", 1)[0]
    return int(head) if head.isdigit() else None


def _check_provider(provider: str) -> Provider:
    if provider not in {p.value for p in available_methods()}:
        raise Conflict(_("Ce moyen de paiement en ligne n'est pas disponible."))
    return Provider(provider)


def _open(
    *,
    seller: Seller,
    client: Client,
    provider: Provider,
    amount: Decimal,
    order: Order | None,
    invoice: Invoice | None,
    by: Actor,
) -> Payment:
    payment = Payment.objects.create(
        seller=seller,
        client=client,
        order=order,
        checkout_invoice=invoice,
        method=METHODS[provider],
        status=t.PENDING,
        amount=amount,
        provider=provider.value,
        recorded_by=acting_user(by=by),
    )
    record_on(
        obj=payment,
        actor=by,
        verb="payment.started",
        after={
            "status": t.PENDING,
            "provider": provider.value,
            "amount": str(amount),
            **({"invoice": invoice.number} if invoice is not None else {}),
            **({"order": order.reference} if order is not None else {}),
        },
    )
    return payment


def _open_checkouts(*, invoice: Invoice):
    return Payment.objects.filter(
        checkout_invoice=invoice, status=t.PENDING, method__in=t.PROVIDER_METHODS
    )


def _close_open_checkouts(*, invoice: Invoice, by: Actor, now: datetime) -> None:
    """Before a new "Payer" of ``invoice``: the pages opened earlier for it are closed at
    their provider and their payments cancelled, so that one charge at most can follow. A
    page paid (or approved) meanwhile stays pending, and the new payment is refused while its
    confirmation is on its way."""
    for earlier in _open_checkouts(invoice=invoice).filter(saved_method__isnull=True):
        cancel_checkout(payment=earlier, by=by, reason=REPLACED, now=now)


def start_invoice_checkout(
    *,
    invoice: Invoice,
    provider: str,
    urls: ReturnUrls,
    by: Actor,
    save_card: bool = False,
    now: datetime | None = None,
) -> Started:
    """A payment of the balance of ``invoice`` by ``provider`` (``stripe``: card, ``paypal``),
    and the provider's page for it. Refused (a Conflict, nothing written) when the invoice is
    not issued, is paid, or the method is off. ``save_card``: the client ticked the consent
    to keep its card for its next invoices (Stripe only; ``saved_cards.CONSENT_TEXT``). A
    saved card's charge of the invoice under way is never closed here: the new payment is
    refused until it is known."""
    now = aware_now(now)
    chosen = _check_provider(provider)
    _close_open_checkouts(invoice=invoice, by=by, now=now)
    with transaction.atomic():
        invoice = locked_invoice(invoice=invoice)
        require_payable(invoice=invoice)
        balance = selectors.invoice_balance(invoice=invoice)
        if balance <= 0:
            raise Conflict(_("La facture %(number)s est réglée.") % {"number": invoice.number})
        if _open_checkouts(invoice=invoice).exists():
            # Another "Payer" of the same invoice got there first (two tabs, a double click).
            raise Conflict(
                _(
                    "Un paiement en ligne de la facture %(number)s est déjà en cours : "
                    "attendez sa confirmation avant d'en commencer un autre."
                )
                % {"number": invoice.number}
            )
        payment = _open(
            seller=invoice.seller,
            client=invoice.client,
            provider=chosen,
            amount=balance,
            order=None,
            invoice=invoice,
            by=by,
        )
    link = PaymentLink(
        seller=str(payment.seller_id), payment=_link_reference(payment), invoice=str(invoice.pk)
    )
    description = _("Facture %(number)s") % {"number": invoice.number}
    keep = chosen == Provider.STRIPE and save_card
    return _send(
        payment, link=link, description=description, urls=urls, by=by, now=now, save_card=keep
    )


def start_order_checkout(
    *, order: Order, provider: str, urls: ReturnUrls, by: Actor, now: datetime | None = None
) -> Started:
    """A payment of an online ``order`` awaiting its payment, for its total (art. 5), and the
    provider's page for it. Refused (a Conflict) unless the order awaits its payment."""
    now = aware_now(now)
    chosen = _check_provider(provider)
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(of=("self",))
            .select_related("seller", "client")
            .get(pk=order.pk)
        )
        if order.quote_id is not None or order.status != OrderStatus.AWAITING_PAYMENT:
            raise Conflict(
                _("%(order)s n'attend pas de paiement en ligne.") % {"order": order.reference}
            )
        payment = _open(
            seller=order.seller,
            client=order.client,
            provider=chosen,
            amount=order.total_ttc,
            order=order,
            invoice=None,
            by=by,
        )
    link = PaymentLink(
        seller=str(payment.seller_id), payment=_link_reference(payment), order=str(order.pk)
    )
    description = _("Commande %(reference)s") % {"reference": order.reference}
    return _send(payment, link=link, description=description, urls=urls, by=by, now=now)


def _create(
    payment: Payment, *, link: PaymentLink, description: str, urls: ReturnUrls, save_card: bool
):
    success_url, cancel_url = urls(payment)
    if payment.provider == Provider.STRIPE:
        return stripe_gateway.create_checkout_session(
            amount=payment.amount,
            link=link,
            description=description,
            success_url=success_url,
            cancel_url=cancel_url,
            customer_email=payment.client.email or "",
            save_card=CONSENT_VERSION if save_card else "",
            customer=customer_of(client=payment.client) if save_card else "",
        )
    return paypal_gateway.create_order(
        amount=payment.amount,
        link=link,
        description=description,
        return_url=success_url,
        cancel_url=cancel_url,
        brand_name=str(payment.seller),
    )


def _send(
    payment: Payment,
    *,
    link: PaymentLink,
    description: str,
    urls: ReturnUrls,
    by: Actor,
    now: datetime,
    save_card: bool = False,
) -> Started:
    try:
        checkout = _create(
            payment, link=link, description=description, urls=urls, save_card=save_card
        )
    except (ProviderError, ValueError) as exc:
        reason = getattr(exc, "message", "") or str(exc)
        payment = _abandon(payment, reason=reason, by=by)
        return Started(
            payment=payment,
            error=_("Le paiement en ligne n'a pas pu commencer (%(reason)s) : réessayez plus tard.")
            % {"reason": reason},
        )
    payment = _attach(payment, checkout=checkout, by=by)
    return Started(payment=payment, redirect_url=checkout.redirect_url)


@transaction.atomic
def _attach(payment: Payment, *, checkout: Checkout, by: Actor) -> Payment:
    payment = locked_payment(payment=payment)
    payment.provider_reference = checkout.reference
    payment.save(update_fields=["provider_reference", "updated_at"])
    record_on(
        obj=payment,
        actor=by,
        verb="payment.checkout_opened",
        after={"provider": payment.provider, "reference": checkout.reference},
    )
    return payment


@transaction.atomic
def _abandon(payment: Payment, *, reason: str, by: Actor) -> Payment:
    """A payment whose provider page could not be opened: ``cancelled``, with the reason."""
    payment = locked_payment(payment=payment)
    t.check(label=str(payment), current=payment.status, target=t.CANCELLED)
    payment.status, payment.failure_reason = t.CANCELLED, reason[:1000]
    payment.save(update_fields=["status", "failure_reason", "updated_at"])
    record_on(
        obj=payment,
        actor=by,
        verb="payment.cancelled",
        before={"status": t.PENDING},
        after={"status": t.CANCELLED, "reason": payment.failure_reason},
    )
    return payment


def _still_payable_at_provider(payment: Payment) -> bool:
    """Close the provider's page; False when the client paid (or approved) it meanwhile: the
    provider's event will say so, nothing is cancelled here."""
    reference = payment.provider_reference
    try:
        if payment.provider == Provider.STRIPE:
            try:
                stripe_gateway.expire_checkout_session(reference)
            except ProviderRefused:
                return not stripe_gateway.retrieve_checkout_session(reference).paid
            return True
        return paypal_gateway.get_order(reference).status not in {"APPROVED", "COMPLETED"}
    except ProviderError:
        # Unreachable: cancelled here all the same; a success reported later is recorded
        # (cancelled -> succeeded) and, for a cancelled order, owed back.
        return True


def cancel_checkout(
    *, payment: Payment, by: Actor, reason: str = CANCELLED_BY_CLIENT, now: datetime | None = None
) -> Payment:
    """The client left the provider's page without paying: the page closed at the provider,
    the payment ``cancelled`` and, for an online order, the order cancelled (art. 5) with
    ``reason``. A payment no longer pending changes nothing."""
    now = aware_now(now)
    if payment.status != t.PENDING:
        return payment
    if not payment.provider_reference:
        return _abandon(payment, reason=reason, by=by)
    if not _still_payable_at_provider(payment):
        return payment
    return record_online_payment(
        seller=payment.seller,
        client=payment.client,
        provider=payment.provider,
        reference=payment.provider_reference,
        outcome=t.CANCELLED,
        amount=payment.amount,
        received_at=now,
        order=payment.order,
        reason=reason,
        by=by,
        now=now,
    )


def capture_approved(*, payment: Payment) -> Checkout | None:
    """PayPal: capture the order the client approved (on the return page, and on the
    ``CHECKOUT.ORDER.APPROVED`` event). Capturing twice charges once; the capture's
    ``PAYMENT.CAPTURE.COMPLETED`` event then records the payment. None for anything else
    than a pending PayPal payment."""
    if payment.provider != Provider.PAYPAL or payment.status != t.PENDING:
        return None
    if not payment.provider_reference:
        return None
    return paypal_gateway.capture_order(payment.provider_reference)
