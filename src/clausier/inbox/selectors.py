"""Reads of the inbox: a seller's received messages (and, for superusers, the messages no
mailbox matched), their attachments, the mailboxes to poll."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from clausier.inbox.models import InboundAttachment, InboundMessage, Mailbox, MessageStatus
from clausier.sellers.models import Seller

STATUS, AUTOMATIC, UNMATCHED = "failed", "automatic", "unmatched"


@dataclass(frozen=True)
class MessageFilters:
    """``show``: "" (all of the seller's), ``failed``, ``automatic``, or ``unmatched`` (no
    mailbox matched: superusers only)."""

    show: str = ""
    q: str = ""


def _visible(*, seller: Seller, superuser: bool) -> Q:
    seen = Q(seller=seller)
    return seen | Q(seller__isnull=True) if superuser else seen


def message_list(
    *, seller: Seller, superuser: bool, filters: MessageFilters
) -> QuerySet[InboundMessage]:
    """Newest first, without the raw bytes and bodies (a list never reads them)."""
    qs = (
        InboundMessage.objects.filter(seller=seller)
        .defer("raw", "text_body", "html_body")
        .select_related("mailbox")
        .annotate(attachment_count=Count("attachments"))
    )
    if filters.show == MessageStatus.FAILED:
        qs = qs.filter(status=MessageStatus.FAILED)
    elif filters.show == AUTOMATIC:
        qs = qs.filter(automatic=True)
    elif filters.show == UNMATCHED:
        qs = (
            InboundMessage.objects.filter(seller__isnull=True)
            .defer("raw", "text_body", "html_body")
            .select_related("mailbox")
            .annotate(attachment_count=Count("attachments"))
            if superuser
            else InboundMessage.objects.none()
        )
    if filters.q:
        qs = qs.filter(
            Q(subject__icontains=filters.q)
            | Q(from_address__icontains=filters.q)
            | Q(from_name__icontains=filters.q)
        )
    return qs.order_by("-received_at", "-id")


def message_for(*, seller: Seller, superuser: bool, message_id: int) -> InboundMessage:
    """One message with its attachments; another seller's (or an unmatched one, but for a
    superuser) is a 404."""
    return get_object_or_404(
        InboundMessage.objects.filter(_visible(seller=seller, superuser=superuser))
        .select_related("mailbox")
        .prefetch_related("attachments"),
        pk=message_id,
    )


def raw_of(message: InboundMessage) -> bytes:
    return bytes(message.raw)


def attachment_for(*, message: InboundMessage, attachment_id: int) -> InboundAttachment:
    return get_object_or_404(InboundAttachment.objects.filter(message=message), pk=attachment_id)


def counts(*, seller: Seller) -> dict[str, int]:
    """How many of the seller's messages failed and are automatic (the list's tabs)."""
    return InboundMessage.objects.filter(seller=seller).aggregate(
        failed=Count("id", filter=Q(status=MessageStatus.FAILED)),
        automatic=Count("id", filter=Q(automatic=True)),
    )


def imap_mailboxes(*, address: str | None = None) -> list[Mailbox]:
    """The active mailboxes with an IMAP server to poll (one, by its address, or all)."""
    qs = Mailbox.objects.filter(active=True).exclude(imap_host="").select_related("seller")
    if address:
        qs = qs.filter(address=address.strip().lower())
    return list(qs.order_by("id"))


def mailboxes_of(*, seller: Seller) -> QuerySet[Mailbox]:
    return Mailbox.objects.filter(seller=seller).order_by("address")
