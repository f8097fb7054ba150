"""The tickets' REST router at ``/tickets``: list (with the clocks), a ticket opened, one
ticket, a transition of its state table, its messages listed and posted. Every POST takes an
``Idempotency-Key`` (the API shell)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from clausier.customers import selectors as customer_selectors
from clausier.metering import selectors as metering_selectors
from clausier.sellers.access import api_scope
from clausier.support import presenters, selectors, services
from clausier.support.models import TicketStatus
from clausier.support.schemas import (
    MessageIn,
    MessageOut,
    TicketIn,
    TicketOut,
    TicketPage,
    TransitionIn,
)
from clausier.web.api import Paging, responses, token_of

router = Router(tags=["tickets"])


def _out(ticket):
    now = timezone.now()
    return presenters.ticket_json(ticket, selectors.clocks_of(ticket, now=now), now=now)


@router.get(
    "",
    response=responses({200: TicketPage}, 422),
    summary="List tickets (paginated), latest opened first, with their GTI and GTR clocks",
)
def list_tickets(request, paging: Query[Paging], status: TicketStatus | None = None):
    rows = selectors.tickets_for_seller(seller=api_scope(request).seller)
    if status:
        rows = rows.filter(status=status)
    page = paging.page(rows)
    page["items"] = [_out(t) for t in page["items"]]
    return page


@router.post(
    "",
    response=responses({201: TicketOut}, 400, 422),
    summary="Open a ticket",
    description="Its clocks run from now under the service levels of the client's terms "
    "(frozen on the ticket). A phone report waits for its confirmation by e-mail when the "
    "terms ask for one.",
)
def create_ticket(request, payload: TicketIn):
    scope = api_scope(request)
    client = customer_selectors.client_named(scope=scope, client_id=payload.client_id)
    subscription = None
    if payload.subscription_id is not None:
        try:
            subscription = metering_selectors.subscription_for_seller(
                seller=scope.seller, subscription_id=payload.subscription_id
            )
        except Http404:
            raise ValidationError({"subscription_id": "unknown subscription"}) from None
    ticket = services.open_ticket(
        seller=scope.seller,
        client=client,
        subscription=subscription,
        subject=payload.subject,
        description=payload.description,
        channel=payload.channel,
        severity=payload.severity,
        suggested_severity=payload.suggested_severity,
        kind=payload.kind,
        by=token_of(request),
    )
    return Status(201, _out(ticket))


@router.get("/{ticket_id}", response=responses({200: TicketOut}, 404), summary="A ticket")
def get_ticket(request, ticket_id: int):
    return _out(selectors.ticket_for_seller(seller=api_scope(request).seller, pk=ticket_id))


@router.post(
    "/{ticket_id}/transitions",
    response=responses({200: TicketOut}, 400, 404, 409, 422),
    summary="Move a ticket through its state table",
    description="`acknowledge` stamps the intervention (GTI), `resolve` the repair (GTR); "
    "`wait_client` pauses the clocks until `resume`; an action the current state does not "
    "allow is a 409.",
)
def transition_ticket(request, ticket_id: int, payload: TransitionIn):
    found = selectors.ticket_for_seller(seller=api_scope(request).seller, pk=ticket_id)
    return _out(services.apply_action(ticket=found, action=payload.action, by=token_of(request)))


@router.get(
    "/{ticket_id}/messages",
    response=responses({200: list[MessageOut]}, 404),
    summary="A ticket's messages, oldest first",
)
def list_messages(request, ticket_id: int):
    found = selectors.ticket_for_seller(seller=api_scope(request).seller, pk=ticket_id)
    return [presenters.message_json(m) for m in selectors.messages_of(ticket=found)]


@router.post(
    "/{ticket_id}/messages",
    response=responses({201: MessageOut}, 400, 404, 409, 422),
    summary="Post a message on a ticket",
    description="An agent's answer to a new ticket acknowledges it and is e-mailed to the "
    "client; the client's answer while support waits for it resumes the clocks.",
)
def post_message(request, ticket_id: int, payload: MessageIn):
    found = selectors.ticket_for_seller(seller=api_scope(request).seller, pk=ticket_id)
    message = services.post_message(
        ticket=found,
        author=payload.author,
        channel=payload.channel,
        body=payload.body,
        by=token_of(request),
    )
    return Status(201, presenters.message_json(message))
