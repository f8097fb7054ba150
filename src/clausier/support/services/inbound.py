"""Mail to the seller's support address, received by the inbox, becomes support's work
(seed 000 art. 9: support by e-mail; a phone report confirmed by e-mail).

A message answering a ticket (its In-Reply-To or References name a message of the ticket, or
its subject carries the ticket's token ``[#T-2026-000123]``) is added to that ticket; a
message from a known client that answers nothing opens a ticket, or confirms the one phone
report of the client still waiting for its e-mail. Automatic messages (out-of-office,
bounces, lists: the inbox's loop rules) are never answered and never open a ticket. A sender
the seller does not know is handled by the mailbox's policy: kept for the team to attach to a
client (``accept``, ``hold``) or kept without follow-up (``ignore``); so is an address several
clients share (the team says whose it is). The message stays in the inbox either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from clausier.audit.services import record_event
from clausier.customers.models import Client
from clausier.inbox.models import InboundMessage, MessageStatus, UnknownSenders
from clausier.inbox.threading import subject_token, thread_keys
from clausier.kernel.actor import Actor
from clausier.kernel.errors import Conflict
from clausier.kernel.uploads import upload_refusal
from clausier.support import transitions as t
from clausier.support.models import Author, Channel, Ticket, TicketMessage
from clausier.support.services.tickets import confirm_by_email, open_ticket, post_message

TOKEN = re.compile(r"\[#(T-\d{4}-\d+)\]")
NO_SUBJECT = "(sans objet)"


@dataclass(frozen=True)
class Outcome:
    """What became of a received message: ``added`` to a ticket, ``opened`` one, or set
    aside (``automatic``, ``unknown_sender``, ``ignored``, ``already``)."""

    action: str
    ticket: Ticket | None = None
    message: TicketMessage | None = None


def _clients_of(seller_id: int, address: str) -> list[Client]:
    """The seller's clients whose billing address or a contact's address is ``address``
    (several when a contact works for more than one client)."""
    if not address:
        return []
    return list(
        Client.objects.filter(seller_id=seller_id)
        .filter(Q(email__iexact=address) | Q(contacts__email__iexact=address))
        .distinct()
        .order_by("pk")
    )


def _writes_for(client_id: int, address: str) -> bool:
    return bool(address) and (
        Client.objects.filter(pk=client_id)
        .filter(Q(email__iexact=address) | Q(contacts__email__iexact=address))
        .exists()
    )


def _already(inbound: InboundMessage) -> TicketMessage | None:
    """The ticket message this e-mail already is: the same delivery, or the same message
    (its Message-ID) received again through another of the seller's mailboxes."""
    found = Q(source_message_id=inbound.pk)
    if inbound.message_id_header:
        found |= Q(seller_id=inbound.seller_id, message_id_header=inbound.message_id_header)
    return TicketMessage.objects.filter(found).select_related("ticket").first()


def _threaded_ticket(inbound: InboundMessage) -> Ticket | None:
    """The ticket one of the message's In-Reply-To / References names, else the one its
    subject's token names."""
    answered = [key for key in thread_keys(inbound) if key != inbound.message_id_header]
    if answered:
        known = (
            TicketMessage.objects.filter(
                seller_id=inbound.seller_id, message_id_header__in=answered
            )
            .select_related("ticket")
            .order_by("-created_at")
            .first()
        )
        if known is not None:
            return known.ticket
    token = subject_token(inbound.subject, TOKEN)
    if token:
        return Ticket.objects.filter(seller_id=inbound.seller_id, reference=token).first()
    return None


def _files(inbound: InboundMessage) -> list[ContentFile]:
    """The attachments support may keep (the kinds and sizes a ticket accepts); the others
    stay readable in the inbox's message."""
    files = []
    for attachment in inbound.attachments.filter(too_large=False).exclude(file=""):
        with attachment.file.open("rb") as stored:
            file = ContentFile(stored.read(), name=attachment.filename)
        if not upload_refusal(file, use="ticket_attachment"):
            files.append(file)
    return files


def _body(inbound: InboundMessage) -> str:
    return inbound.text_body.strip() or inbound.subject or NO_SUBJECT


def _set_aside(inbound: InboundMessage, action: str, by: Actor) -> Outcome:
    record_event(
        actor=by,
        seller=inbound.seller,
        obj=inbound,
        verb=f"ticket.email_{action}",
        after={"message": inbound.pk, "from": inbound.from_address},
    )
    return Outcome(action=action)


def _add(ticket: Ticket, inbound: InboundMessage, by: Actor) -> Outcome:
    message = post_message(
        ticket=ticket,
        author=Author.CLIENT,
        body=_body(inbound),
        by=by,
        channel=Channel.EMAIL,
        at=inbound.received_at,
        attachments=_files(inbound),
        message_id_header=inbound.message_id_header or None,
        source_message_id=inbound.pk,
    )
    if ticket.awaiting_email_confirmation:
        confirm_by_email(ticket=ticket, message=message, by=by)
    return Outcome(action="added", ticket=ticket, message=message)


def _waiting_phone_report(client: Client) -> Ticket | None:
    """The client's one phone report still waiting for its e-mail, if exactly one."""
    waiting = [
        ticket
        for ticket in Ticket.objects.filter(
            client=client, email_confirmation_expected=True, confirmation_message__isnull=True
        ).exclude(status=t.CLOSED)
    ]
    return waiting[0] if len(waiting) == 1 else None


@transaction.atomic
def receive_email(*, message_id: int, by: Actor) -> Outcome:
    """Turn the inbox's parsed message ``message_id`` into support's work, once: a message
    already on a ticket is not added again (a second delivery of the fact)."""
    inbound = (
        InboundMessage.objects.select_for_update(of=("self",))
        .select_related("mailbox", "seller")
        .get(pk=message_id)
    )
    if inbound.status != MessageStatus.PARSED or inbound.mailbox_id is None:
        raise ValidationError(
            {"message": _("Seul un message lu d'une boîte de réception devient un ticket.")}
        )
    existing = _already(inbound)
    if existing is not None:
        return Outcome(action="already", ticket=existing.ticket, message=existing)
    if inbound.automatic:
        return _set_aside(inbound, "automatic", by)
    ticket = _threaded_ticket(inbound)
    if (
        ticket is not None
        and ticket.status != t.CLOSED
        and _writes_for(ticket.client_id, inbound.from_address)
    ):
        return _add(ticket, inbound, by)
    clients = _clients_of(inbound.seller_id, inbound.from_address)
    if not clients and inbound.mailbox.unknown_senders == UnknownSenders.IGNORE:
        return _set_aside(inbound, "ignored", by)
    if len(clients) != 1:
        # Unknown, or a contact of several clients: the team decides whose it is.
        return _set_aside(inbound, "unknown_sender", by)
    client = clients[0]
    waiting = _waiting_phone_report(client)
    if waiting is not None:
        return _add(waiting, inbound, by)
    return _open(inbound, client, by)


def _open(inbound: InboundMessage, client: Client, by: Actor) -> Outcome:
    ticket = open_ticket(
        seller=inbound.seller,
        client=client,
        subject=(inbound.subject or NO_SUBJECT)[:300],
        description=_body(inbound),
        channel=Channel.EMAIL,
        by=by,
        opened_at=inbound.received_at,
        attachments=_files(inbound),
        message_id_header=inbound.message_id_header or None,
        source_message_id=inbound.pk,
    )
    return Outcome(action="opened", ticket=ticket, message=ticket.messages.first())


@transaction.atomic
def open_from_email(*, message_id: int, client: Client, by: Actor) -> Outcome:
    """Staff attach a message from an unknown sender to ``client``: a ticket opens with it."""
    inbound = (
        InboundMessage.objects.select_for_update(of=("self",))
        .select_related("mailbox", "seller")
        .get(pk=message_id)
    )
    if client.seller_id != inbound.seller_id:
        raise ValidationError({"client": _("Ce client n'est pas le vôtre.")})
    if _already(inbound) is not None:
        raise Conflict(_("Ce message est déjà sur un ticket."))
    return _open(inbound, client, by)
