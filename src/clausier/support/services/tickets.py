"""Tickets: opened (portal, API, phone, e-mail, probe), qualified by the provider, moved
through the state table (the intervention and the repair stamped, waiting for the client a
pause of the clocks), answered, confirmed by e-mail after a phone report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.customers.models import Client
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.kernel.uploads import upload_refusal
from clausier.metering.models import Subscription
from clausier.numbering.services import next_number
from clausier.sellers.models import Seller
from clausier.support import mail, selectors
from clausier.support import transitions as t
from clausier.support.models import (
    Attachment,
    Author,
    Channel,
    ClockPause,
    Kind,
    PauseReason,
    Severity,
    Ticket,
    TicketMessage,
)

SERIES = "support_ticket"
PREFIX = "T-"


def _check_choice(field: str, value: str, choices) -> None:
    if value not in choices.values:
        raise ValidationError(
            {
                field: _("Valeur inconnue « %(value)s » ; possibles : %(allowed)s.")
                % {"value": value, "allowed": ", ".join(choices.values)}
            }
        )


def _checked_files(files: Sequence) -> list:
    for file in files:
        refusal = upload_refusal(file, use="ticket_attachment")
        if refusal:
            raise ValidationError({"attachments": refusal})
    return list(files)


def _attach(message: TicketMessage, files: Sequence) -> None:
    for file in files:
        Attachment.objects.create(
            message=message, file=file, name=str(file.name)[:200], size=file.size
        )


@transaction.atomic
def open_ticket(
    *,
    seller: Seller,
    client: Client,
    subject: str,
    description: str,
    channel: str,
    by: Actor,
    subscription: Subscription | None = None,
    severity: str = Severity.STANDARD,
    suggested_severity: str = "",
    kind: str = Kind.CORRECTIVE,
    opened_at: datetime | None = None,
    attachments: Sequence = (),
    message_id_header: str | None = None,
    source_message_id: int | None = None,
) -> Ticket:
    """A new ticket of ``client``, its clocks running from ``opened_at`` under the service
    levels of its terms (frozen now). The provider qualifies the severity (``severity``);
    the client may suggest one. A phone report waits for its confirmation by e-mail when
    the terms ask for one (seed 000 art. 9)."""
    if client.seller_id != seller.pk:
        raise ValidationError({"client": _("Ce client n'est pas le vôtre.")})
    if subscription is not None and subscription.client_id != client.pk:
        raise ValidationError({"subscription": _("Cette application n'est pas celle du client.")})
    if not subject.strip():
        raise ValidationError({"subject": _("L'objet est obligatoire.")})
    _check_choice("channel", channel, Channel)
    _check_choice("severity", severity, Severity)
    if suggested_severity:
        _check_choice("suggested_severity", suggested_severity, Severity)
    _check_choice("kind", kind, Kind)
    files = _checked_files(attachments)
    at = aware_now(opened_at)
    version = selectors.terms_for(client=client, subscription=subscription)
    sla = selectors.sla_of(version)
    number = next_number(seller=seller, series=SERIES, year=at.year, prefix=PREFIX)
    ticket = Ticket.objects.create(
        seller=seller,
        client=client,
        subscription=subscription,
        reference=number.label,
        subject=subject.strip(),
        description=description,
        channel=channel,
        severity=severity,
        suggested_severity=suggested_severity,
        kind=kind,
        opened_at=at,
        sla=sla,
        terms_label=sla.get("terms", ""),
        email_confirmation_expected=(
            channel == Channel.PHONE and bool(sla.get("email_confirmation_required"))
        ),
        opened_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if description.strip() or files:
        message = TicketMessage.objects.create(
            seller=seller,
            ticket=ticket,
            author=Author.CLIENT,
            written_by=ticket.opened_by if channel == Channel.PORTAL else None,
            channel=channel,
            body=description,
            created_at=at,
            message_id_header=message_id_header,
            source_message_id=source_message_id,
        )
        _attach(message, files)
    record_on(
        obj=ticket,
        actor=by,
        verb="ticket.opened",
        after={
            "reference": ticket.reference,
            "channel": channel,
            "severity": severity,
            "opened_at": at.isoformat(),
        },
    )
    mail.announce_new_ticket(ticket)
    return ticket


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


@transaction.atomic
def qualify(*, ticket: Ticket, severity: str, by: Actor, kind: str | None = None) -> Ticket:
    """The provider's qualification of the severity (and the nature): the clocks follow."""
    _check_choice("severity", severity, Severity)
    if kind is not None:
        _check_choice("kind", kind, Kind)
    ticket = _locked(ticket)
    before = {"severity": ticket.severity, "kind": ticket.kind}
    ticket.severity = severity
    ticket.kind = kind or ticket.kind
    ticket.save(update_fields=["severity", "kind", "updated_at"])
    record_on(
        obj=ticket,
        actor=by,
        verb="ticket.qualified",
        before=before,
        after={"severity": ticket.severity, "kind": ticket.kind},
    )
    return ticket


@transaction.atomic
def assign(*, ticket: Ticket, agent, by: Actor) -> Ticket:
    ticket = _locked(ticket)
    before = ticket.assigned_to_id
    ticket.assigned_to = agent
    ticket.save(update_fields=["assigned_to", "updated_at"])
    record_on(
        obj=ticket,
        actor=by,
        verb="ticket.assigned",
        before={"assigned_to": before},
        after={"assigned_to": getattr(agent, "pk", None)},
    )
    return ticket


def _open_pause(ticket: Ticket, *, reason: str, at: datetime) -> None:
    if ticket.pauses.filter(end__isnull=True).exists():
        raise Conflict(_("L'horloge de ce ticket est déjà en pause."))
    ClockPause.objects.create(ticket=ticket, start=at, reason=reason)


def _close_pause(ticket: Ticket, *, reason: str, at: datetime) -> ClockPause | None:
    pause = ticket.pauses.select_for_update().filter(end__isnull=True, reason=reason).first()
    if pause is not None:
        pause.end = max(at, pause.start)
        pause.save(update_fields=["end"])
    return pause


_STAMPS = {t.ACKNOWLEDGED: "acknowledged_at", t.RESOLVED: "resolved_at", t.CLOSED: "closed_at"}


@transaction.atomic
def apply_action(*, ticket: Ticket, action: str, by: Actor, at: datetime | None = None) -> Ticket:
    """``action`` of the state table on ``ticket``: acknowledging stamps the intervention
    (GTI), resolving the repair (GTR); waiting for the client pauses the clocks until it
    leaves that state; reopening clears the repair and the closing."""
    ticket = _locked(ticket)
    now = aware_now(at)
    target = t.target_of(action=action, current=ticket.status)
    before = ticket.status
    fields = ["status", "updated_at"]
    if before == t.WAITING_CLIENT:
        _close_pause(ticket, reason=PauseReason.WAITING_CLIENT, at=now)
    if target == t.WAITING_CLIENT:
        _open_pause(ticket, reason=PauseReason.WAITING_CLIENT, at=now)
    stamp = _STAMPS.get(target)
    if stamp and getattr(ticket, stamp) is None:
        setattr(ticket, stamp, now)
        fields.append(stamp)
    if action == "reopen":
        ticket.resolved_at = ticket.closed_at = None
        fields += ["resolved_at", "closed_at"]
    ticket.status = target
    ticket.save(update_fields=fields)
    record_on(
        obj=ticket,
        actor=by,
        verb="ticket.status_changed",
        before={"status": before},
        after={"status": target, "at": now.isoformat()},
    )
    return ticket


@transaction.atomic
def post_message(
    *,
    ticket: Ticket,
    author: str,
    body: str,
    by: Actor,
    channel: str = Channel.PORTAL,
    at: datetime | None = None,
    attachments: Sequence = (),
    message_id_header: str | None = None,
    source_message_id: int | None = None,
) -> TicketMessage:
    """A message on ``ticket``. An agent's answer to a new ticket is its intervention (it
    acknowledges it) and is e-mailed to the client; the client's answer while support waits
    for it resumes the clocks. A closed ticket takes no more messages."""
    _check_choice("author", author, Author)
    _check_choice("channel", channel, Channel)
    if not body.strip():
        raise ValidationError({"body": _("Le message est vide.")})
    files = _checked_files(attachments)
    ticket = _locked(ticket)
    if ticket.status == t.CLOSED:
        raise Conflict(_("Le ticket %(ref)s est clos.") % {"ref": ticket.reference})
    now = aware_now(at)
    if author == Author.AGENT and message_id_header is None:
        # The answer's own Message-ID, kept: the client's reply names it (In-Reply-To).
        message_id_header = mail.new_message_id()
    message = TicketMessage.objects.create(
        seller_id=ticket.seller_id,
        ticket=ticket,
        author=author,
        written_by=by if getattr(by, "is_authenticated", False) else None,
        channel=channel,
        body=body,
        created_at=now,
        message_id_header=message_id_header,
        source_message_id=source_message_id,
    )
    _attach(message, files)
    record_on(
        obj=ticket,
        actor=by,
        verb="ticket.message_posted",
        after={"author": author, "channel": channel, "message": message.pk},
    )
    if author == Author.AGENT and ticket.status == t.NEW:
        apply_action(ticket=ticket, action="acknowledge", by=by, at=now)
    elif author == Author.CLIENT and ticket.status == t.WAITING_CLIENT:
        apply_action(ticket=ticket, action="resume", by=by, at=now)
    elif author == Author.CLIENT and ticket.status == t.RESOLVED:
        # The client answers a resolved ticket: back in the queue, where staff see it.
        apply_action(ticket=ticket, action="reopen", by=by, at=now)
    if author == Author.AGENT:
        mail.announce_answer(message)
    else:
        mail.announce_client_message(message)
    return message


@transaction.atomic
def confirm_by_email(*, ticket: Ticket, message: TicketMessage, by: Actor) -> Ticket:
    """The e-mail that confirms a phone report (seed 000 art. 9), linked to the ticket."""
    ticket = _locked(ticket)
    if message.ticket_id != ticket.pk or message.channel != Channel.EMAIL:
        raise ValidationError({"message": _("La confirmation doit être un e-mail de ce ticket.")})
    ticket.confirmation_message = message
    ticket.save(update_fields=["confirmation_message", "updated_at"])
    record_on(obj=ticket, actor=by, verb="ticket.email_confirmed", after={"message": message.pk})
    return ticket


@transaction.atomic
def start_force_majeure(*, ticket: Ticket, by: Actor, at: datetime | None = None) -> Ticket:
    """The clocks stop: a case of force majeure holds the work up."""
    ticket = _locked(ticket)
    if ticket.status not in t.OPEN:
        raise Conflict(_("Le ticket %(ref)s n'est plus ouvert.") % {"ref": ticket.reference})
    now = aware_now(at)
    _open_pause(ticket, reason=PauseReason.FORCE_MAJEURE, at=now)
    record_on(
        obj=ticket,
        actor=by,
        verb="ticket.paused",
        after={"reason": PauseReason.FORCE_MAJEURE, "at": now.isoformat()},
    )
    return ticket


@transaction.atomic
def end_force_majeure(*, ticket: Ticket, by: Actor, at: datetime | None = None) -> Ticket:
    ticket = _locked(ticket)
    now = aware_now(at)
    if _close_pause(ticket, reason=PauseReason.FORCE_MAJEURE, at=now) is None:
        raise Conflict(_("Aucune pause pour force majeure en cours."))
    record_on(
        obj=ticket,
        actor=by,
        verb="ticket.pause_ended",
        after={"reason": PauseReason.FORCE_MAJEURE, "at": now.isoformat()},
    )
    return ticket
