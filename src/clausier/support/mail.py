"""The e-mails of support, sent by tasks once the change has committed: the client told of
an agent's answer (in its language), the seller's support address told of a new ticket,
the agent (or the support address) warned as a clock runs out."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from clausier.customers.selectors import document_language
from clausier.documents.email import send_email
from clausier.inbox.models import InboundMessage
from clausier.inbox.outgoing import new_message_id as message_id_in
from clausier.inbox.outgoing import reply_headers
from clausier.support.models import Ticket, TicketMessage


def subject_token(ticket: Ticket) -> str:
    """The token a reply's subject keeps, by which an inbound e-mail finds its ticket."""
    return f"[#{ticket.reference}]"


def new_message_id() -> str:
    """A Message-ID in the sending domain (a message coming back with it is a loop)."""
    return message_id_in(settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost")


def thread_headers(message: TicketMessage) -> dict[str, str]:
    """The answer's Message-ID and, when the ticket has an earlier e-mail, the headers that
    keep the answer in the client's thread (RFC 5322 3.6.4): the client's last e-mail as
    received, else our previous answer."""
    if not message.message_id_header:
        return {}
    previous = (
        TicketMessage.objects.filter(
            ticket_id=message.ticket_id, created_at__lte=message.created_at
        )
        .exclude(pk=message.pk)
        .exclude(message_id_header=None)
        .order_by("-created_at", "-pk")
        .first()
    )
    if previous is None:
        return {"Message-ID": message.message_id_header}
    inbound = None
    if previous.source_message_id is not None:
        inbound = InboundMessage.objects.filter(pk=previous.source_message_id).first()
    if inbound is not None:
        return reply_headers(to=inbound, own_message_id=message.message_id_header)
    return {
        "Message-ID": message.message_id_header,
        "In-Reply-To": previous.message_id_header,
        "References": previous.message_id_header,
    }


def client_recipients(ticket: Ticket) -> list[str]:
    """The client's contact who opened it (in the portal), else the address that last wrote
    to support about it (a contact of the client, by e-mail), else the client's address."""
    contact = ticket.client.contacts.filter(user_id=ticket.opened_by_id).exclude(email="").first()
    if ticket.opened_by_id is not None and contact is not None:
        return [contact.email]
    last = (
        ticket.messages.filter(source_message_id__isnull=False)
        .order_by("-created_at", "-pk")
        .values_list("source_message_id", flat=True)
        .first()
    )
    if last is not None:
        wrote = InboundMessage.objects.filter(pk=last).values_list("from_address", flat=True)
        if wrote and wrote[0]:
            return [wrote[0]]
    return [ticket.client.email] if ticket.client.email else []


def staff_recipients(ticket: Ticket) -> list[str]:
    agent = ticket.assigned_to
    if agent is not None and agent.email:
        return [agent.email]
    address = ticket.seller.email_support
    return [address] if address else []


def announce_new_ticket(ticket: Ticket) -> None:
    transaction.on_commit(lambda: email_new_ticket.enqueue(ticket_id=ticket.pk))


def announce_client_message(message: TicketMessage) -> None:
    transaction.on_commit(lambda: email_client_message.enqueue(message_id=message.pk))


def announce_answer(message: TicketMessage) -> None:
    transaction.on_commit(lambda: email_answer.enqueue(message_id=message.pk))


@task
def email_new_ticket(ticket_id: int) -> str:
    """The seller's support told of a new ticket (in the seller's language)."""
    ticket = Ticket.objects.select_related("seller", "client").get(pk=ticket_id)
    to = staff_recipients(ticket)
    if not to:
        return ""
    with translation.override(ticket.seller.default_language or settings.LANGUAGE_CODE):
        subject = _("%(token)s Nouveau ticket de %(client)s : %(subject)s") % {
            "token": subject_token(ticket),
            "client": ticket.client,
            "subject": ticket.subject,
        }
        body = _("Ticket %(ref)s (%(severity)s, %(channel)s).\n\n%(description)s\n\n%(link)s") % {
            "ref": ticket.reference,
            "severity": ticket.get_severity_display(),
            "channel": ticket.get_channel_display(),
            "description": ticket.description,
            "link": settings.BASE_URL
            + reverse(
                "backoffice:ticket", kwargs={"slug": ticket.seller.slug, "ticket_id": ticket.pk}
            ),
        }
    return send_email(to=to, subject=subject, body=body)


@task
def email_client_message(message_id: int) -> str:
    """The ticket's agent (else the seller's support) told of the client's message."""
    message = TicketMessage.objects.select_related(
        "ticket", "ticket__client", "ticket__seller", "ticket__assigned_to"
    ).get(pk=message_id)
    ticket = message.ticket
    to = staff_recipients(ticket)
    if not to:
        return ""
    with translation.override(ticket.seller.default_language or settings.LANGUAGE_CODE):
        subject = _("%(token)s Message de %(client)s : %(subject)s") % {
            "token": subject_token(ticket),
            "client": ticket.client,
            "subject": ticket.subject,
        }
        body = "\n\n".join(
            [
                message.body,
                settings.BASE_URL
                + reverse(
                    "backoffice:ticket",
                    kwargs={"slug": ticket.seller.slug, "ticket_id": ticket.pk},
                ),
            ]
        )
    return send_email(to=to, subject=subject, body=body)


@task
def email_answer(message_id: int) -> str:
    """The client told of an agent's answer, in its language, with a link to its ticket."""
    message = TicketMessage.objects.select_related(
        "ticket", "ticket__client", "ticket__seller", "ticket__opened_by"
    ).get(pk=message_id)
    ticket = message.ticket
    to = client_recipients(ticket)
    if not to:
        return ""
    with translation.override(document_language(client=ticket.client)):
        subject = _("%(token)s Réponse du support : %(subject)s") % {
            "token": subject_token(ticket),
            "subject": ticket.subject,
        }
        body = "\n\n".join(
            [
                _("Bonjour,"),
                _("Le support a répondu à votre ticket %(ref)s :") % {"ref": ticket.reference},
                message.body,
                _("Votre ticket dans votre espace client : %(link)s")
                % {
                    "link": settings.BASE_URL
                    + reverse("portal:ticket", kwargs={"ticket_id": ticket.pk})
                },
                str(ticket.seller),
            ]
        )
    reply_to = [ticket.seller.email_support] if ticket.seller.email_support else []
    return send_email(
        to=to, subject=subject, body=body, reply_to=reply_to, headers=thread_headers(message)
    )
