"""Reads of support, scoped to a seller (staff) or a client (portal): tickets, their clocks
(computed on read from the service levels frozen at opening), the queue sorted by urgency,
the hourly rate in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from clausier.customers.models import Client
from clausier.inbox.models import InboundMessage, MessageStatus, UnknownSenders
from clausier.metering.models import Subscription
from clausier.metering.rating import rate_subscriptions
from clausier.sellers.models import Seller, StaffMembership
from clausier.support import domain
from clausier.support import transitions as t
from clausier.support.dashboard import TicketTimes
from clausier.support.models import (
    ClockPause,
    HourlyRate,
    OnCallOverride,
    OnCallPage,
    OnCallShift,
    SlaPenalty,
    Ticket,
    TicketMessage,
)
from clausier.terms import selectors as terms_selectors
from clausier.terms.models import TermsVersion
from clausier.terms.schemas import ClauseKind, parse_parameters

PARIS = ZoneInfo("Europe/Paris")

# --- the service levels of a client's terms -------------------------------------------------


def terms_for(*, client: Client, subscription: Subscription | None) -> TermsVersion | None:
    """The terms a ticket runs under: its application's, else those the client accepted last,
    else the seller's current ones."""
    if subscription is not None:
        return subscription.terms_version
    return terms_selectors.version_in_force_for_client(
        client=client
    ) or terms_selectors.current_version(seller=client.seller)


def sla_of(version: TermsVersion | None) -> dict[str, Any]:
    """What a ticket freezes of ``version``: the rules.sla policy, the business hours, the
    penalty rates, the art. 9 exclusions, whether a phone report needs an e-mail, and the
    articles each comes from. Empty when the terms promise no service level."""
    if version is None:
        return {}
    clauses = list(version.clauses.order_by("position", "id"))
    levels, sources = {}, {}
    hours = scope = None
    for clause in clauses:
        if clause.kind == ClauseKind.SLA_LEVEL and clause.clause_id.startswith(domain.LEVEL_PREFIX):
            severity = clause.clause_id.removeprefix(domain.LEVEL_PREFIX)
            levels[severity] = parse_parameters(clause.kind, clause.parameters)
            sources[severity] = clause.article
        elif clause.kind == ClauseKind.SLA_BUSINESS_HOURS and hours is None:
            hours = parse_parameters(clause.kind, clause.parameters)
            sources["hours"] = clause.article
        elif clause.kind == ClauseKind.MAINTENANCE_SCOPE and scope is None:
            scope = parse_parameters(clause.kind, clause.parameters)
            sources["exclusions"] = clause.article
    found: dict[str, Any] = {"terms": version.label, "sources": sources}
    if scope is not None:
        found["exclusions"] = domain.exclusions(scope)
        found["email_confirmation_required"] = scope.email_confirmation_required
        found["excluded_handling"] = scope.excluded_handling
    if {"standard", "critical"} <= levels.keys() and hours is not None:
        found["policy"] = domain.policy_from_levels(levels)
        found["hours"] = domain.hours_json(hours)
        found["penalty_rates"] = domain.penalty_rates(levels)
        found["penalty"] = domain.penalty_terms(levels)
    return found


def contacts_of(*, version: TermsVersion | None):
    """The support line and address of ``version`` (``SupportContacts``), or None."""
    if version is None:
        return None
    clause = terms_selectors.clause_of_kind(version=version, kind=ClauseKind.SUPPORT_CONTACTS)
    return parse_parameters(clause.kind, clause.parameters) if clause else None


def hours_of(*, version: TermsVersion | None):
    if version is None:
        return None
    clause = terms_selectors.clause_of_kind(version=version, kind=ClauseKind.SLA_BUSINESS_HOURS)
    return parse_parameters(clause.kind, clause.parameters) if clause else None


# --- clocks ---------------------------------------------------------------------------------


def clocks_of(ticket: Ticket, *, now: datetime) -> domain.Clocks | None:
    """The GTI and GTR clocks of ``ticket`` at ``now``; None when it runs under no service
    level (the terms promise none, or the ticket is excluded). Reads ``ticket.pauses`` (a
    prefetch is used when there is one)."""
    if ticket.excluded or "policy" not in ticket.sla:
        return None
    pauses = [(p.start, p.end) for p in ticket.pauses.all()]
    return domain.clocks(
        opened_at=ticket.opened_at,
        severity=ticket.severity,
        policy=ticket.sla["policy"],
        hours=domain.hours_from_params(ticket.sla["hours"]),
        pauses=pauses,
        acknowledged_at=ticket.acknowledged_at,
        resolved_at=ticket.resolved_at,
        now=now,
    )


@dataclass(frozen=True)
class Row:
    ticket: Ticket
    clocks: domain.Clocks | None


def _with_related(qs: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return qs.select_related("client", "subscription", "assigned_to").prefetch_related(
        Prefetch("pauses", queryset=ClockPause.objects.order_by("start", "id"))
    )


def queue(*, seller: Seller, now: datetime) -> list[Row]:
    """The seller's open tickets, the most urgent first: a breached clock, then the larger
    share of its time used; tickets without a service level last, oldest first."""
    tickets = _with_related(Ticket.objects.filter(seller=seller, status__in=t.OPEN))
    rows = [Row(ticket, clocks_of(ticket, now=now)) for ticket in tickets]

    def key(row: Row):
        if row.clocks is None:
            return (2, 0, row.ticket.opened_at)
        breached, share = row.clocks.urgency
        return (breached, share, row.ticket.opened_at)

    return sorted(rows, key=key)


def tickets_for_seller(*, seller: Seller) -> QuerySet[Ticket]:
    return _with_related(Ticket.objects.filter(seller=seller))


def tickets_for_client(*, client: Client) -> QuerySet[Ticket]:
    return _with_related(Ticket.objects.filter(client=client))


def ticket_for_seller(*, seller: Seller, pk: int) -> Ticket:
    return get_object_or_404(tickets_for_seller(seller=seller), pk=pk)


def ticket_for_client(*, client: Client, pk: int) -> Ticket:
    return get_object_or_404(tickets_for_client(client=client), pk=pk)


def messages_of(*, ticket: Ticket) -> QuerySet[TicketMessage]:
    return ticket.messages.select_related("written_by").prefetch_related("attachments")


def open_tickets() -> QuerySet[Ticket]:
    """Every seller's open tickets under a service level (the warnings task)."""
    return _with_related(
        Ticket.objects.filter(status__in=t.OPEN, exclusion__isnull=True).select_related("seller")
    ).order_by("pk")


def rate_in_force(*, seller: Seller, on: date) -> HourlyRate | None:
    """The seller's hourly rate on ``on``: the latest in force from that day or before."""
    return (
        HourlyRate.objects.filter(seller=seller, effective_from__lte=on)
        .order_by("-effective_from")
        .first()
    )


EMAILS_SHOWN = 100


def emails_to_attach(*, seller: Seller) -> QuerySet[InboundMessage]:
    """Mail to the seller's support address on no ticket yet, from a sender it does not know
    (automatic ones and the mailboxes that ignore unknown senders left out), newest first."""
    on_tickets = TicketMessage.objects.filter(
        seller=seller, source_message_id__isnull=False
    ).values("source_message_id")
    known_ids = TicketMessage.objects.filter(seller=seller, message_id_header__isnull=False).values(
        "message_id_header"
    )
    return (
        InboundMessage.objects.filter(
            seller=seller,
            status=MessageStatus.PARSED,
            automatic=False,
            mailbox__unknown_senders__in=[UnknownSenders.ACCEPT, UnknownSenders.HOLD],
        )
        .exclude(pk__in=on_tickets)
        .exclude(message_id_header__in=known_ids)
        .only("pk", "received_at", "from_address", "from_name", "subject", "text_body")
        .order_by("-received_at", "-pk")[:EMAILS_SHOWN]
    )


def email_to_attach(*, seller: Seller, pk: int) -> InboundMessage:
    return get_object_or_404(
        InboundMessage.objects.filter(seller=seller, status=MessageStatus.PARSED), pk=pk
    )


# --- the penalties (art. 10.1.4) ------------------------------------------------------------


def penalty_of(*, ticket: Ticket) -> SlaPenalty | None:
    return SlaPenalty.objects.filter(ticket=ticket).first()


def monthly_consumption(*, client: Client, before: datetime, count: int) -> dict[str, Decimal]:
    """The client's consumption HT of its applications (every subscription, rated by
    metering) in each of the ``count`` calendar months (Europe/Paris) invoiced before
    ``before``'s month, the oldest first (``"2026-03"`` -> amount); none before the client's
    first subscription started (nothing was invoiced then)."""
    subs = list(Subscription.objects.filter(client=client, seller_id=client.seller_id))
    if not subs:
        return {}
    first = min(s.started_at for s in subs).astimezone(PARIS).date()
    months = domain.months_before(
        incident=before.astimezone(PARIS).date(), count=count, first=first
    )
    found: dict[str, Decimal] = {}
    for month in reversed(months):
        start = datetime.combine(month, time(), tzinfo=PARIS)
        end = datetime.combine(domain.next_month(month), time(), tzinfo=PARIS)
        started = [s for s in subs if s.started_at < end]
        rated = rate_subscriptions(subscriptions=started, start=start, end=end)
        found[f"{month:%Y-%m}"] = sum((r.total for r in rated), Decimal(0))
    return found


# --- on call (art. 10.3) --------------------------------------------------------------------


def on_call_at(*, seller: Seller, at: datetime) -> OnCallShift | OnCallOverride | None:
    """Who is on call for ``seller`` at ``at``: an override covering it, else the weekly
    schedule's engineer of that weekday (Europe/Paris)."""
    override = (
        OnCallOverride.objects.filter(seller=seller, start__lte=at, end__gt=at)
        .select_related("engineer", "backup")
        .order_by("-start", "-id")
        .first()
    )
    if override is not None:
        return override
    weekday = at.astimezone(PARIS).weekday()
    return (
        OnCallShift.objects.filter(seller=seller, weekday=weekday)
        .select_related("engineer", "backup")
        .first()
    )


def rota_of(*, seller: Seller) -> QuerySet[OnCallShift]:
    return OnCallShift.objects.filter(seller=seller).select_related("engineer", "backup")


def critical_unpaged(*, now: datetime) -> QuerySet[Ticket]:
    """Open critical tickets under a service level, not paged yet (the paging job)."""
    return (
        open_tickets()
        .filter(severity="critical", page__isnull=True, acknowledged_at__isnull=True)
        .filter(opened_at__lte=now)
    )


def pages_to_escalate(*, now: datetime) -> QuerySet[OnCallPage]:
    """Pages not acknowledged in time and not escalated yet."""
    return OnCallPage.objects.filter(
        acknowledged_at__isnull=True, escalated_at__isnull=True, acknowledge_by__lte=now
    ).select_related("ticket", "seller", "engineer")


def dashboard_rows(*, seller: Seller, since: datetime, now: datetime):
    """The seller's tickets under a service level opened since ``since``, as the dashboard
    counts them (:class:`clausier.support.dashboard.TicketTimes`)."""
    tickets = _with_related(
        Ticket.objects.filter(seller=seller, opened_at__gte=since, exclusion__isnull=True)
    )
    rows = []
    for ticket in tickets:
        clocks = clocks_of(ticket, now=now)
        if clocks is None:
            continue
        opened = ticket.opened_at
        rows.append(
            TicketTimes(
                opened_at=opened,
                month=opened.astimezone(PARIS).date().replace(day=1),
                breached=any(c.breached for c in clocks.all),
                intervention=_minutes_between(opened, ticket.acknowledged_at),
                repair=_minutes_between(opened, ticket.resolved_at),
            )
        )
    return rows


def _minutes_between(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else int((end - start).total_seconds() // 60)


def staff_of(*, seller: Seller) -> list:
    """The seller's staff, who may be put on call."""
    return [
        membership.user
        for membership in StaffMembership.objects.filter(seller=seller, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    ]


def overrides_of(*, seller: Seller, now: datetime) -> QuerySet[OnCallOverride]:
    """The replacements not over yet, the soonest first."""
    return (
        OnCallOverride.objects.filter(seller=seller, end__gt=now)
        .select_related("engineer", "backup")
        .order_by("start", "pk")
    )


def recent_pages(*, seller: Seller, count: int = 20) -> QuerySet[OnCallPage]:
    return (
        OnCallPage.objects.filter(seller=seller)
        .select_related("ticket", "engineer")
        .order_by("-paged_at", "-pk")[:count]
    )
