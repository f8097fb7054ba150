"""How metering answers other domains' facts (wired in ``clausier/reactions.py``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from clausier.audit.triggers import Trigger
from clausier.customers.models import Client
from clausier.metering import services
from clausier.orders.models import Order
from clausier.rules.formats import format_eur


def start_subscription(fact) -> None:
    """``orders.events.ServiceActivated``: the paid online order's service started (seed 000
    art. 8): its subscription starts metering, under the order's terms."""
    order = Order.objects.select_related("terms_version").get(pk=fact.order_id)
    services.start_subscription(order=order, at=fact.at, by=None)


def end_cancelled_order(fact) -> None:
    """``orders.events.OrderCancelled``: the service of a cancelled order is not billed
    any more; its subscription ends."""
    services.end_order_subscription(
        order_id=fact.order_id,
        by=fact.by,
        trigger=Trigger.ORDER_CANCELLED,
    )


def end_withdrawn_order(fact) -> None:
    """``withdrawal.events.WithdrawalAccepted`` (a later stage, read by its fields): the
    consumer withdrew (C. conso. L221-18), the service ends and meters nothing more."""
    services.end_order_subscription(
        order_id=fact.order_id,
        by=fact.by,
        trigger=Trigger.WITHDRAWAL_ACCEPTED,
    )


def end_terminated_contract(fact) -> None:
    """``contracts.events.ContractTerminated``: a contract of an online order ended (seed 002
    art. 7); the order's subscription meters nothing more."""
    if fact.order_id is None:
        return
    services.end_order_subscription(
        order_id=fact.order_id, by=fact.by, trigger=Trigger.CONTRACT_TERMINATED
    )


def draw_prepaid_credit(fact) -> None:
    """``invoicing.events.PrepaidCreditUsed`` (a later stage, read by its fields): a usage
    invoice deducts the client's prepaid credits; they are drawn in the same transaction,
    once per reference. Drawn less than the invoice deducts (a concurrent draw took part of
    the balance meanwhile), the draft is refused and its subscription billed again by a
    rerun."""
    client = Client.objects.get(pk=fact.client_id, seller_id=fact.seller_id)
    drawn = services.draw_credit(
        client=client, amount=fact.amount, reference=fact.reference, by=fact.by, at=fact.at
    )
    if drawn != fact.amount:
        raise ValidationError(
            _(
                "Crédits prépayés : %(drawn)s disponibles au lieu des %(amount)s déduits de la "
                "facture (%(reference)s) ; relancez la facturation."
            )
            % {
                "drawn": format_eur(drawn),
                "amount": format_eur(fact.amount),
                "reference": fact.reference,
            }
        )
