"""The on-call rota (seed 000 art. 10.3: "l'astreinte durant les heures non ouvrées"): its
weekly schedule and overrides; a critical ticket outside business hours paged to the engineer
on call (``OnCallPaged``: the webhook to an SMS or push provider; the e-mail is sent by the
paging job), escalated to the backup when not acknowledged in time."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clausier.audit.services import record_on
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.events import publish
from clausier.sellers.models import Seller, StaffMembership
from clausier.support import domain, selectors
from clausier.support.events import OnCallPaged
from clausier.support.models import OnCallOverride, OnCallPage, OnCallShift, Ticket


def _check_staff(seller: Seller, **people) -> None:
    """Only the seller's own staff are put on call."""
    for field, user in people.items():
        if user is None:
            continue
        if not StaffMembership.objects.filter(seller=seller, user=user).exists():
            raise ValidationError({field: _("Cette personne ne fait pas partie de l'équipe.")})


@transaction.atomic
def set_shift(*, seller: Seller, weekday: int, engineer, backup=None, by: Actor) -> OnCallShift:
    """Who is on call on ``weekday`` (Monday 0) outside business hours, and the backup."""
    if not 0 <= weekday <= 6:
        raise ValidationError({"weekday": _("Le jour va de 0 (lundi) à 6 (dimanche).")})
    _check_staff(seller, engineer=engineer, backup=backup)
    shift = OnCallShift.objects.select_for_update().filter(seller=seller, weekday=weekday).first()
    if shift is None:
        shift = OnCallShift(seller=seller, weekday=weekday)
    shift.engineer, shift.backup = engineer, backup
    shift.save()
    record_on(
        obj=shift,
        actor=by,
        verb="on_call.shift_set",
        after={"weekday": weekday, "engineer": engineer.pk, "backup": getattr(backup, "pk", None)},
    )
    return shift


@transaction.atomic
def add_override(
    *, seller: Seller, start: datetime, end: datetime, engineer, backup=None, by: Actor
) -> OnCallOverride:
    """``engineer`` on call from ``start`` to ``end`` instead of the weekly schedule."""
    start, end = aware_now(start), aware_now(end)
    if end <= start:
        raise ValidationError({"end": _("La fin du remplacement doit suivre son début.")})
    _check_staff(seller, engineer=engineer, backup=backup)
    override = OnCallOverride.objects.create(
        seller=seller, start=start, end=end, engineer=engineer, backup=backup
    )
    record_on(
        obj=override,
        actor=by,
        verb="on_call.override_added",
        after={"start": start.isoformat(), "end": end.isoformat(), "engineer": engineer.pk},
    )
    return override


def _acknowledge_delay(ticket: Ticket) -> timedelta:
    """Half the critical intervention time outside business hours (seed 000: 30 min -> 15)."""
    minutes = ticket.sla["policy"]["critical"]["intervention"]["out_of_hours"]
    return timedelta(minutes=max(minutes // 2, 1))


def _announce(page: OnCallPage, *, user, escalation: bool, at: datetime) -> None:
    publish(
        OnCallPaged(
            page_id=page.pk,
            ticket_id=page.ticket_id,
            ticket_reference=page.ticket.reference,
            seller_id=page.seller_id,
            subject=page.ticket.subject,
            engineer=user.get_username(),
            email=user.email or "",
            escalation=escalation,
            acknowledge_by=page.acknowledge_by,
            at=at,
        )
    )


@transaction.atomic
def page_ticket(*, ticket: Ticket, now: datetime | None = None) -> OnCallPage | None:
    """Page the engineer on call for a critical ticket not yet acknowledged, outside business
    hours (once per ticket); None when there is nothing to page (in hours, not critical, no
    one on call, paged already)."""
    now = aware_now(now)
    ticket = Ticket.objects.select_for_update().select_related("seller").get(pk=ticket.pk)
    if (
        ticket.severity != "critical"
        or ticket.excluded
        or "policy" not in ticket.sla
        or ticket.acknowledged_at is not None
        or OnCallPage.objects.filter(ticket=ticket).exists()
        or domain.hours_from_params(ticket.sla["hours"]).is_open(now)
    ):
        return None
    duty = selectors.on_call_at(seller=ticket.seller, at=now)
    if duty is None or duty.engineer is None:
        return None
    page = OnCallPage.objects.create(
        seller=ticket.seller,
        ticket=ticket,
        engineer=duty.engineer,
        paged_at=now,
        acknowledge_by=now + _acknowledge_delay(ticket),
        escalated_to=duty.backup,
    )
    record_on(
        obj=ticket,
        actor=None,
        verb="ticket.paged",
        after={"engineer": duty.engineer.pk, "acknowledge_by": page.acknowledge_by.isoformat()},
    )
    _announce(page, user=duty.engineer, escalation=False, at=now)
    return page


@transaction.atomic
def acknowledge_page(*, ticket: Ticket, by: Actor, now: datetime | None = None) -> OnCallPage:
    """The engineer (or the backup) took the page: no escalation any more."""
    now = aware_now(now)
    page = OnCallPage.objects.select_for_update().filter(ticket=ticket).first()
    if page is None:
        raise ValidationError({"ticket": _("Ce ticket n'a pas appelé l'astreinte.")})
    if page.acknowledged_at is None:
        page.acknowledged_at = now
        page.save(update_fields=["acknowledged_at"])
        record_on(obj=ticket, actor=by, verb="ticket.page_acknowledged", after={})
    return page


@transaction.atomic
def escalate_page(*, page: OnCallPage, now: datetime | None = None) -> OnCallPage | None:
    """``page`` not acknowledged (nor its ticket) by its deadline: the backup paged, once.
    None when there is nothing to do (acknowledged, escalated already, no backup, not due)."""
    now = aware_now(now)
    page = OnCallPage.objects.select_for_update().select_related("ticket").get(pk=page.pk)
    if (
        page.acknowledged_at is not None
        or page.ticket.acknowledged_at is not None
        or page.escalated_at is not None
        or page.acknowledge_by > now
        or page.escalated_to is None
    ):
        return None
    page.escalated_at = now
    page.save(update_fields=["escalated_at"])
    record_on(
        obj=page.ticket,
        actor=None,
        verb="ticket.page_escalated",
        after={"backup": page.escalated_to_id},
    )
    _announce(page, user=page.escalated_to, escalation=True, at=now)
    return page
