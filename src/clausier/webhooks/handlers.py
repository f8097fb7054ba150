"""How outgoing webhooks answer other domains' facts (wired in ``clausier/reactions.py``).

A delivery row is written in the publisher's transaction (so a committed fact is never left
unannounced); its first attempt leaves after the commit, from a background task that retries
(:mod:`clausier.webhooks.tasks`).
"""

from __future__ import annotations

from clausier.sellers.models import Seller
from clausier.webhooks import services


def announce_service_activated(fact) -> None:
    """``orders.events.ServiceActivated``: the signed ``service.activate`` webhook to every
    endpoint of the seller subscribed to it (seed 000 art. 8)."""
    services.emit(
        seller=Seller.objects.get(pk=fact.seller_id),
        event_type="service.activate",
        payload=fact.payload,
        subject=f"order:{fact.order_id}",
        now=fact.at,
    )


def announce_services_suspended(fact) -> None:
    """``collections.standing_events.ClientSuspended``: ``service.suspend`` for each running
    service of the client (seed 002 art. 6: the seller suspends the work in progress)."""
    _announce(fact, "service.suspend", {"reason": fact.clause_cited})


def announce_services_resumed(fact) -> None:
    """``collections.standing_events.ClientResumed``: ``service.resume`` for each of them."""
    _announce(fact, "service.resume", {"reason": fact.reason})


def _announce(fact, event_type: str, extra: dict) -> None:
    seller = Seller.objects.get(pk=fact.seller_id)
    for service in fact.services:
        services.emit(
            seller=seller,
            event_type=event_type,
            payload=service | extra,
            subject=f"order:{service['order_id']}",
            now=fact.at,
        )


def announce_service_terminated(fact) -> None:
    """``withdrawal.events.WithdrawalAccepted``: the consumer withdrew, the service ends: the
    signed ``service.terminate`` webhook to every endpoint of the seller subscribed to it."""
    services.emit(
        seller=Seller.objects.get(pk=fact.seller_id),
        event_type="service.terminate",
        payload={
            "order_id": fact.order_id,
            "reference": fact.order_reference,
            "client": {"id": fact.client_id},
            "reason": "withdrawal",
            "withdrawal_id": fact.withdrawal_id,
            "received_on": fact.received_on.isoformat(),
        },
        subject=f"order:{fact.order_id}",
        now=fact.at,
    )


def announce_contract_terminated(fact) -> None:
    """``contracts.events.ContractTerminated`` (a later stage, read by its fields): a
    contract ended, its services stop: the signed ``service.terminate`` webhook. A contract
    ended by the consumer's withdrawal (reason ``withdrawal``) is not announced twice: the
    withdrawal told the runtime (``announce_service_terminated``)."""
    if fact.reason == "withdrawal":
        return
    services.emit(
        seller=Seller.objects.get(pk=fact.seller_id),
        event_type="service.terminate",
        payload={
            "order_id": fact.order_id,
            "reference": fact.reference,
            "client": {"id": fact.client_id},
            "reason": "contract_terminated",
            "contract_id": fact.contract_id,
            "effective_on": fact.effective_on.isoformat(),
        },
        subject=f"contract:{fact.contract_id}",
        now=fact.at,
    )


def announce_on_call_page(fact) -> None:
    """``support.events.OnCallPaged`` (a later stage, read by its fields): the signed
    ``support.page`` webhook an SMS or push provider turns into a call to the engineer."""
    services.emit(
        seller=Seller.objects.get(pk=fact.seller_id),
        event_type="support.page",
        payload={
            "ticket_id": fact.ticket_id,
            "reference": fact.ticket_reference,
            "subject": fact.subject,
            "engineer": fact.engineer,
            "email": fact.email,
            "escalation": fact.escalation,
            "acknowledge_by": fact.acknowledge_by.isoformat(),
        },
        subject=f"page:{fact.page_id}:{'escalation' if fact.escalation else 'first'}",
        now=fact.at,
    )
