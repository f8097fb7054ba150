"""Around the tickets: the art. 9 exclusions, time spent on excluded tickets and its billing
at the rate in force on the day, the phone call log, the SLA warnings, the hourly rates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clausier.audit.services import record_event, record_on
from clausier.kernel.actor import Actor
from clausier.kernel.clock import aware_now
from clausier.kernel.errors import Conflict
from clausier.kernel.events import publish
from clausier.rules.money import CENT
from clausier.sellers.models import Seller
from clausier.support import selectors
from clausier.support.domain import BillableLine
from clausier.support.events import SupportWorkBillable
from clausier.support.models import HourlyRate, PhoneCall, SlaWarning, Ticket, TimeEntry

PARIS = ZoneInfo("Europe/Paris")
MINUTES_PER_HOUR = Decimal(60)


@transaction.atomic
def classify_excluded(*, ticket: Ticket, exclusion: int, by: Actor) -> Ticket:
    """``ticket`` classified under the ``exclusion``-th case (from 1) its terms list as not
    covered by the maintenance: it runs under no service level any more, and the work on it
    may be billed."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    cases = ticket.sla.get("exclusions", [])
    if not 1 <= exclusion <= len(cases):
        raise ValidationError(
            {
                "exclusion": _("Exclusion inconnue : choisissez l'un des %(n)d cas des CGV.")
                % {"n": len(cases)}
            }
        )
    ticket.exclusion = exclusion
    ticket.exclusion_reason = cases[exclusion - 1]
    ticket.exclusion_source = ticket.sla.get("sources", {}).get("exclusions", "")
    ticket.save(update_fields=["exclusion", "exclusion_reason", "exclusion_source", "updated_at"])
    record_on(
        obj=ticket,
        actor=by,
        verb="ticket.excluded",
        after={"exclusion": exclusion, "source": ticket.exclusion_source},
    )
    return ticket


def amount_of(*, minutes: int, rate: Decimal) -> Decimal:
    """``minutes`` at the hourly ``rate``, to the cent, half up."""
    return (rate * minutes / MINUTES_PER_HOUR).quantize(CENT, rounding=ROUND_HALF_UP)


@transaction.atomic
def add_time_entry(
    *, ticket: Ticket, started: datetime, minutes: int, description: str, by: Actor
) -> TimeEntry:
    """Time spent on an excluded ticket, priced at the hourly rate in force on the day of
    the intervention (Europe/Paris)."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not ticket.excluded:
        raise ValidationError(
            {"ticket": _("Seul le temps passé sur un ticket exclu de la maintenance se facture.")}
        )
    if minutes <= 0:
        raise ValidationError({"minutes": _("La durée doit être d'au moins une minute.")})
    if not description.strip():
        raise ValidationError({"description": _("Décrivez l'intervention.")})
    started = aware_now(started)
    day = started.astimezone(PARIS).date()
    rate = selectors.rate_in_force(seller=ticket.seller, on=day)
    if rate is None:
        raise ValidationError(
            {
                "started": _("Aucun taux horaire du support en vigueur le %(day)s.")
                % {"day": day.strftime("%d/%m/%Y")}
            }
        )
    entry = TimeEntry.objects.create(
        ticket=ticket,
        agent=by if getattr(by, "is_authenticated", False) else None,
        started=started,
        minutes=minutes,
        description=description.strip(),
        hourly_rate_ht=rate.amount_ht,
        rate_source=rate.source,
        amount_ht=amount_of(minutes=minutes, rate=rate.amount_ht),
    )
    record_on(
        obj=ticket,
        actor=by,
        verb="ticket.time_logged",
        after={"minutes": minutes, "rate": str(rate.amount_ht), "amount": str(entry.amount_ht)},
    )
    return entry


@transaction.atomic
def bill_time(*, ticket: Ticket, by: Actor, at: datetime | None = None) -> SupportWorkBillable:
    """The unbilled time of an excluded ticket handed to invoicing (a draft invoice of its
    lines); each entry is billed once."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    now = aware_now(at)
    entries = list(
        ticket.time_entries.select_for_update().filter(billed_at__isnull=True).order_by("pk")
    )
    if not entries:
        raise Conflict(_("Aucun temps passé à facturer sur %(ref)s.") % {"ref": ticket.reference})
    TimeEntry.objects.filter(pk__in=[e.pk for e in entries]).update(billed_at=now)
    fact = SupportWorkBillable(
        ticket_id=ticket.pk,
        ticket_reference=ticket.reference,
        seller_id=ticket.seller_id,
        client_id=ticket.client_id,
        exclusion_reason=ticket.exclusion_reason,
        lines=tuple(
            BillableLine(
                time_entry_id=e.pk,
                description=e.description,
                started=e.started,
                minutes=e.minutes,
                hourly_rate_ht=e.hourly_rate_ht,
                amount_ht=e.amount_ht,
                rate_source=e.rate_source,
            )
            for e in entries
        ),
        at=now,
        by=by,
    )
    record_on(
        obj=ticket,
        actor=by,
        verb="ticket.time_billed",
        after={
            "entries": len(entries),
            "amount": str(sum((e.amount_ht for e in entries), Decimal(0))),
        },
    )
    publish(fact)
    return fact


@transaction.atomic
def log_call(
    *,
    seller: Seller,
    number: str,
    called_at: datetime,
    summary: str,
    by: Actor,
    ticket: Ticket | None = None,
) -> PhoneCall:
    """A call to the support line, attached to the ticket it concerns."""
    if ticket is not None and ticket.seller_id != seller.pk:
        raise ValidationError({"ticket": _("Ce ticket n'est pas le vôtre.")})
    if not number.strip():
        raise ValidationError({"number": _("Le numéro est obligatoire.")})
    if not summary.strip():
        raise ValidationError({"summary": _("Résumez l'appel.")})
    call = PhoneCall.objects.create(
        seller=seller,
        ticket=ticket,
        number=number.strip(),
        called_at=aware_now(called_at),
        agent=by if getattr(by, "is_authenticated", False) else None,
        summary=summary.strip(),
    )
    record_event(
        seller=seller,
        obj=call,
        actor=by,
        verb="phone_call.logged",
        after={"ticket": ticket.reference if ticket else "", "at": call.called_at.isoformat()},
    )
    return call


def record_warning(
    *, ticket: Ticket, target: str, level: int, at: datetime, sent_to: list[str]
) -> SlaWarning | None:
    """The warning of ``target`` at ``level`` %, once: None when it was already recorded."""
    try:
        with transaction.atomic():
            warning = SlaWarning.objects.create(
                ticket=ticket, target=target, level=level, at=at, sent_to=sent_to
            )
            record_on(
                obj=ticket,
                actor=None,
                verb="ticket.sla_warning",
                after={"target": target, "level": level},
            )
    except IntegrityError:
        return None
    return warning


@transaction.atomic
def set_hourly_rate(
    *, seller: Seller, effective_from: date, amount_ht: Decimal, source: str, by: Actor
) -> HourlyRate:
    """The hourly rate of support outside the service levels from ``effective_from``."""
    if amount_ht <= 0:
        raise ValidationError({"amount_ht": _("Le taux horaire doit être positif.")})
    if not source.strip():
        raise ValidationError({"source": _("Indiquez d'où vient ce taux (grille tarifaire).")})
    rate, _created = HourlyRate.objects.select_for_update().update_or_create(
        seller=seller,
        effective_from=effective_from,
        defaults={"amount_ht": amount_ht.quantize(CENT), "source": source.strip()},
    )
    record_event(
        seller=seller,
        obj=rate,
        actor=by,
        verb="support_rate.set",
        after={"effective_from": effective_from.isoformat(), "amount": str(rate.amount_ht)},
    )
    return rate
