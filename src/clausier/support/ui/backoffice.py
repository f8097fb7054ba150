"""Staff screens of support: the queue (open tickets, the most urgent first, their clocks
polled every 30 s as an HTMX fragment), a ticket taken by phone, and a ticket's page (clocks
and their "Pourquoi ?", the conversation and a reply form, the state table's actions as
buttons, qualification, pauses, the call log, the exclusion and the time billed).

Thin: reads through ``support.selectors``, writes through ``support.services``."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from clausier.customers import selectors as customer_selectors
from clausier.kernel.errors import DomainError
from clausier.sellers.access import render_staff, staff_action, staff_view
from clausier.sellers.selectors import StaffScope
from clausier.support import dashboard, presenters, selectors, services
from clausier.support import transitions as t
from clausier.support.models import Author, PauseReason
from clausier.support.ui.forms import (
    AttachEmailForm,
    CallForm,
    ExcludeForm,
    PhoneTicketForm,
    QualifyForm,
    ReplyForm,
    TimeForm,
)
from clausier.web.forms import posted, submit

POLL_SECONDS = 30


def _queue_context(scope: StaffScope) -> dict:
    now = timezone.now()
    rows = [
        {"ticket": row.ticket, "clocks": presenters.clock_rows(row.clocks, now=now)}
        for row in selectors.queue(seller=scope.seller, now=now)
    ]
    return {"rows": rows, "poll": POLL_SECONDS, "now": now}


@staff_view("support.view")
def support_queue(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    return render_staff(request, scope, "support/backoffice/queue.html", _queue_context(scope))


@staff_view("support.view")
def support_queue_clocks(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """The queue's table alone, for the page's poll."""
    return render_staff(request, scope, "support/backoffice/_queue.html", _queue_context(scope))


@staff_view("support.edit")
def support_ticket_new(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    clients = list(customer_selectors.clients_for_scope(scope=scope))
    form = PhoneTicketForm(posted(request), clients=clients)

    def write(data):
        return services.open_ticket(
            seller=scope.seller,
            client=next(c for c in clients if c.pk == data["client"]),
            subject=data["subject"],
            description=data["description"],
            channel=data["channel"],
            severity=data["severity"],
            by=request.user,
        )

    done = submit(form, write)
    if done.ok:
        return redirect("backoffice:ticket", slug=scope.seller.slug, ticket_id=done.result.pk)
    return render_staff(
        request, scope, "support/backoffice/new.html", {"form": form}, status=done.status
    )


def ticket_page(request, scope, ticket, *, forms=None, status: int = 200, error: str = ""):
    now = timezone.now()
    forms = forms or {}
    cases = ticket.sla.get("exclusions", [])
    clocks = selectors.clocks_of(ticket, now=now)
    context = {
        "ticket": ticket,
        "clocks": presenters.clock_rows(clocks, now=now),
        "penalty": selectors.penalty_of(ticket=ticket),
        "breached": clocks is not None and any(c.breached for c in clocks.all),
        "messages": selectors.messages_of(ticket=ticket),
        "actions": t.allowed_actions(ticket),
        "pauses": ticket.pauses.all(),
        "force_majeure": any(
            p.end is None and p.reason == PauseReason.FORCE_MAJEURE for p in ticket.pauses.all()
        ),
        "calls": ticket.calls.select_related("agent"),
        "time_entries": ticket.time_entries.select_related("agent"),
        "unbilled": any(e.billed_at is None for e in ticket.time_entries.all()),
        "reply_form": forms.get("reply", ReplyForm()),
        "qualify_form": forms.get(
            "qualify", QualifyForm(initial={"severity": ticket.severity, "kind": ticket.kind})
        ),
        "exclude_form": forms.get("exclude", ExcludeForm(cases=cases)),
        "time_form": forms.get("time", TimeForm()),
        "call_form": forms.get("call", CallForm()),
        "error": error,
    }
    return render_staff(request, scope, "support/backoffice/detail.html", context, status=status)


@staff_view("support.view")
def ticket(request: HttpRequest, scope: StaffScope, ticket_id: int) -> HttpResponse:
    found = selectors.ticket_for_seller(seller=scope.seller, pk=ticket_id)
    return ticket_page(request, scope, found)


def _done(scope, found):
    return redirect("backoffice:ticket", slug=scope.seller.slug, ticket_id=found.pk)


@staff_action("support.edit")
def ticket_reply(request: HttpRequest, scope: StaffScope, ticket_id: int) -> HttpResponse:
    found = selectors.ticket_for_seller(seller=scope.seller, pk=ticket_id)
    form = ReplyForm(request.POST, request.FILES or None)
    files = [f for f in request.FILES.getlist("attachment") if f]
    done = submit(
        form,
        lambda data: services.post_message(
            ticket=found, author=Author.AGENT, body=data["body"], attachments=files, by=request.user
        ),
    )
    if done.ok:
        return _done(scope, found)
    return ticket_page(request, scope, found, forms={"reply": form}, status=done.status)


@staff_action("support.edit")
def ticket_action(request: HttpRequest, scope: StaffScope, ticket_id: int) -> HttpResponse:
    """One of the state table's actions (``action`` in the POST)."""
    found = selectors.ticket_for_seller(seller=scope.seller, pk=ticket_id)
    try:
        services.apply_action(ticket=found, action=request.POST.get("action", ""), by=request.user)
    except DomainError as error:
        return ticket_page(request, scope, found, status=409, error=str(error))
    return _done(scope, found)


@staff_action("support.edit")
def ticket_force_majeure(request: HttpRequest, scope: StaffScope, ticket_id: int) -> HttpResponse:
    """The force majeure pause started, or ended when one runs."""
    found = selectors.ticket_for_seller(seller=scope.seller, pk=ticket_id)
    running = any(
        p.end is None and p.reason == PauseReason.FORCE_MAJEURE for p in found.pauses.all()
    )
    try:
        if running:
            services.end_force_majeure(ticket=found, by=request.user)
        else:
            services.start_force_majeure(ticket=found, by=request.user)
    except DomainError as error:
        return ticket_page(request, scope, found, status=409, error=str(error))
    return _done(scope, found)


@staff_action("support.edit")
def ticket_qualify(request: HttpRequest, scope: StaffScope, ticket_id: int) -> HttpResponse:
    found = selectors.ticket_for_seller(seller=scope.seller, pk=ticket_id)
    form = QualifyForm(request.POST)
    done = submit(
        form,
        lambda data: services.qualify(
            ticket=found, severity=data["severity"], kind=data["kind"], by=request.user
        ),
    )
    if done.ok:
        return _done(scope, found)
    return ticket_page(request, scope, found, forms={"qualify": form}, status=done.status)


@staff_action("support.edit")
def ticket_exclude(request: HttpRequest, scope: StaffScope, ticket_id: int) -> HttpResponse:
    found = selectors.ticket_for_seller(seller=scope.seller, pk=ticket_id)
    form = ExcludeForm(request.POST, cases=found.sla.get("exclusions", []))
    done = submit(
        form,
        lambda data: services.classify_excluded(
            ticket=found, exclusion=data["exclusion"], by=request.user
        ),
    )
    if done.ok:
        return _done(scope, found)
    return ticket_page(request, scope, found, forms={"exclude": form}, status=done.status)


@staff_action("support.edit")
def ticket_time(request: HttpRequest, scope: StaffScope, ticket_id: int) -> HttpResponse:
    found = selectors.ticket_for_seller(seller=scope.seller, pk=ticket_id)
    form = TimeForm(request.POST)
    done = submit(
        form,
        lambda data: services.add_time_entry(
            ticket=found,
            started=data["started"],
            minutes=data["minutes"],
            description=data["description"],
            by=request.user,
        ),
    )
    if done.ok:
        return _done(scope, found)
    return ticket_page(request, scope, found, forms={"time": form}, status=done.status)


@staff_action("support.edit")
def ticket_bill(request: HttpRequest, scope: StaffScope, ticket_id: int) -> HttpResponse:
    """The unbilled time of an excluded ticket made a draft invoice."""
    found = selectors.ticket_for_seller(seller=scope.seller, pk=ticket_id)
    try:
        services.bill_time(ticket=found, by=request.user)
    except DomainError as error:
        return ticket_page(request, scope, found, status=409, error=str(error))
    return _done(scope, found)


@staff_action("support.edit")
def ticket_call(request: HttpRequest, scope: StaffScope, ticket_id: int) -> HttpResponse:
    found = selectors.ticket_for_seller(seller=scope.seller, pk=ticket_id)
    form = CallForm(request.POST)
    done = submit(
        form,
        lambda data: services.log_call(
            seller=scope.seller,
            ticket=found,
            number=data["number"],
            called_at=data["called_at"],
            summary=data["summary"],
            by=request.user,
        ),
    )
    if done.ok:
        return _done(scope, found)
    return ticket_page(request, scope, found, forms={"call": form}, status=done.status)


@staff_view("support.edit")
def support_emails(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """Mail to the support address from senders the seller does not know (the mailbox's
    policy keeps them for the team): each attached to a client opens a ticket with it."""
    clients = list(customer_selectors.clients_for_scope(scope=scope))
    form = AttachEmailForm(posted(request), clients=clients)

    def write(data):
        return services.open_from_email(
            message_id=selectors.email_to_attach(seller=scope.seller, pk=data["message"]).pk,
            client=next(c for c in clients if c.pk == data["client"]),
            by=request.user,
        )

    done = submit(form, write)
    if done.ok:
        return redirect(
            "backoffice:ticket", slug=scope.seller.slug, ticket_id=done.result.ticket.pk
        )
    context = {
        "emails": selectors.emails_to_attach(seller=scope.seller),
        "clients": clients,
        "form": form,
    }
    return render_staff(
        request, scope, "support/backoffice/emails.html", context, status=done.status
    )


@staff_action("support.edit")
def ticket_penalty(request: HttpRequest, scope: StaffScope, ticket_id: int) -> HttpResponse:
    """The penalty of a breached service level (art. 10.1.4) assessed, and credited."""
    found = selectors.ticket_for_seller(seller=scope.seller, pk=ticket_id)
    try:
        services.assess_penalty(ticket=found, by=request.user)
    except DomainError as error:
        return ticket_page(request, scope, found, status=409, error=str(error))
    except ValidationError as error:
        return ticket_page(request, scope, found, status=400, error=" ".join(error.messages))
    return _done(scope, found)


DASHBOARD_MONTHS = 6


@staff_view("support.view")
def support_dashboard(request: HttpRequest, scope: StaffScope) -> HttpResponse:
    """Breaches per month and the median times to intervene and to repair, six months."""
    now = timezone.now()
    this_month = timezone.localdate(now).replace(day=1)
    firsts = [this_month]
    while len(firsts) < DASHBOARD_MONTHS:
        firsts.insert(0, (firsts[0] - timedelta(days=1)).replace(day=1))
    since = timezone.make_aware(datetime.combine(firsts[0], time()))
    rows = selectors.dashboard_rows(seller=scope.seller, since=since, now=now)
    stats = dashboard.months(rows, firsts=firsts)
    context = {
        "months": stats,
        "breaches": dashboard.bar_chart([(m.month, m.breached) for m in stats]),
        "intervention": dashboard.bar_chart([(m.month, m.median_intervention) for m in stats]),
        "repair": dashboard.bar_chart([(m.month, m.median_repair) for m in stats]),
    }
    return render_staff(request, scope, "support/backoffice/dashboard.html", context)
